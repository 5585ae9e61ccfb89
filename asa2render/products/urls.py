"""Which URLs may become an ``href`` or ``src``: product data is untrusted input.

Only ``https`` links to an Amazon store become links, and only ``https`` URLs become images (Amazon
serves them from its media hosts; they are hot-linked, never downloaded). The one exception is
``http`` on a loopback address: the local sandbox serves its placeholder images that way, and such a
URL can only ever reach the reader's own machine.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..marketplaces import store_for_host


def is_amazon_url(url: str) -> bool:
    """An ``https`` URL on an Amazon store domain (``www.amazon.de``, ``amazon.co.uk`` …)."""
    parts = urlsplit(url.strip())
    return parts.scheme == "https" and store_for_host(parts.hostname or "") is not None


_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def is_safe_image_url(url: str) -> bool:
    """An ``https`` image URL (Amazon media hosts or any https host the user chose locally), or the
    sandbox's ``http`` placeholder images on a loopback address."""
    parts = urlsplit(url.strip())
    if parts.scheme == "http":
        return (parts.hostname or "") in _LOOPBACK_HOSTS
    return parts.scheme == "https" and bool(parts.hostname)


def with_tag(url: str, tag: str) -> str:
    """The same link carrying another tracking ID (a shortcode's own associate set)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "tag"]
    query.insert(0, ("tag", tag))
    return urlunsplit(parts._replace(query=urlencode(query)))


__all__ = ["is_amazon_url", "is_safe_image_url", "with_tag"]
