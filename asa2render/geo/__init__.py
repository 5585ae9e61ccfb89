"""Geo-targeting for static sites: a build-time translation table and a tiny browser localiser.

- :mod:`.defaults` — the built-in map from countries without an (offered) Amazon store to a store;
- :mod:`.table` — which products exist in which offered store, looked up once per build;
- :mod:`.assets` — ``asa2render-geo.json``, ``asa2render-geo.js`` and the tags that load them.

Nothing is imported here: ``config.model`` reads :mod:`.defaults` at import time.
"""
