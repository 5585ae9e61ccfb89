"""The product records are never tracked by the cyclic GC, so none of them may be part of a cycle."""

from __future__ import annotations

import gc

import msgspec.inspect as inspect
import pytest
from asa2_fakes import make_product

from asa2render.products import models
from asa2render.products.models import Failure, ProductKey, Resolved, SearchQuery, SearchResolved

# Types that hold no reference to anything that could refer back (atoms, in msgspec's terms).
_ATOMS = (
    inspect.NoneType,
    inspect.BoolType,
    inspect.IntType,
    inspect.FloatType,
    inspect.StrType,
    inspect.DecimalType,
    inspect.DateTimeType,
    inspect.LiteralType,
)


def _records() -> list[type[models._Model]]:
    return [
        value
        for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, models._Model) and value is not models._Model
    ]


def _acyclic(kind: inspect.Type) -> bool:
    """Whether a field of this type can only hold atoms, immutable tuples of them, or product records."""
    if isinstance(kind, _ATOMS):
        return True
    if isinstance(kind, inspect.UnionType):
        return all(_acyclic(member) for member in kind.types)
    if isinstance(kind, inspect.VarTupleType):
        return _acyclic(kind.item_type)
    if isinstance(kind, inspect.TupleType):
        return all(_acyclic(item) for item in kind.item_types)
    if isinstance(kind, inspect.NamedTupleType):
        return all(_acyclic(field.type) for field in kind.fields)
    if isinstance(kind, inspect.StructType):
        return issubclass(kind.cls, models._Model)  # checked on its own (every record is listed)
    return False


@pytest.mark.parametrize("record", _records(), ids=lambda record: record.__name__)
def test_every_product_record_holds_only_values_that_cannot_form_a_cycle(
    record: type[models._Model],
) -> None:
    info = inspect.type_info(record)
    assert isinstance(info, inspect.StructType)
    assert record.__struct_config__.frozen
    for field in info.fields:
        assert _acyclic(field.type), f"{record.__name__}.{field.name} may hold a mutable container"


def test_product_records_are_not_tracked_by_the_cyclic_gc() -> None:
    product = make_product()
    resolved = Resolved(key_country="de", key_asin=product.asin, product=product, state="fresh")
    searched = SearchResolved(
        query=SearchQuery("de", "tea", 3), failure=Failure(kind="network", message="down")
    )
    assert not gc.is_tracked(product)
    assert not gc.is_tracked(product.images)
    assert not gc.is_tracked(resolved)
    assert not gc.is_tracked(searched)
    assert resolved.key == ProductKey("de", product.asin)
