"""Which API serves which keys: the seed's rule per store, then groups per (API, store, credential).

The rule itself is :func:`asa2render.config.routing.decide_route`; this module only applies it to a run's
keys, removes duplicates and cuts each group into GetItems batches of at most 10 ASINs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..config.model import Config
from ..config.routing import Route, decide_route
from ..marketplaces import Store, get_store
from ..products.models import ProductKey
from .creators import MAX_ITEM_IDS


@dataclass(frozen=True, slots=True)
class Group:
    """The unique ASINs of one store, served by one API with one credential."""

    store: Store
    route: Route
    credential: str  # an opaque name of the credential: requests sharing it share a rate limit
    asins: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    """A run's keys sorted out: groups to fetch, and stores that have no route (or no store at all)."""

    groups: tuple[Group, ...]
    unrouted: dict[str, tuple[Route | None, tuple[str, ...]]]


def plan(config: Config, keys: Iterable[ProductKey]) -> Plan:
    """Group unique keys per store and route; every key lands in exactly one group or in ``unrouted``."""
    by_country: dict[str, list[str]] = {}
    for country, asin in dict.fromkeys(keys):
        by_country.setdefault(country, []).append(asin)
    groups: list[Group] = []
    unrouted: dict[str, tuple[Route | None, tuple[str, ...]]] = {}
    for country, asins in by_country.items():
        store = get_store(country)
        route = decide_route(config, store.country) if store else None
        if store is None or route is None or route.api == "none":
            unrouted[country] = (route, tuple(asins))
            continue
        groups.append(Group(store, route, credential_name(config, route), tuple(asins)))
    return Plan(tuple(groups), unrouted)


def credential_name(config: Config, route: Route) -> str:
    """A stable name for the credential a route uses (a hash: ids are not spread around)."""
    if route.api == "creators":
        market = config.marketplace(route.country)
        raw = f"creators\0{route.version}\0{market.credential_id if market else ''}"
    else:
        raw = f"paapi\0{config.paapi.access_key or ''}"
    return route.api + ":" + hashlib.sha256(raw.encode()).hexdigest()[:16]


def batches(asins: Sequence[str], size: int = MAX_ITEM_IDS) -> Iterator[tuple[str, ...]]:
    """Consecutive slices of at most ``size`` ASINs."""
    for start in range(0, len(asins), size):
        yield tuple(asins[start : start + size])


__all__ = ["Group", "Plan", "batches", "credential_name", "plan"]
