"""Property tests: whatever text a user pastes, loading and rendering either works or raises a TwigError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asa2render.twig import TwigError, render_templates

FRAGMENTS = [
    "{{", "}}", "{%", "%}", "{#", "#}", "-", "~", " ", "\n", "if", "endif", "for", "in", "endfor", "else",
    "set", "=", "x", "y", "items", "'s'", '"a#{x}b"', "1", "2.5", "..", "|", "upper", "default", "(", ")", "[",
    "]", "{", "}", ":", ",", ".", "?", "??", "?:", "~", "+", "/", "//", "%", "**", "is", "not", "empty", "defined",
    "block", "endblock", "macro", "endmacro", "import", "_self", "as", "include", "extends", "verbatim",
    "endverbatim", "<b>", "loop", "index", "and", "or", "==", "<", "matches", "'/a/'", "raw", "e", "join", "date",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join), st.booleans())
def test_never_crashes(source: str, strict: bool) -> None:
    context = {"x": 1, "y": [1, 2], "items": {"a": "<b>"}}
    outcome: object
    try:
        outcome = render_templates({"t": source}, "t", context, strict_variables=strict)
    except TwigError as exc:
        outcome = exc
    # Either output, or an error located in the template ("t:<line>: …"); never another exception.
    assert isinstance(outcome, str) or (isinstance(outcome, TwigError) and outcome.template == "t")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="{}#%"), max_size=200))
def test_text_without_delimiters_renders_as_itself(text: str) -> None:
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    assert render_templates({"t": text}, "t", {}) == normalised
