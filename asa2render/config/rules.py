"""Report rules (``[[report.rules]]``): ASA2's notification conditions, as text that is checked on load.

A condition is one or more terms joined by ``and``, several of those joined by ``or``::

    condition = "unavailable"
    condition = "out_of_stock or price_changed > 15%"
    condition = "stale > 24h and not replaced"            # "not" negates one term

Terms: ``unavailable`` (gone, unavailable, or out of stock longer than ``[site] out_of_stock_after``),
``out_of_stock``, ``price_changed > N%`` (since the last report; default 10 %), ``replaced``,
``stale > Nh`` (the newest data is older than N hours, default 24, or could not be fetched at all),
``map_hidden`` (the price may not be shown: Minimum Advertised Price).
"""

from __future__ import annotations

import re

import msgspec

from ..patterns import lazy

TERMS = ("unavailable", "out_of_stock", "price_changed", "replaced", "stale", "map_hidden")
DEFAULT_THRESHOLDS = {"price_changed": 10.0, "stale": 24.0}
_UNITS = {"price_changed": "%", "stale": "h"}
_TERM = lazy(
    r"^(?P<negate>not\s+)?(?P<kind>[a-z][a-z _-]*?)\s*(?:>\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>%|h)?)?$"
)


class Term(msgspec.Struct, frozen=True):
    """One test of a product: its kind, a threshold for the measured kinds, and whether it is negated."""

    kind: str
    threshold: float | None = None
    negate: bool = False

    def __str__(self) -> str:
        text = self.kind if self.threshold is None else f"{self.kind} > {self.threshold:g}{_UNITS[self.kind]}"
        return f"not {text}" if self.negate else text


class Condition(msgspec.Struct, frozen=True):
    """Terms as an OR of ANDs."""

    alternatives: tuple[tuple[Term, ...], ...]

    def __str__(self) -> str:
        return " or ".join(" and ".join(str(t) for t in terms) for terms in self.alternatives)


def parse_condition(text: str) -> Condition:
    """Parse a rule's condition.

    Raises:
        ValueError: the text is not a condition; the message names the bad part and the known terms.
    """
    alternatives = []
    for alternative in re.split(r"\s+or\s+", text.strip().lower()):
        terms = tuple(_term(part) for part in re.split(r"\s+and\s+", alternative.strip()))
        alternatives.append(terms)
    return Condition(tuple(alternatives))


def _term(text: str) -> Term:
    match = _TERM().match(text.strip())
    kind = match.group("kind").strip().replace("-", "_").replace(" ", "_") if match else ""
    kind = {"price_change": "price_changed", "out_of_stock_": "out_of_stock", "map": "map_hidden"}.get(
        kind, kind
    )
    if match is None or kind not in TERMS:
        raise ValueError(f"unknown condition {text.strip()!r}; known: {', '.join(TERMS)}")
    number = match.group("number")
    if number is not None and kind not in DEFAULT_THRESHOLDS:
        raise ValueError(f"{kind} takes no threshold (got {text.strip()!r})")
    unit = match.group("unit")
    if unit is not None and unit != _UNITS.get(kind):
        raise ValueError(f"{kind} is measured in {_UNITS.get(kind)!r}, not {unit!r}")
    threshold = float(number) if number is not None else DEFAULT_THRESHOLDS.get(kind)
    return Term(kind, threshold, negate=bool(match.group("negate")))


__all__ = ["DEFAULT_THRESHOLDS", "TERMS", "Condition", "Term", "parse_condition"]
