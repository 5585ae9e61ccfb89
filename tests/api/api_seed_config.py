"""The seed's mixed setup as the API tests use it: de Cognito, us LWA, uk disabled, fr via PA-API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asa2render.config.model import Config, config_from_dict


def seed_config(environ: Mapping[str, str], *, api: Mapping[str, Any], **overrides: Any) -> Config:
    """Secrets come from ``environ`` (``DE_SECRET``, ``US_SECRET``, ``PAAPI_SECRET_KEY``)."""
    data: dict[str, Any] = {
        "marketplaces": [
            {
                "country": "de",
                "credential_type": "cognito",
                "credential_id": "de-id",
                "credential_secret": "${DE_SECRET}",
                "partner_tag": "mytag-21",
                "default": True,
            },
            {
                "country": "us",
                "credential_type": "lwa",
                "credential_id": "us-id",
                "credential_secret": "${US_SECRET}",
                "partner_tag": "mytag-20",
            },
            {
                "country": "uk",
                "credential_type": "cognito",
                "credential_id": "uk-id",
                "credential_secret": "${DE_SECRET}",
                "enabled": False,
            },
        ],
        "paapi": {"access_key": "AKIDEXAMPLE", "secret_key": "${PAAPI_SECRET_KEY}"},
        "associate_id_sets": {"default": {"fr": "montag-21", "uk": "mytag-21"}},
        "api": dict(api),
    }
    data.update(overrides)
    return config_from_dict(data, environ=environ)
