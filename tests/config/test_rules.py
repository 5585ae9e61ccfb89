"""Report conditions: parsed on load, with clear messages for what is not a condition."""

from __future__ import annotations

import pytest

from asa2render.config.rules import Term, parse_condition


def test_terms_thresholds_and_combinations() -> None:
    condition = parse_condition("Out-of-stock or price_changed > 15% and not replaced")
    assert condition.alternatives == (
        (Term("out_of_stock"),),
        (Term("price_changed", 15.0), Term("replaced", negate=True)),
    )
    assert str(condition) == "out_of_stock or price_changed > 15% and not replaced"


def test_defaults_for_measured_terms() -> None:
    assert parse_condition("stale").alternatives == ((Term("stale", 24.0),),)
    assert parse_condition("price_change").alternatives == ((Term("price_changed", 10.0),),)
    assert parse_condition("stale > 6h").alternatives == ((Term("stale", 6.0),),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cheaper", "unknown condition 'cheaper'"),
        ("replaced > 3", "replaced takes no threshold"),
        ("stale > 3%", "stale is measured in 'h'"),
        ("unavailable and", "unknown condition"),
    ],
)
def test_bad_conditions(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_condition(text)
