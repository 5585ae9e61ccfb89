"""A local, faithful emulator of Amazon's Creators API and PA-API 5.0 (``asa2render sandbox``).

Use it offline, in tests and in the demo::

    from asa2render.sandbox import Sandbox, SandboxOptions

    with Sandbox(SandboxOptions(port=0)) as sandbox:
        sandbox.url          # "http://127.0.0.1:54321" — token, Creators and PA-API paths all live here
        sandbox.stats()      # {"tokens": [...], "requests": [...]}

Demo credentials, accepted when no credentials of that kind are configured (secret ``demo-secret``):
``demo-cognito-na`` (2.1), ``demo-cognito-eu`` (2.2), ``demo-cognito-fe`` (2.3), ``demo-lwa-na`` (3.1),
``demo-lwa-eu`` (3.2), ``demo-lwa-fe`` (3.3); PA-API key ``DEMOACCESSKEY`` / ``demo-paapi-secret``.
Demo products: ``B0DEMO0001`` … ``B0DEMO0005`` in the us, uk, de, fr and jp stores; any other valid ASIN
gets a deterministic synthetic product; ``B0BAD…`` is invalid and ``B0NOACC…`` not accessible.
"""

from __future__ import annotations

from .options import DEMO_CREDENTIALS, DEMO_PAAPI_KEYS, SandboxOptions
from .server import Sandbox, start_local_sandbox

__all__ = ["DEMO_CREDENTIALS", "DEMO_PAAPI_KEYS", "Sandbox", "SandboxOptions", "start_local_sandbox"]
