"""How identifiers are shown: partner tags and credential ids partially hidden, secrets never."""

from __future__ import annotations

from collections.abc import Mapping

from .patterns import lazy

_TAG_SUFFIX = lazy(r"(-\d{2})$")


def mask_partner_tag(tag: str | None) -> str:
    """``mytag-21`` → ``my*****-21``: the first two characters and the store suffix stay visible."""
    if not tag:
        return ""
    match = _TAG_SUFFIX().search(tag)
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


class Redactor:
    """Replaces every known secret, credential id and partner tag in a message by its masked form.

    Args:
        values: each sensitive value mapped to its kind: ``"secret"`` (replaced by stars),
            ``"credential_id"`` or ``"partner_tag"`` (masked as above).
    """

    def __init__(self, values: Mapping[str, str]) -> None:
        # Longest first, so a value containing another is replaced whole.
        self._values = sorted(values.items(), key=lambda item: -len(item[0]))

    def __call__(self, text: str) -> str:
        for value, kind in self._values:
            if kind == "secret":
                text = text.replace(value, "********")
            elif kind == "credential_id":
                text = text.replace(value, mask_credential_id(value))
            else:
                text = text.replace(value, mask_partner_tag(value))
        return text


__all__ = ["Redactor", "mask_credential_id", "mask_partner_tag"]
