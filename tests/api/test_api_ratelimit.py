"""The per-credential token bucket: never faster than the configured rate, with headroom."""

from __future__ import annotations

import itertools

from asa2render.api.ratelimit import TokenBucket


class StepClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_requests_are_spaced_slightly_wider_than_the_rate() -> None:
    clock = StepClock()
    bucket = TokenBucket(20, clock)
    sends = []
    for _ in range(21):
        bucket.acquire()
        sends.append(clock.now)
    # 21 sends at "20 per second" never fit in one second: the window rule the server applies holds.
    assert sends[20] - sends[0] > 1.0
    assert sends[20] - sends[0] < 1.0 / TokenBucket.HEADROOM + 1e-9
    assert all(b - a >= 1 / 20 for a, b in itertools.pairwise(sends))


def test_first_request_goes_at_once() -> None:
    clock = StepClock()
    TokenBucket(1, clock).acquire()
    assert clock.slept == []
