"""The sandbox's own placeholder pictures: generated, deterministic, sized, never Amazon's."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx

from asa2render.sandbox import Sandbox, SandboxOptions
from asa2render.sandbox.images import placeholder_svg


def test_placeholder_is_a_sized_deterministic_svg() -> None:
    svg = placeholder_svg("B0DEMO0001", 160)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert (root.get("width"), root.get("height")) == ("160", "160")
    assert placeholder_svg("B0DEMO0001", 160) == svg
    assert placeholder_svg("B0DEMO0002", 160) != svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # no external references


def test_sandbox_serves_each_size_and_rejects_other_names() -> None:
    with Sandbox(SandboxOptions()) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        small = http.get("/_sandbox/images/B0DEMO0001._SL75_.svg")
        large = http.get("/_sandbox/images/B0DEMO0001.svg")
        assert small.status_code == large.status_code == 200
        assert small.headers["content-type"] == "image/svg+xml"
        assert ET.fromstring(small.text).get("width") == "75"
        assert ET.fromstring(large.text).get("width") == "500"
        assert http.get("/_sandbox/images/B0DEMO0001.png").status_code == 404
        assert http.get("/_sandbox/images/b0demo0001.svg").status_code == 404
