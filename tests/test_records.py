"""The record base (asa2render/records.py): validation errors, secrets, dumps and the cache's JSON shape;
the plain value classes built on msgspec Structs behave as the dataclasses they were."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import msgspec
import pytest
from msgspec import Meta

from asa2render.cli.content import OutputPlan, Source
from asa2render.config.model import ApiConfig, MarketplaceConfig, PaapiConfig, config_from_dict
from asa2render.config.rules import Condition, Term
from asa2render.engine import Document
from asa2render.errors import Asa2Error, ConfigError, Location, RecordError
from asa2render.front_matter import FrontMatter
from asa2render.marketplaces import Store
from asa2render.products.asins import AsinRef
from asa2render.products.autoprice import AutoPrice
from asa2render.products.cache import CacheStats
from asa2render.products.models import (
    Availability,
    Failure,
    Image,
    Images,
    Money,
    OfferSummary,
    Product,
    Savings,
    SearchResult,
    VariationSummary,
)
from asa2render.products.resolve import Problem as ResolveProblem
from asa2render.products.store import StoreReport
from asa2render.records import FieldError, Record, SecretStr
from asa2render.render.hosts import Placement
from asa2render.shared import Backing
from asa2render.shared.location import CacheUrl
from asa2render.shared.marking import Mark
from asa2render.shortcodes.attributes import ParsedAttributes
from asa2render.shortcodes.attributes import Problem as AttributeProblem
from asa2render.shortcodes.commonmark import LinkShortcode, Run
from asa2render.shortcodes.model import Diagnostic, ScanResult

SECRET = "hunter2-very-secret"


class Part(Record, frozen=True, kw_only=True):
    size: Annotated[int, Meta(ge=1, le=9)] = 1
    colour: Literal["red", "blue"] = "red"
    name: str | None = None

    def __post_init__(self) -> None:
        if self.name == "bad":
            raise FieldError("name", "names may not be 'bad'")


class Box(Record, frozen=True, kw_only=True):
    parts: tuple[Part, ...] = ()
    key: SecretStr | None = None


def _error(data: object) -> RecordError:
    with pytest.raises(RecordError) as caught:
        Box.model_validate(data)
    return caught.value


def test_a_secret_never_shows_its_value() -> None:
    secret = SecretStr(SECRET)
    assert SECRET not in repr(secret) and SECRET not in str(secret) and SECRET not in f"{secret}"
    assert secret.get_secret_value() == SECRET
    box = Box.model_validate({"key": SECRET, "parts": [{"size": 2}]})
    assert SECRET not in repr(box) and SECRET not in str(box.model_dump(mode="json"))
    assert box.key == SecretStr(SECRET)
    market = MarketplaceConfig(
        country="de", credential_type="cognito", credential_id="id", credential_secret=secret
    )
    assert SECRET not in repr(market) and SECRET not in repr(PaapiConfig(secret_key=secret))


def test_a_secret_is_not_in_validation_errors() -> None:
    error = _error({"key": SECRET, "parts": [{"size": 0}]})
    assert SECRET not in str(error)
    with pytest.raises(ConfigError) as caught:
        config_from_dict(
            {"marketplaces": [{"country": "de", "credential_secret": SECRET, "credential_type": "oauth"}]}
        )
    assert SECRET not in str(caught.value) and "marketplaces.0.credential_type" in str(caught.value)


def test_a_secret_must_be_a_string() -> None:
    error = _error({"key": 12345})
    assert error.key == "key" and "str" in error.reason and "12345" not in str(error)


def test_an_unknown_field_is_refused_by_name() -> None:
    error = _error({"parts": [{"size": 2}, {"sise": 3}]})
    assert (error.key, error.reason) == ("parts.1.sise", "unknown key")
    assert str(error) == "parts.1.sise: unknown key"
    assert isinstance(error, Asa2Error) and isinstance(error, ValueError)


def test_constraint_errors_name_the_key_and_the_bound() -> None:
    assert str(_error({"parts": [{"size": 10}]})) == "parts.0.size: must be less than or equal to 9"
    assert str(_error({"parts": [{"size": "x"}]})) == "parts.0.size: Expected `int`, got `str`"
    with pytest.raises(ConfigError, match=r"api\.timeout: must be greater than 0"):
        config_from_dict({"api": {"timeout": 0}})
    assert ApiConfig.model_validate({"timeout": "5"}).timeout == 5.0  # a text format's "5" is a 5


def test_literal_errors_say_what_is_allowed() -> None:
    error = _error({"parts": [{"colour": "green"}]})
    assert error.key == "parts.0.colour"
    assert error.reason == "Invalid enum value 'green'; allowed: 'red', 'blue'"


def test_checks_in_post_init_name_their_field() -> None:
    assert str(_error({"parts": [{"name": "bad"}]})) == "parts.0.name: names may not be 'bad'"


def test_dump_copy_and_fields() -> None:
    part = Part(size=3, name=None)
    assert part.model_dump() == {"size": 3, "colour": "red", "name": None}
    assert part.model_dump(exclude_none=True, exclude_defaults=True) == {"size": 3}
    assert Box(parts=(part,)).model_dump()["parts"] == ({"size": 3, "colour": "red", "name": None},)
    assert part.model_copy(update={"size": 4}) == Part(size=4)
    with pytest.raises(FieldError):
        part.model_copy(update={"name": "bad"})  # the checks run on copies too
    assert Part.model_fields() == ("size", "colour", "name")


def _eur(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="EUR", display=f"{amount} €")


def _product() -> Product:
    return Product(
        asin="B0REPR0001",
        country="de",
        title="Espresso grinder",
        url="https://www.amazon.de/dp/B0REPR0001?tag=mytag-21",
        images=Images(
            small=Image(url="https://m.media-amazon.com/images/I/s.jpg", width=75, height=75),
            large=Image(url="https://m.media-amazon.com/images/I/l.jpg", width=500, height=500),
        ),
        price=_eur("47.67"),
        sale_price=_eur("47.67"),
        savings=Savings(money=_eur("12.33"), percentage=21),
        list_price=_eur("60.00"),
        availability=Availability(type="IN_STOCK", message="Only 3 left", min_order_quantity=1),
        brand="Acme",
        features=("Conical burrs", "40 settings"),
        rating=4.5,
        review_count=1234,
        merchant="Amazon",
        parent_asin="B0PARENT01",
        offer_summaries=(
            OfferSummary(condition="New", lowest=_eur("45.00"), highest=_eur("59.90"), offer_count=3),
            OfferSummary(condition="Used", lowest=_eur("30.10"), offer_count=1),
        ),
        variations=VariationSummary(
            lowest=_eur("40.00"), highest=_eur("70.00"), count=4, dimensions=("Color", "Size")
        ),
        fetched_at=datetime(2026, 11, 27, 12, 0, 5, 123456, tzinfo=UTC),
        source="creators",
        categories=("kitchen",),
        tags=("grinder",),
        review="My **own** verdict.",
    )


# What pydantic wrote for this product (asa2render 0.1.0's caches hold entries of this shape).
PYDANTIC_JSON = {
    "asin": "B0REPR0001",
    "country": "de",
    "title": "Espresso grinder",
    "url": "https://www.amazon.de/dp/B0REPR0001?tag=mytag-21",
    "images": {
        "small": {"url": "https://m.media-amazon.com/images/I/s.jpg", "width": 75, "height": 75},
        "medium": None,
        "large": {"url": "https://m.media-amazon.com/images/I/l.jpg", "width": 500, "height": 500},
    },
    "price": {"amount": "47.67", "currency": "EUR", "display": "47.67 €"},
    "sale_price": {"amount": "47.67", "currency": "EUR", "display": "47.67 €"},
    "savings": {"money": {"amount": "12.33", "currency": "EUR", "display": "12.33 €"}, "percentage": 21},
    "list_price": {"amount": "60.00", "currency": "EUR", "display": "60.00 €"},
    "availability": {
        "type": "IN_STOCK",
        "message": "Only 3 left",
        "min_order_quantity": 1,
        "max_order_quantity": None,
    },
    "brand": "Acme",
    "features": ["Conical burrs", "40 settings"],
    "violates_map": False,
    "rating": 4.5,
    "review_count": 1234,
    "merchant": "Amazon",
    "parent_asin": "B0PARENT01",
    "offer_summaries": [
        {
            "condition": "New",
            "lowest": {"amount": "45.00", "currency": "EUR", "display": "45.00 €"},
            "highest": {"amount": "59.90", "currency": "EUR", "display": "59.90 €"},
            "offer_count": 3,
        },
        {
            "condition": "Used",
            "lowest": {"amount": "30.10", "currency": "EUR", "display": "30.10 €"},
            "highest": None,
            "offer_count": 1,
        },
    ],
    "variations": {
        "lowest": {"amount": "40.00", "currency": "EUR", "display": "40.00 €"},
        "highest": {"amount": "70.00", "currency": "EUR", "display": "70.00 €"},
        "count": 4,
        "dimensions": ["Color", "Size"],
    },
    "fetched_at": "2026-11-27T12:00:05.123456Z",
    "source": "creators",
    "categories": ["kitchen"],
    "tags": ["grinder"],
    "review": "My **own** verdict.",
    "shop": None,
}


def test_a_product_dumps_exactly_what_pydantic_dumped() -> None:
    dumped = _product().model_dump(mode="json")
    assert dumped == PYDANTIC_JSON
    assert json.dumps(dumped) == json.dumps(PYDANTIC_JSON)  # same key order too


def test_a_cached_product_reads_back_identically() -> None:
    assert Product.model_validate(json.loads(json.dumps(PYDANTIC_JSON))) == _product()


def test_failures_and_searches_keep_their_json() -> None:
    failure = Failure(kind="not_found", message="de:B0X: gone", permanent=True)
    assert failure.model_dump_json() == '{"kind":"not_found","message":"de:B0X: gone","permanent":true}'
    assert Failure.model_validate(json.loads(failure.model_dump_json())) == failure
    assert Failure.json_bytes(failure) == failure.model_dump_json().encode()
    both = f"[{failure.model_dump_json()},{failure.model_dump_json()}]"
    assert Failure.json_bytes([failure, failure]) == both.encode()
    search = SearchResult(
        country="de",
        keywords="coffee",
        asins=("B0A", "B0B"),
        total=2,
        fetched_at=datetime(2026, 11, 27, 12, tzinfo=UTC),
    )
    assert search.model_dump(mode="json") == {
        "country": "de",
        "keywords": "coffee",
        "asins": ["B0A", "B0B"],
        "search_url": None,
        "total": 2,
        "fetched_at": "2026-11-27T12:00:00Z",
    }


def test_products_ignore_fields_of_newer_versions() -> None:
    entry = {**PYDANTIC_JSON, "colour": "red"}
    assert Product.model_validate(entry) == _product()


# -- value classes that were dataclasses ------------------------------------------------------------
# A dataclass costs 2-4 M instructions to create at import (its methods are generated and compiled),
# a msgspec Struct about 0.1 M; these classes are created on every render's start-up. Each must behave
# as the dataclass it was: the reference is a dataclass with the same fields, defaults and frozenness.

STRUCTS: tuple[type[msgspec.Struct], ...] = (
    Location,
    Store,
    CacheStats,
    Diagnostic,
    ScanResult,
    OutputPlan,
    Source,
    Term,
    Condition,
    AttributeProblem,
    AutoPrice,
    AsinRef,
    Placement,
    LinkShortcode,
    Run,
    FrontMatter,
    Document,
    StoreReport,
    Mark,
    Backing,
    CacheUrl,
    ResolveProblem,
    ParsedAttributes,
)
# Fields the dataclass left out of repr (``field(repr=False)``); their Structs write ``__repr__``.
HIDDEN = {CacheUrl: {"url"}, Backing: {"_redis"}}


def _reference(struct: type[msgspec.Struct]) -> type[Any]:
    """The dataclass ``struct`` replaced: same name, fields in order, defaults and frozenness."""
    names = struct.__struct_fields__
    defaults = (dataclasses.MISSING,) * (
        len(names) - len(struct.__struct_defaults__)
    ) + struct.__struct_defaults__
    specs: list[tuple[str, Any, Any]] = []
    for name, default in zip(names, defaults, strict=True):
        factory = getattr(default, "factory", None)  # msgspec's stand-in for a default_factory
        shown = name not in HIDDEN.get(struct, ())
        if factory:
            spec = dataclasses.field(default_factory=factory, repr=shown)
        else:
            spec = dataclasses.field(default=default, repr=shown)
        specs.append((name, Any, spec))
    return dataclasses.make_dataclass(
        struct.__name__, specs, frozen=struct.__struct_config__.frozen, slots=True
    )


def _values(struct: type[msgspec.Struct], salt: int) -> list[Any]:
    """Distinct, hashable values, one per field (the classes do not check types when built)."""
    count = len(struct.__struct_fields__)
    return [f"value {index}.{salt}" if index % 2 else index * 10 + salt for index in range(count)]


def _required(struct: type[msgspec.Struct]) -> int:
    return len(struct.__struct_fields__) - len(struct.__struct_defaults__)


@pytest.mark.parametrize("struct", STRUCTS, ids=lambda struct: struct.__name__)
def test_a_value_struct_behaves_as_the_dataclass_it_was(struct: type[msgspec.Struct]) -> None:
    reference = _reference(struct)
    one, same, other = _values(struct, 1), _values(struct, 1), _values(struct, 2)
    built, expected = struct(*one), reference(*one)
    assert repr(built) == repr(expected)
    assert built == struct(*same) and built == struct(
        **dict(zip(struct.__struct_fields__, same, strict=True))
    )
    assert built != struct(*other)
    as_tuple: object = tuple(one)
    assert built.__eq__(expected) is NotImplemented and built != as_tuple
    assert struct.__match_args__ == reference.__match_args__
    assert not hasattr(built, "__dict__")
    assert pickle.loads(pickle.dumps(built)) == built and copy.copy(built) == built
    if struct.__struct_config__.frozen:
        assert hash(built) == hash(struct(*same))
        with pytest.raises(AttributeError):
            setattr(built, struct.__struct_fields__[0], "changed")
    else:
        with pytest.raises(TypeError):
            hash(built)
        setattr(built, struct.__struct_fields__[0], "changed")
        setattr(expected, struct.__struct_fields__[0], "changed")
        assert repr(built) == repr(expected)


@pytest.mark.parametrize("struct", STRUCTS, ids=lambda struct: struct.__name__)
def test_a_value_struct_has_the_dataclass_defaults(struct: type[msgspec.Struct]) -> None:
    reference = _reference(struct)
    required = _values(struct, 3)[: _required(struct)]
    built, expected = struct(*required), reference(*required)
    assert repr(built) == repr(expected)
    for name in struct.__struct_fields__:
        value = getattr(built, name)
        if isinstance(value, (list, dict)):  # a default factory: a fresh object each time, as before
            assert value is not getattr(struct(*required), name)
    with pytest.raises(TypeError):
        struct(*_values(struct, 3), "one too many")
