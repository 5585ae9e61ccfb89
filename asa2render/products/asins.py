"""ASINs: normalising what users type and reading ASINs out of Amazon product URLs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import msgspec

from ..marketplaces import Store, store_for_host
from ..patterns import lazy

# An ASIN is 10 upper-case letters or digits; an ISBN-10 (the ASIN of a book) may end in X, which
# the same pattern already covers.
ASIN_PATTERN = re.compile(r"^[A-Z0-9]{10}$")
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]")
_URL_ASIN = lazy(
    r"/(?:dp|gp/product|gp/aw/d|exec/obidos/ASIN|o/ASIN)/([A-Za-z0-9]{10})(?:[/?#]|$)",
)


class AsinRef(msgspec.Struct, frozen=True):
    """An ASIN typed by a user, with the store its URL named (if it was a URL)."""

    asin: str
    store: Store | None = None


def normalize_asin(raw: str) -> str | None:
    """Upper-case, strip separators and whitespace; None when 10 letters/digits do not remain."""
    candidate = _NON_ALNUM.sub("", raw).upper()
    return candidate if ASIN_PATTERN.match(candidate) else None


def parse_asin_ref(raw: str) -> AsinRef | None:
    """An ASIN or an Amazon product URL (``/dp/…``, ``/gp/product/…``, ``/gp/aw/d/…``)."""
    text = raw.strip()
    if "/" in text:
        return _parse_url(text)
    asin = normalize_asin(text)
    return AsinRef(asin) if asin else None


def _parse_url(text: str) -> AsinRef | None:
    try:
        parts = urlsplit(text if "://" in text else "https://" + text)
        hostname = parts.hostname
    except ValueError:  # "[…]" reads as an IPv6 host, bad ports: not a product URL, not a crash
        return None
    store = store_for_host(hostname or "")
    match = _URL_ASIN().search(parts.path)
    if store is None or match is None:
        return None
    return AsinRef(match.group(1).upper(), store)


__all__ = ["ASIN_PATTERN", "AsinRef", "normalize_asin", "parse_asin_ref"]
