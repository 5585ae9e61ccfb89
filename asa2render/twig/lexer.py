"""Twig lexer: template source to a flat token list, with Twig 3's whitespace-control rules.

Follows the rules of Twig's own lexer: the first newline after ``%}`` and ``#}`` is dropped, ``-`` trims all
whitespace on that side, ``~`` trims spaces and tabs only, ``verbatim`` blocks are copied untouched, and
double-quoted strings may interpolate ``#{expr}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from asa2render.twig.errors import TwigSyntaxError

# Token kinds.
TEXT = "text"
VAR_START = "var_start"
VAR_END = "var_end"
BLOCK_START = "block_start"
BLOCK_END = "block_end"
NAME = "name"
NUMBER = "number"
STRING = "string"
OPERATOR = "operator"
PUNCT = "punct"
ISTRING_START = "istring_start"  # a double-quoted string with #{…} interpolation
ISTRING_END = "istring_end"
INTERP_START = "interp_start"
INTERP_END = "interp_end"
SPREAD = "spread"
ARROW = "arrow"
EOF = "eof"

UNARY_OPERATORS = ("not", "-", "+")
BINARY_OPERATORS = (
    "or", "xor", "and", "b-or", "b-xor", "b-and", "==", "!=", "<=>", "<", ">", ">=", "<=", "not in", "in",
    "matches", "starts with", "ends with", "has some", "has every", "..", "+", "-", "~", "*", "/", "//", "%",
    "is", "is not", "**", "??",
)  # fmt: skip


def _operator_regex() -> re.Pattern[str]:
    operators = sorted({"=", *UNARY_OPERATORS, *BINARY_OPERATORS}, key=len, reverse=True)
    parts = []
    for op in operators:
        pattern = re.escape(op)
        if op[-1].isalpha():
            pattern += r"(?=[\s()\[{])"
        if op[0].isalpha():
            pattern = r"(?<![.|])" + pattern
        parts.append(pattern.replace(r"\ ", r"\s+"))
    return re.compile("|".join(parts))


_OPERATOR = _operator_regex()
_NAME = re.compile(r"[a-zA-Z_\x7f-\U0010ffff][a-zA-Z0-9_\x7f-\U0010ffff]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[Ee][+\-][0-9]+)?")
_STRING = re.compile(r""""([^#"\\]*(?:\\.[^#"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'""", re.S)
_DQ_PART = re.compile(r"""[^#"\\]*(?:(?:\\.|#(?!\{))[^#"\\]*)*""", re.S)
_WHITESPACE = re.compile(r"\s+")
_INLINE_COMMENT = re.compile(r"#[^\n]*")
_TOKEN_START = re.compile(r"(\{\{|\{%|\{#)([-~]?)")
_LINE_WS = " \t\0\x0b"
_BLOCK_END = re.compile(r"\s*(?:-%\}\s*\n?|~%\}[ \t\0\x0b]*|%\}\n?)")
_VAR_END = re.compile(r"\s*(?:-\}\}\s*|~\}\}[ \t\0\x0b]*|\}\})")
_COMMENT_END = re.compile(r"(?:-#\}\s*\n?|~#\}[ \t\0\x0b]*|#\}\n?)", re.S)
_VERBATIM_START = re.compile(r"\s*verbatim\s*(?:-%\}\s*|~%\}[ \t\0\x0b]*|%\})")
_VERBATIM_END = re.compile(r"\{%([-~]?)\s*endverbatim\s*(?:-%\}\s*|~%\}[ \t\0\x0b]*|%\})", re.S)
_ESCAPES = {"f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "e": "\x1b", "0": "\0"}
_OCTAL_HEX = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))", re.S)


@dataclass(frozen=True, slots=True)
class Token:
    """One token; ``value`` is the text, the number, or the unescaped string."""

    kind: str
    value: object
    line: int


def unescape(body: str, quote: str) -> str:
    """PHP ``stripcslashes`` as Twig applies it: ``\\n`` etc., octal, hex; ``\\<quote>`` keeps the quote."""

    def one(match: re.Match[str]) -> str:
        octal, hexa, char = match.groups()
        if octal is not None:
            return chr(int(octal, 8) & 0xFF)
        if hexa is not None:
            return chr(int(hexa, 16))
        if char in _ESCAPES:
            return _ESCAPES[char]
        if char == "\\" or char == quote or char == "#":
            return char
        # PHP's stripcslashes drops the backslash before any other character.
        return char

    return _OCTAL_HEX.sub(one, body)


class Lexer:
    """Turns one template's source into tokens; create one per template."""

    def __init__(self, source: str, name: str) -> None:
        self.code = source.replace("\r\n", "\n").replace("\r", "\n")
        self.name = name
        self.pos = 0
        self.line = 1
        self.tokens: list[Token] = []
        self.brackets: list[tuple[str, int]] = []

    def error(self, message: str, line: int | None = None) -> TwigSyntaxError:
        return TwigSyntaxError(message, self.name, line or self.line)

    def advance(self, text: str) -> None:
        self.pos += len(text)
        self.line += text.count("\n")

    def push(self, kind: str, value: object, line: int | None = None) -> None:
        self.tokens.append(Token(kind, value, self.line if line is None else line))

    def tokenize(self) -> list[Token]:
        """Lex the whole template."""
        code = self.code
        while self.pos < len(code):
            match = _TOKEN_START.search(code, self.pos)
            if match is None:
                self.push(TEXT, code[self.pos :])
                self.advance(code[self.pos :])
                break
            text = code[self.pos : match.start()]
            if match.group(2) == "-":
                text = text.rstrip()
            elif match.group(2) == "~":
                text = text.rstrip(_LINE_WS)
            if text:
                self.push(TEXT, text)
            self.advance(code[self.pos : match.start()])
            self.advance(match.group(0))
            opener = match.group(1)
            if opener == "{#":
                self.lex_comment()
            elif opener == "{%" and (verbatim := _VERBATIM_START.match(code, self.pos)):
                self.advance(verbatim.group(0))
                self.lex_verbatim()
            elif opener == "{%":
                self.push(BLOCK_START, "{%")
                self.lex_inside(_BLOCK_END, BLOCK_END, "block")
            else:
                self.push(VAR_START, "{{")
                self.lex_inside(_VAR_END, VAR_END, "variable")
        self.push(EOF, None)
        return self.tokens

    def lex_comment(self) -> None:
        start = self.line
        end = _COMMENT_END.search(self.code, self.pos)
        if end is None:
            raise self.error("Unclosed comment.", start)
        self.advance(self.code[self.pos : end.end()])

    def lex_verbatim(self) -> None:
        start = self.line
        end = _VERBATIM_END.search(self.code, self.pos)
        if end is None:
            raise self.error('Unexpected end of file: Unclosed "verbatim" block.', start)
        text = self.code[self.pos : end.start()]
        if end.group(1) == "-":
            text = text.rstrip()
        elif end.group(1) == "~":
            text = text.rstrip(_LINE_WS)
        self.push(TEXT, text)
        self.advance(self.code[self.pos : end.end()])

    def lex_inside(self, end_re: re.Pattern[str], end_kind: str, what: str) -> None:
        code = self.code
        while True:
            if not self.brackets and (end := end_re.match(code, self.pos)):
                self.push(end_kind, None)
                self.advance(end.group(0))
                return
            if self.pos >= len(code):
                return  # the parser reports the missing end: Unexpected token "end of template"
            self.lex_expression(what)

    def lex_expression(self, what: str) -> None:
        code = self.code
        if ws := _WHITESPACE.match(code, self.pos):
            self.advance(ws.group(0))
            if self.pos >= len(code):
                raise self.error(f'Unclosed "{what}".')
            return
        char = code[self.pos]
        if code.startswith("...", self.pos):
            self.push(SPREAD, "...")
            self.advance("...")
        elif code.startswith("=>", self.pos):
            self.push(ARROW, "=>")
            self.advance("=>")
        elif op := _OPERATOR.match(code, self.pos):
            self.push(OPERATOR, re.sub(r"\s+", " ", op.group(0)))
            self.advance(op.group(0))
        elif name := _NAME.match(code, self.pos):
            self.push(NAME, name.group(0))
            self.advance(name.group(0))
        elif number := _NUMBER.match(code, self.pos):
            text = number.group(0)
            self.push(NUMBER, int(text) if text.isdigit() else float(text))
            self.advance(text)
        elif char in "()[]{}?:.,|":
            self.lex_punctuation(char)
        elif string := _STRING.match(code, self.pos):
            body = string.group(0)
            self.push(STRING, unescape(body[1:-1], body[0]))
            self.advance(body)
        elif char == '"':
            self.lex_interpolated_string()
        elif comment := _INLINE_COMMENT.match(code, self.pos):
            self.advance(comment.group(0))
        else:
            raise self.error(f'Unexpected character "{char}".')

    def lex_punctuation(self, char: str) -> None:
        if char in "([{":
            self.brackets.append((char, self.line))
        elif char in ")]}":
            if not self.brackets:
                raise self.error(f'Unexpected "{char}".')
            expect, line = self.brackets.pop()
            if {"(": ")", "[": "]", "{": "}"}[expect] != char:
                raise self.error(f'Unclosed "{expect}".', line)
        self.push(PUNCT, char)
        self.advance(char)

    def lex_interpolated_string(self) -> None:
        """``"a #{b} c"``: parts as STRING tokens and INTERP_START … INTERP_END groups."""
        start = self.line
        self.push(ISTRING_START, '"')
        self.advance('"')
        code = self.code
        while True:
            part = _DQ_PART.match(code, self.pos)
            text = part.group(0) if part else ""
            if text:
                self.push(STRING, unescape(text, '"'))
                self.advance(text)
            if code.startswith("#{", self.pos):
                self.push(INTERP_START, "#{")
                self.advance("#{")
                self.lex_interpolation()
            elif code.startswith('"', self.pos):
                self.push(ISTRING_END, '"')
                self.advance('"')
                return
            else:
                raise self.error('Unclosed """.', start)

    def lex_interpolation(self) -> None:
        depth = len(self.brackets)
        while True:
            if len(self.brackets) == depth and (end := re.compile(r"\s*\}").match(self.code, self.pos)):
                self.push(INTERP_END, "}")
                self.advance(end.group(0))
                return
            if self.pos >= len(self.code):
                raise self.error("Unclosed string interpolation.")
            self.lex_expression("variable")


def tokenize(source: str, name: str) -> list[Token]:
    """Lex ``source`` (the template called ``name``, for error messages)."""
    return Lexer(source, name).tokenize()
