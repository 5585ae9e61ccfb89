"""How identifiers are shown: partner tags and credential ids partially hidden, secrets never."""

from __future__ import annotations

import re

_TAG_SUFFIX = re.compile(r"(-\d{2})$")


def mask_partner_tag(tag: str | None) -> str:
    """``mytag-21`` → ``my*****-21``: the first two characters and the store suffix stay visible."""
    if not tag:
        return ""
    match = _TAG_SUFFIX.search(tag)
    suffix = match.group(1) if match else ""
    body = tag[: len(tag) - len(suffix)]
    # A fixed run of stars: the mask must not give away how long the hidden part is.
    return body[:2] + "*****" + suffix


def mask_credential_id(credential_id: str | None) -> str:
    """Only the last four characters of a credential id are shown."""
    if not credential_id:
        return ""
    tail = credential_id[-4:] if len(credential_id) > 4 else ""
    return "****" + tail


__all__ = ["mask_credential_id", "mask_partner_tag"]
