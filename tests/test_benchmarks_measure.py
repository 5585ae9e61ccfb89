"""The measurement helpers of ``benchmarks.measure`` that are not timing (no duration is asserted)."""

from __future__ import annotations

import resource
import sys

import pytest

from benchmarks.measure import reserved_heap, traced_peak

MB = 1_000_000


def _churn(megabytes: int) -> int:
    """Make and free ``megabytes`` of small objects; return the minor page faults this took."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    objects = [bytes(100) for _ in range(megabytes * MB // 133)]
    del objects
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_traced_peak_sees_what_the_work_holds_at_once() -> None:
    def work() -> int:
        held = [bytes(100) for _ in range(20_000)]  # about 2.7 MB alive together
        return len(held)

    assert 20_000 * sys.getsizeof(bytes(100)) <= traced_peak(work) < 4 * MB


@pytest.mark.skipif(sys.platform != "linux", reason="minor page faults as Linux counts them")
def test_a_reserved_heap_is_reused_without_page_faults() -> None:
    with reserved_heap(16 * MB):
        _churn(6)  # the first pass may still map memory the reserve did not cover
        # Without the reserve CPython hands the emptied arenas back and the next pass faults in
        # about 1,500 pages again; with it the objects land in memory that stays mapped.
        assert _churn(6) < 150
