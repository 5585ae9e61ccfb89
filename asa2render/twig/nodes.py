"""The Twig syntax tree: expressions and statements, each carrying its source line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Node:
    """Base of every node."""

    line: int


# --- expressions -------------------------------------------------------------------------------


@dataclass(slots=True)
class Const(Node):
    """A literal: string, number, boolean or null."""

    value: object


@dataclass(slots=True)
class Name(Node):
    """A variable."""

    name: str


@dataclass(slots=True)
class ArrayLit(Node):
    """A sequence literal ``[a, ...b]``."""

    items: list[Node]
    spread: list[bool]


@dataclass(slots=True)
class HashLit(Node):
    """A mapping literal ``{k: v, ...h}``."""

    pairs: list[tuple[Node | None, Node]]  # key None: spread ``...expr``


@dataclass(slots=True)
class Interp(Node):
    """A double-quoted string with ``#{…}`` parts."""

    parts: list[Node]


@dataclass(slots=True)
class Unary(Node):
    """``not``, ``-`` or ``+`` applied to an operand."""

    op: str
    operand: Node


@dataclass(slots=True)
class Binary(Node):
    """A binary operator."""

    op: str
    left: Node
    right: Node


@dataclass(slots=True)
class Conditional(Node):
    """``a ? b : c`` and its short forms."""

    test: Node
    then: Node | None  # None: ``a ?: b``
    otherwise: Node | None  # None: ``a ? b`` (else null)


@dataclass(slots=True)
class GetAttr(Node):
    """``a.b``, ``a.b(args)`` or ``a[b]``."""

    obj: Node
    attr: Node
    args: list[Node] | None  # not None: a method call ``a.b(…)``
    kind: str  # "any" (``a.b``) or "array" (``a[b]``)


@dataclass(slots=True)
class SliceExpr(Node):
    """``a[start:length]``."""

    obj: Node
    start: Node | None
    length: Node | None


@dataclass(slots=True)
class Call(Node):
    """A filter, function or test application; ``node`` is the filtered/tested value (None for functions)."""

    name: str
    node: Node | None
    args: list[Node]
    kwargs: dict[str, Node]


@dataclass(slots=True)
class FilterExpr(Call):
    """``node|name(args)``."""


@dataclass(slots=True)
class FunctionExpr(Call):
    """``name(args)``."""


@dataclass(slots=True)
class TestExpr(Call):
    """``node is name(args)``."""


@dataclass(slots=True)
class Arrow(Node):
    """An arrow function ``(a, b) => expr``."""

    params: list[str]
    body: Node


@dataclass(slots=True)
class MacroCall(Node):
    """A call of an imported macro."""

    alias: str
    macro: str
    args: list[Node]
    kwargs: dict[str, Node]


# --- statements --------------------------------------------------------------------------------


@dataclass(slots=True)
class Text(Node):
    """Template text outside tags."""

    text: str


@dataclass(slots=True)
class Print(Node):
    """``{{ expr }}``."""

    expr: Node


@dataclass(slots=True)
class If(Node):
    """``if``/``elseif``/``else``."""

    branches: list[tuple[Node, list[Node]]]
    otherwise: list[Node] | None


@dataclass(slots=True)
class For(Node):
    """``for [key,] value in seq`` with an optional ``else``."""

    key: str | None
    value: str
    seq: Node
    body: list[Node]
    otherwise: list[Node] | None


@dataclass(slots=True)
class Set(Node):
    """``set`` of values, or of a captured block."""

    names: list[str]
    values: list[Node] | None  # None: capture ``body``
    body: list[Node] | None


@dataclass(slots=True)
class Block(Node):
    """A ``block`` definition."""

    name: str
    body: list[Node]


@dataclass(slots=True)
class Extends(Node):
    """``extends``."""

    parent: Node


@dataclass(slots=True)
class Include(Node):
    """The ``include`` tag."""

    template: Node
    variables: Node | None
    only: bool
    ignore_missing: bool


@dataclass(slots=True)
class Macro(Node):
    """A ``macro`` definition."""

    name: str
    params: list[tuple[str, Node | None]]
    body: list[Node]


@dataclass(slots=True)
class Import(Node):
    """``import … as alias``."""

    template: Node
    alias: str


@dataclass(slots=True)
class FromImport(Node):
    """``from … import a as b``."""

    template: Node
    names: list[tuple[str, str]]  # (macro, alias)


@dataclass(slots=True)
class With(Node):
    """``with``."""

    variables: Node | None
    only: bool
    body: list[Node]


@dataclass(slots=True)
class Apply(Node):
    """``apply``."""

    filters: list[FilterExpr]  # each with node None: applied in order to the captured body
    body: list[Node]


@dataclass(slots=True)
class Autoescape(Node):
    """``autoescape``."""

    strategy: str | None  # None: off
    body: list[Node]


@dataclass(slots=True)
class Do(Node):
    """``do``."""

    expr: Node


@dataclass(slots=True)
class Module:
    """One parsed template."""

    name: str
    body: list[Node]
    parent: Extends | None = None
    blocks: dict[str, Block] = field(default_factory=dict)
    macros: dict[str, Macro] = field(default_factory=dict)


@dataclass(slots=True)
class BlockRef(Node):
    """Where a ``{% block %}`` stands: renders the (possibly overridden) block."""

    name: str
