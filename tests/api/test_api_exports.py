"""The public surface of asa2render.api is small and sorted."""

from __future__ import annotations

import asa2render.api as api


def test_all_is_sorted_and_complete() -> None:
    assert api.__all__ == sorted(api.__all__)
    assert {"FetchReport", "Fetcher", "TokenStore"} <= set(api.__all__)
    for name in api.__all__:
        assert hasattr(api, name)
