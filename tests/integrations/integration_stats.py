"""Reading the sandbox's stats in integration tests (a module of its own: conftest names collide)."""

from __future__ import annotations

from collections import Counter
from typing import Any


def get_items_per_marketplace(stats: dict[str, Any]) -> Counter[str]:
    """How many GetItems calls the sandbox served, per marketplace."""
    return Counter(
        str(r["marketplace"]) for r in stats["requests"] if "getitems" in str(r["operation"]).lower()
    )
