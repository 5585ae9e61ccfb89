"""The rules a Creators API credential and a partner tag must follow for one store.

The configuration loader applies them to every ``[[marketplaces]]`` entry (so a hand-edited
``asa2render.toml`` fails at load time, not later at the API), and ``asa2render marketplaces add/edit``
applies the same functions to its options first, to name the option at fault. Every message masks
the credential id and the partner tag it talks about.
"""

from __future__ import annotations

import re

from ..marketplaces import TOKEN_ENDPOINTS, CredentialType, Store
from ..masking import mask_credential_id, mask_partner_tag
from ..patterns import lazy

PARTNER_TAG_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}-\d{2}$")
LWA_CLIENT_PREFIX = "amzn1.application-oa2-client."
# Associates Central ids often end in their region group (…-eu); one that names another group is a
# credential for the wrong store.
_REGION_HINT = lazy(r"[-_.](na|eu|fe)$", re.IGNORECASE)


def credential_problem(store: Store, credential_type: CredentialType, credential_id: str) -> str | None:
    """Why this credential cannot work for ``store`` (wrong type, unknown version, other region), or None."""
    if not credential_id or credential_id.strip() != credential_id or " " in credential_id:
        return "the credential id must be exactly as Associates Central shows it (no spaces)"
    masked = mask_credential_id(credential_id)
    if credential_type == "cognito" and credential_id.startswith(LWA_CLIENT_PREFIX):
        return (
            f"credential id {masked} is an LWA client id ({LWA_CLIENT_PREFIX}…); "
            "use credential type lwa (Creators API 3.x)"
        )
    version = store.api_version(credential_type)
    if version not in TOKEN_ENDPOINTS:
        return f"no Creators API version {version} exists for {credential_type} credentials in {store.name}"
    hint = _REGION_HINT().search(credential_id)
    if hint and hint.group(1).upper() != store.group:
        return (
            f"credential id {masked} is issued for the {hint.group(1).upper()} region, but {store.country} "
            f"({store.name}) is in {store.group}: Creators API credentials are tied to one region; "
            f"create credentials for {store.domain} in Associates Central"
        )
    return None


def partner_tag_problem(store: Store, tag: str) -> str | None:
    """Why ``tag`` is not a tracking ID at all, or None."""
    if PARTNER_TAG_PATTERN.match(tag):
        return None
    return (
        f"malformed partner tag {mask_partner_tag(tag)}: expected a tracking ID such as "
        f"mytag{store.tag_suffix} (letters, digits, . _ - then a two-digit store suffix)"
    )


def partner_tag_mismatch(store: Store, tag: str) -> str | None:
    """A warning when a well-formed tag carries another store's usual suffix (it may still be right)."""
    if tag.endswith(store.tag_suffix):
        return None
    return (
        f"partner tag {mask_partner_tag(tag)} does not end in {store.tag_suffix}, the usual suffix for "
        f"{store.domain}; check it is the tracking ID of this store"
    )


__all__ = [
    "LWA_CLIENT_PREFIX",
    "PARTNER_TAG_PATTERN",
    "credential_problem",
    "partner_tag_mismatch",
    "partner_tag_problem",
]
