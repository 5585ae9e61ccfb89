"""The pool, claims, result markers and GCRA slots, the same over SQLite and over a real Redis."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from asa2render.products.models import Failure, ProductKey
from asa2render.shared.coordination import Coordinator
from asa2render.shared.local import LocalCoordinator
from asa2render.shared.location import parse_cache_url
from asa2render.shared.redis import RedisCoordinator, RedisShared

KEYS = [ProductKey("de", f"B0COORD{i:03}") for i in range(25)]


@pytest.fixture(params=["disk", "redis"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[type]:
    """Builds coordinators that share one store (one folder, or one Redis)."""
    opened: list[Coordinator] = []

    def build() -> Coordinator:
        if request.param == "disk":
            coordinator: Coordinator = LocalCoordinator(tmp_path / "cache")
        else:
            url = request.getfixturevalue("redis_url")
            coordinator = RedisCoordinator(RedisShared(parse_cache_url(url, {})))
        opened.append(coordinator)
        return coordinator

    yield build  # type: ignore[misc]
    for coordinator in opened:
        coordinator.close()


def test_batches_are_full_across_builders_and_each_key_is_taken_once(make) -> None:  # type: ignore[no-untyped-def]
    first, second = make(), make()
    since = first.now()
    first.offer(KEYS[:15], since)
    second.offer(KEYS[5:25], since)  # overlapping: 25 unique keys
    taken = [first.take(["de"], 10, 60), second.take(["de"], 10, 60), first.take(["de"], 10, 60)]
    assert [len(batch) for batch in taken] == [10, 10, 5]
    flat = [key for batch in taken for key in batch]
    assert sorted(flat) == sorted(KEYS)
    assert second.take(["de"], 10, 60) == []


def test_claimed_and_settled_keys_are_not_offered_again(make) -> None:  # type: ignore[no-untyped-def]
    owner, other = make(), make()
    since = owner.now()
    owner.offer(KEYS[:3], since)
    batch = owner.take(["de"], 10, 60)
    other.offer(KEYS[:3], since)  # claimed: not pooled twice
    assert other.take(["de"], 10, 60) == []
    assert set(other.status(KEYS[:3], since).values()) == {"claimed"}
    failure = Failure(kind="server", message="boom")
    owner.settle({batch[0]: None, batch[1]: failure, batch[2]: None})
    statuses = other.status(batch, since)
    assert statuses[batch[0]] == "done" and statuses[batch[1]] == failure
    other.offer(batch, since)  # settled after `since`: the markers answer, nothing is pooled
    assert other.take(["de"], 10, 60) == []


def test_markers_settled_before_a_builder_looked_do_not_answer_it(make) -> None:  # type: ignore[no-untyped-def]
    first = make()
    first.offer(KEYS[:2], first.now())
    first.settle(dict.fromkeys(first.take(["de"], 10, 60)))
    time.sleep(0.01)
    later = make()
    since = later.now()  # a later run looked at the cache after the settle: it must ask again
    assert set(later.status(KEYS[:2], since).values()) == {"lost"}
    later.offer(KEYS[:2], since)
    assert sorted(later.take(["de"], 10, 60)) == KEYS[:2]


def test_a_lapsed_claim_lets_another_builder_take_over(make) -> None:  # type: ignore[no-untyped-def]
    dead, alive = make(), make()
    since = dead.now()
    dead.offer(KEYS[:1], since)
    assert dead.take(["de"], 10, 0.05) == KEYS[:1]  # then "dies" without settling
    time.sleep(0.1)
    assert alive.status(KEYS[:1], since) == {KEYS[0]: "lost"}
    alive.offer(KEYS[:1], since)
    assert alive.take(["de"], 10, 60) == KEYS[:1]


def test_released_claims_are_taken_over_at_once(make) -> None:  # type: ignore[no-untyped-def]
    interrupted, other = make(), make()
    since = interrupted.now()
    interrupted.offer(KEYS[:3], since)
    batch = interrupted.take(["de"], 10, 60)
    other.release(batch)  # not its claims: nothing happens
    assert set(other.status(batch, since).values()) == {"claimed"}
    interrupted.release(batch)
    assert set(other.status(batch, since).values()) == {"lost"}


def test_the_fullest_pool_is_taken_first(make) -> None:  # type: ignore[no-untyped-def]
    coordinator = make()
    fr = [ProductKey("fr", f"B0COORDF{i:02}") for i in range(3)]
    coordinator.offer([*fr, *KEYS[:7]], coordinator.now())
    assert {k.country for k in coordinator.take(["de", "fr"], 10, 60)} == {"de"}
    assert {k.country for k in coordinator.take(["de", "fr"], 10, 60)} == {"fr"}


def test_reserved_slots_are_spaced_by_the_interval_across_threads_and_builders(make) -> None:  # type: ignore[no-untyped-def]
    builders = [make(), make()]
    slots: list[tuple[float, float]] = []
    lock = threading.Lock()

    def reserve(builder: Coordinator) -> None:
        for _ in range(5):
            asked = time.time()
            wait = builder.reserve("credential", 0.2)
            answered = time.time()
            assert wait is not None
            with lock:
                # The slot this request got lies between these two, on the machine's clock: the
                # coordinator read its clock somewhere during the call (a busy machine makes calls slow).
                slots.append((asked + wait, answered + wait))

    threads = [threading.Thread(target=reserve, args=(b,)) for b in builders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Ten reservations of one schedule: slots 0.2 s apart.
    slots.sort()
    gaps = [later[1] - earlier[0] for earlier, later in itertools.pairwise(slots)]
    assert min(gaps) > 0.15
    assert slots[-1][1] - slots[0][0] >= 1.75
    assert slots[-1][0] - slots[0][1] <= 1.85
