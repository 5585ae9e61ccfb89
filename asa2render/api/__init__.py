"""Talking to Amazon: the Creators API and PA-API 5.0 behind one :class:`Fetcher`.

Modules: ``batching`` (which API serves which keys, in GetItems batches), ``creators`` / ``paapi`` (the
two clients), ``tokens`` (OAuth2 tokens and their store), ``sigv4`` (PA-API signing), ``session`` (rate
limits, retries), ``responses`` (error translation), ``casing`` (the two APIs' key spellings),
``normalize`` (API items → ``Product``), ``fetcher`` (the front door).
"""

from __future__ import annotations

from .fetcher import Fetcher, FetchReport
from .ratelimit import Clock, SystemClock
from .tokens import TokenStore

__all__ = ["Clock", "FetchReport", "Fetcher", "SystemClock", "TokenStore"]
