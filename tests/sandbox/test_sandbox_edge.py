"""The edge functions on their own: body framing from a byte stream, JSON depth, error shapes."""

from __future__ import annotations

import io
import json

import pytest

from asa2render.sandbox.edge import EdgeError, edge_reply, read_body
from asa2render.sandbox.wire import MAX_JSON_DEPTH, json_depth_exceeds, parse_json_object


class _SlowStream(io.BytesIO):
    """A stream whose data runs out like a socket whose read timeout expired."""

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        if size is not None and 0 <= len(data) < size:
            raise TimeoutError("timed out")
        return data


def test_content_length_body() -> None:
    assert read_body({"content-length": "5"}, io.BytesIO(b"hello world"), 100) == b"hello"


def test_no_framing_means_no_body() -> None:
    assert read_body({}, io.BytesIO(b"ignored"), 100) == b""


def test_chunked_body_with_extensions_and_trailers() -> None:
    stream = io.BytesIO(b"5;name=v\r\nhello\r\n1\r\n!\r\n0\r\nX-Checksum: 1\r\n\r\nNEXT")
    assert read_body({"transfer-encoding": "Chunked"}, stream, 100) == b"hello!"
    assert stream.read() == b"NEXT"  # the next request on the connection is untouched


@pytest.mark.parametrize(
    ("headers", "data", "status"),
    [
        ({"content-length": "abc"}, b"", 400),
        ({"content-length": "101"}, b"", 413),
        ({"content-length": "10"}, b"short", 400),
        ({"transfer-encoding": "chunked"}, b"g\r\n", 400),
        ({"transfer-encoding": "chunked"}, b"65\r\n" + b"x" * 101 + b"\r\n0\r\n\r\n", 413),
        ({"transfer-encoding": "chunked"}, b"1\r\nab\r\n0\r\n\r\n", 400),
        ({"transfer-encoding": "chunked"}, b"0\r\n" + b"X: 1\r\n" * 100, 400),
    ],
)
def test_malformed_framing(headers: dict[str, str], data: bytes, status: int) -> None:
    with pytest.raises(EdgeError) as caught:
        read_body(headers, io.BytesIO(data), 100)
    assert caught.value.status == status


def test_a_stalled_body_is_408() -> None:
    with pytest.raises(EdgeError) as caught:
        read_body({"content-length": "10"}, _SlowStream(b"ab"), 100)
    assert caught.value.status == 408


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        ("/oauth2/token", {"error", "error_description"}),
        ("/paapi5/getitems", {"__type", "Errors"}),
        ("/catalog/v1/getItems", {"type", "message", "reason"}),
        ("/nowhere", {"type", "message", "reason"}),
    ],
)
def test_error_shape_follows_the_path(path: str, keys: set[str]) -> None:
    reply = edge_reply(path, 413, "too big")
    assert reply.status == 413
    assert set(json.loads(reply.body)) == keys


def test_depth_limit() -> None:
    at_limit = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert not json_depth_exceeds(at_limit)
    assert json_depth_exceeds("[" + at_limit + "]")
    assert not json_depth_exceeds('{"a": "' + "[" * 100 + '"}')
    assert not json_depth_exceeds('{"a": "\\"' + "{" * 100 + '"}')


@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"a": NaN}', b'{"a": ' + b"1" * 5000 + b"}", b"\xff"])
def test_unparseable_bodies_are_none(body: bytes) -> None:
    assert parse_json_object(body) is None
