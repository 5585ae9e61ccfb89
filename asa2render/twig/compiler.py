"""Compiles a parsed Twig :class:`~asa2render.twig.nodes.Module` to Python source.

Why not Jinja's compiler: Twig differs from Jinja at nearly every operator (PHP truthiness, "1"/"" for
booleans, integer division, ``??``, ``loop.parent``, by-value contexts), so every node would need a Jinja
override anyway; generating Python directly keeps one code generator and lets the output run as fast as
Jinja's own compiled templates (see the ``twig_render_vs_jinja`` benchmark).

Each template becomes ``root(r, c, blocks, m, w)`` plus one function per block and per macro: ``r`` is the
render state, ``c`` the context dict (copied wherever Twig passes contexts by value), ``blocks`` the
overriding blocks of child templates, ``m`` the imported macro namespaces, ``w`` the output writer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields

from asa2render.twig import nodes as n
from asa2render.twig.errors import TwigSyntaxError

COMPARISONS = {"==", "!=", "<", ">", ">=", "<=", "in", "not in", "matches", "starts with", "ends with"}
ARITHMETIC = {"+": "ADD", "-": "SUB", "*": "MUL", "/": "DIV", "//": "FLOORDIV", "%": "MOD", "**": "POW"}

# Named-argument order of each filter (Twig's parameter names).
FILTER_PARAMS: dict[str, tuple[str, ...]] = {
    "date": ("format", "timezone"),
    "replace": ("from",),
    "number_format": ("decimal", "decimal_point", "thousand_sep"),
    "round": ("precision", "method"),
    "json_encode": ("options",),
    "striptags": ("allowable_tags",),
    "trim": ("character_mask", "side"),
    "join": ("glue", "and"),
    "split": ("delimiter", "limit"),
    "merge": ("arrays",),
    "batch": ("size", "fill", "preserve_keys"),
    "column": ("name", "index"),
    "reverse": ("preserve_keys",),
    "slice": ("start", "length", "preserve_keys"),
    "default": ("default",),
    "map": ("arrow",),
    "filter": ("arrow",),
    "find": ("arrow",),
    "reduce": ("arrow", "initial"),
    "sort": ("arrow",),
    "escape": ("strategy", "charset"),
    "e": ("strategy", "charset"),
}
FUNCTION_PARAMS: dict[str, tuple[str, ...]] = {
    "range": ("low", "high", "step"),
    "cycle": ("values", "position"),
    "include": ("template", "variables", "with_context", "ignore_missing", "sandboxed"),
    "block": ("name", "template"),
    "date": ("date", "timezone"),
    "attribute": ("variable", "attribute", "arguments"),
}
SIMPLE_FILTERS = {
    "upper": "F.upper", "lower": "F.lower", "capitalize": "F.capitalize", "title": "F.title",
    "trim": "F.trim", "length": "F.length", "slice": "F.slice_", "first": "F.first", "last": "F.last",
    "join": "F.join", "split": "F.split", "replace": "F.replace", "format": "F.sprintf",
    "number_format": "F.number_format", "round": "F.round_", "abs": "F.abs_", "striptags": "F.striptags",
    "url_encode": "F.url_encode", "json_encode": "F.json_encode", "keys": "F.keys", "merge": "F.merge",
    "reverse": "F.reverse", "sort": "F.sort", "batch": "F.batch", "column": "F.column",
    "default": "F.default", "spaceless": "F.spaceless", "map": "F.map_", "filter": "F.filter_",
    "find": "F.find", "reduce": "F.reduce",
}  # fmt: skip
SIMPLE_TESTS = {
    "empty": "F.empty", "even": "F.is_even", "odd": "F.is_odd", "iterable": "F.is_iterable",
    "sequence": "F.is_sequence", "mapping": "F.is_mapping", "divisible by": "F.divisible_by",
    "same as": "R.same_as",
}  # fmt: skip
SAFE_FUNCTIONS = {"include", "parent", "block"}


@dataclass
class Compiled:
    """Generated source plus the map from generated line to template line."""

    source: str
    line_map: dict[int, int]
    macros: list[str]
    blocks: list[str]


@dataclass
class Scope:
    ctx: str = "c"
    writer: str = "w"
    strategy: str | None = "html"


@dataclass
class _Emitter:
    lines: list[str] = field(default_factory=list)
    line_map: dict[int, int] = field(default_factory=dict)
    indent: int = 0
    twig_line: int = 1

    def emit(self, code: str) -> None:
        self.lines.append("    " * self.indent + code)
        self.line_map[len(self.lines)] = self.twig_line


def _walk(body: list[n.Node]) -> Iterator[n.Node]:
    """Every statement node nested in ``body`` (not expressions)."""
    for node in body:
        yield node
        if isinstance(node, n.If):
            for _, branch in node.branches:
                yield from _walk(branch)
            if node.otherwise:
                yield from _walk(node.otherwise)
        elif isinstance(node, n.For):
            yield from _walk(node.body)
            if node.otherwise:
                yield from _walk(node.otherwise)
        elif isinstance(node, n.Set | n.Block):
            yield from _walk(node.body or [])
        elif isinstance(node, n.With | n.Apply | n.Autoescape):
            yield from _walk(node.body)


def _mentions(node: object, name: str) -> bool:
    """Whether an expression or statement tree mentions variable ``name`` (or includes templates)."""
    if isinstance(node, n.Name):
        return node.name == name
    if isinstance(node, n.Include | n.With):
        return True
    if isinstance(node, n.FunctionExpr) and node.name in ("include", "block", "parent"):
        return True
    if isinstance(node, list | tuple):
        return any(_mentions(item, name) for item in node)
    if isinstance(node, dict):
        return any(_mentions(item, name) for item in node.values())
    if isinstance(node, n.Node):
        return any(_mentions(getattr(node, f.name), name) for f in fields(node))
    return False


class Compiler:
    """Generates the Python module of one template."""

    def __init__(self, module: n.Module, *, autoescape: bool, strict: bool) -> None:
        self.module = module
        self.strict = strict
        self.default_strategy: str | None = "html" if autoescape else None
        self.out = _Emitter()
        self.counter = 0
        self.scope = Scope(strategy=self.default_strategy)

    def tmp(self, prefix: str = "_t") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def error(self, message: str, line: int) -> TwigSyntaxError:
        return TwigSyntaxError(message, self.module.name, line)

    # --- structure -------------------------------------------------------------------------------

    def compile(self) -> Compiled:
        module = self.module
        blocks = list(module.blocks)
        macros = list(module.macros)
        self.imports_function([node for node in module.body if isinstance(node, n.Import | n.FromImport)])
        self.function("root", [node for node in module.body if not isinstance(node, n.Import | n.FromImport)],
                      extends=module.parent)  # fmt: skip
        for index, name in enumerate(blocks):
            self.function(f"block_{index}", module.blocks[name].body)
        for index, name in enumerate(macros):
            self.macro(f"macro_{index}", module.macros[name])
        return Compiled("\n".join(self.out.lines) + "\n", self.out.line_map, macros, blocks)

    def function(self, name: str, body: list[n.Node], extends: n.Extends | None = None) -> None:
        out = self.out
        out.emit(f"def {name}(r, c, blocks, m, w):")
        out.indent += 1
        if name == "root":
            out.emit("m = r.template_imports(TEMPLATE, c)")
        if name != "root" and any(isinstance(node, n.Set) for node in _walk(body)):
            out.emit("c = dict(c)")
        if name != "root" and any(isinstance(node, n.Import | n.FromImport) for node in _walk(body)):
            out.emit("m = dict(m)")
        self.scope = Scope(strategy=self.default_strategy)
        self.statements(body)
        if extends is not None:
            out.twig_line = extends.line
            out.emit(f"r.extend(TEMPLATE, {self.expr(extends.parent)}, c, blocks, m, w)")
        out.emit("return None")
        out.indent -= 1

    def imports_function(self, imports: list[n.Node]) -> None:
        """``imports(r, c, m)``: the template-level imports, visible in every block and macro."""
        self.out.emit("def imports(r, c, m):")
        self.out.indent += 1
        self.scope = Scope(strategy=self.default_strategy)
        self.statements(imports)
        self.out.emit("return m")
        self.out.indent -= 1

    def macro(self, name: str, macro: n.Macro) -> None:
        out = self.out
        out.twig_line = macro.line
        params = [p for p, _ in macro.params]
        out.emit(f"def {name}(r, m, args, kwargs, line):")
        out.indent += 1
        out.emit(f"c = r.macro_context(TEMPLATE, {macro.name!r}, {params!r}, args, kwargs, line)")
        self.scope = Scope(strategy=self.default_strategy)
        for param, default in macro.params:
            value = self.expr(default) if default is not None else "None"
            out.emit(f"if c[{param!r}] is R.UNDEFINED: c[{param!r}] = {value}")
        out.emit("_o = []")
        out.emit("w = _o.append")
        if any(isinstance(node, n.Import | n.FromImport) for node in _walk(macro.body)):
            out.emit("m = dict(m)")
        self.statements(macro.body)
        out.emit("return Markup(''.join(_o))")
        out.indent -= 1

    @contextmanager
    def nested(self, **changes: str | None) -> Iterator[None]:
        saved = self.scope
        self.scope = Scope(**{**saved.__dict__, **changes})
        try:
            yield
        finally:
            self.scope = saved

    # --- statements ------------------------------------------------------------------------------

    def statements(self, body: list[n.Node]) -> None:
        for node in body:
            self.out.twig_line = node.line
            getattr(self, f"stmt_{type(node).__name__.lower()}")(node)

    def stmt_text(self, node: n.Text) -> None:
        self.out.emit(f"{self.scope.writer}({node.text!r})")

    def stmt_print(self, node: n.Print) -> None:
        self.out.emit(f"{self.scope.writer}({self.printed(node.expr)})")

    def printed(self, expr: n.Node) -> str:
        """The string to output for ``{{ expr }}`` under the active escaping strategy."""
        strategy = self.scope.strategy
        if isinstance(expr, n.Conditional) and strategy is not None:
            # Twig escapes each branch on its own, so a literal branch stays raw.
            other = self.printed(expr.otherwise) if expr.otherwise is not None else "''"
            if expr.then is None:
                value = self.tmp()
                then = self.printed_value(expr.test, value)
                return f"({then} if T({value} := {self.expr(expr.test)}) else {other})"
            return f"({self.printed(expr.then)} if {self.cond(expr.test)} else {other})"
        if isinstance(expr, n.Binary) and expr.op == "??" and strategy is not None:
            value = self.tmp()
            left = self.expr(expr.left, quiet=True)
            then = self.printed_value(expr.left, value)
            return f"({then} if ({value} := {left}) is not None else {self.printed(expr.right)})"
        return self.printed_value(expr, self.expr(expr))

    def printed_value(self, expr: n.Node, code: str) -> str:
        strategy = self.scope.strategy
        safety = self.safety(expr)
        if (
            strategy is None
            or safety == "all"
            or safety == strategy
            or (safety, strategy) == ("html_attr", "html")
        ):
            return f"S({code})"
        if safety is not None:  # safe for another strategy: escape again, ignoring the safe mark
            return f"ESCAPE(S({code}), {strategy!r})"
        if strategy == "html":
            return f"AE({code})"
        return f"ESCAPE({code}, {strategy!r}, None, True)"

    def safety(self, expr: n.Node) -> str | None:
        """The strategy ``expr`` is already safe for at compile time ("all", a strategy, or None)."""
        if isinstance(expr, n.Const):
            return "all"
        if isinstance(expr, n.MacroCall):
            return "all"
        if isinstance(expr, n.FunctionExpr) and expr.name in SAFE_FUNCTIONS:
            return "all"
        if isinstance(expr, n.FilterExpr):
            if expr.name == "raw":
                return "all"
            if expr.name in ("escape", "e"):
                strategy = self.const_arg(expr, 0, "strategy", "html")
                return strategy if isinstance(strategy, str) else None
            if expr.name == "nl2br" and self.scope.strategy == "html":
                # Twig's quirk: an escaped argument makes the whole call unsafe again.
                escaped_arg = any(
                    isinstance(a, n.FilterExpr) and a.name in ("escape", "e") for a in expr.args
                )
                return None if escaped_arg else "html"
            if expr.name == "spaceless":
                return "html"
        if isinstance(expr, n.Conditional) and expr.then is not None and expr.otherwise is not None:
            a, b = self.safety(expr.then), self.safety(expr.otherwise)
            if a == b:
                return a
            if a == "all":
                return b
            if b == "all":
                return a
        return None

    def const_arg(self, call: n.Call, index: int, name: str, fallback: object) -> object:
        arg = call.args[index] if len(call.args) > index else call.kwargs.get(name)
        if arg is None:
            return fallback
        return arg.value if isinstance(arg, n.Const) else ...

    def stmt_if(self, node: n.If) -> None:
        keyword = "if"
        for test, body in node.branches:
            self.out.twig_line = test.line
            self.out.emit(f"{keyword} {self.cond(test)}:")
            self.block_body(body)
            keyword = "elif"
        if node.otherwise:
            self.out.emit("else:")
            self.block_body(node.otherwise)

    def block_body(self, body: list[n.Node]) -> None:
        self.out.indent += 1
        self.out.emit("pass")
        self.statements(body)
        self.out.indent -= 1

    def stmt_for(self, node: n.For) -> None:
        out = self.out
        outer = self.scope.ctx
        inner = self.tmp("c")
        seq, loop, index, key, value = (self.tmp(p) for p in ("_seq", "_loop", "_i", "_k", "_v"))
        out.emit(f"{inner} = dict({outer})")
        out.emit(f"{inner}['_parent'] = {outer}")
        with self.nested(ctx=inner):
            # Twig keeps the sequence in "_seq" and an unnamed key in "_key" (visible in _context).
            out.emit(f"{inner}['_seq'] = R.traversable({self.expr(node.seq)})")
        out.emit(f"{seq} = ITEMS({inner}['_seq'])")
        uses_loop = _mentions(node.body, "loop") or _mentions(node.otherwise or [], "loop")
        if uses_loop:
            out.emit(f"{loop} = Loop(len({seq}), {outer})")
            out.emit(f"{inner}['loop'] = {loop}")
        out.emit(f"for {index}, ({key}, {value}) in enumerate({seq}):")
        out.indent += 1
        out.emit(f"{inner}[{node.value!r}] = {value}")
        out.emit(f"{inner}[{(node.key or '_key')!r}] = {key}")
        if uses_loop:
            out.emit(f"{loop}.index0 = {index}")
        with self.nested(ctx=inner):
            self.statements(node.body)
        out.indent -= 1
        if node.otherwise:
            # Twig runs the else branch in the loop's own context (``loop`` is still defined there).
            out.emit(f"if not {seq}:")
            with self.nested(ctx=inner):
                self.block_body(node.otherwise)
        if any(isinstance(sub, n.Set) for sub in _walk([*node.body, *(node.otherwise or [])])):
            names = ("_parent", "_seq", "_key", "loop", node.value, *((node.key,) if node.key else ()))
            out.emit(f"WRITE_BACK({outer}, {inner}, {names!r})")

    def stmt_set(self, node: n.Set) -> None:
        ctx = self.scope.ctx
        if node.values is not None:
            if len(node.names) == 1:
                self.out.emit(f"{ctx}[{node.names[0]!r}] = {self.expr(node.values[0])}")
                return
            temps = [self.tmp() for _ in node.names]
            for temp, value in zip(temps, node.values, strict=True):
                self.out.emit(f"{temp} = {self.expr(value)}")
            for name, temp in zip(node.names, temps, strict=True):
                self.out.emit(f"{ctx}[{name!r}] = {temp}")
            return
        captured = self.capture(node.body or [])
        wrap = "Markup" if self.scope.strategy is not None else ""
        self.out.emit(f"{ctx}[{node.names[0]!r}] = {wrap}({captured})")

    def capture(self, body: list[n.Node]) -> str:
        """Emit ``body`` into a fresh buffer; returns the expression joining it."""
        buffer = self.tmp("_o")
        writer = self.tmp("_w")
        self.out.emit(f"{buffer} = []")
        self.out.emit(f"{writer} = {buffer}.append")
        with self.nested(writer=writer):
            self.statements(body)
        return f"''.join({buffer})"

    def stmt_blockref(self, node: n.BlockRef) -> None:
        self.out.emit(f"r.block(TEMPLATE, {node.name!r}, {self.scope.ctx}, blocks, m, {self.scope.writer})")

    def stmt_include(self, node: n.Include) -> None:
        variables = self.expr(node.variables) if node.variables is not None else "None"
        self.out.emit(
            f"r.include({self.scope.ctx}, {self.expr(node.template)}, {variables}, {not node.only}, "
            f"{node.ignore_missing}, {self.scope.writer}, TEMPLATE)"
        )

    def stmt_import(self, node: n.Import) -> None:
        self.out.emit(f"m[{node.alias!r}] = r.load_import({self.expr(node.template)}, TEMPLATE)")

    def stmt_fromimport(self, node: n.FromImport) -> None:
        source = self.tmp()
        self.out.emit(f"{source} = r.load_import({self.expr(node.template)}, TEMPLATE)")
        for macro, alias in node.names:
            self.out.emit(f"m[{alias!r}] = ({source}, {macro!r})")

    def stmt_with(self, node: n.With) -> None:
        inner = self.tmp("c")
        variables = self.expr(node.variables) if node.variables is not None else "None"
        self.out.emit(f"{inner} = r.with_context({self.scope.ctx}, {variables}, {node.only})")
        with self.nested(ctx=inner):
            self.statements(node.body)

    def stmt_apply(self, node: n.Apply) -> None:
        captured = self.tmp()
        joined = self.capture(node.body)
        wrap = "Markup" if self.scope.strategy is not None else ""
        self.out.emit(f"{captured} = {wrap}({joined})")
        expr: n.Node = n.Name(node.line, "\x00" + captured)
        for flt in node.filters:
            expr = n.FilterExpr(flt.line, flt.name, expr, flt.args, flt.kwargs)
        self.stmt_print(n.Print(node.line, expr))

    def stmt_autoescape(self, node: n.Autoescape) -> None:
        with self.nested(strategy=node.strategy):
            self.statements(node.body)

    def stmt_do(self, node: n.Do) -> None:
        self.out.emit(self.expr(node.expr))

    # --- expressions -----------------------------------------------------------------------------

    def cond(self, node: n.Node) -> str:
        """A Python boolean for ``node`` under PHP truthiness."""
        if self.is_bool(node):
            return self.expr(node)
        return f"T({self.expr(node)})"

    def is_bool(self, node: n.Node) -> bool:
        if isinstance(node, n.TestExpr):
            return True
        if isinstance(node, n.Unary) and node.op == "not":
            return True
        return isinstance(node, n.Binary) and (node.op in COMPARISONS or node.op in ("and", "or", "xor"))

    def expr(self, node: n.Node, quiet: bool = False) -> str:
        method = getattr(self, f"expr_{type(node).__name__.lower()}")
        if quiet and isinstance(node, n.FunctionExpr) and node.name == "attribute" and len(node.args) >= 2:
            return self.quiet_attribute(node)
        code: str = method(node, quiet) if isinstance(node, n.Name | n.GetAttr) else method(node)
        return code

    def quiet_attribute(self, node: n.FunctionExpr) -> str:
        """``attribute(obj, name)`` under ``??`` or ``default``: missing is null even in strict mode."""
        subject = node.args[0]
        obj = (
            self.expr(subject, quiet=True) if isinstance(subject, n.Name | n.GetAttr) else self.expr(subject)
        )
        call_args = self.expr(node.args[2]) if len(node.args) > 2 else "None"
        return f"ATTR({obj}, {self.expr(node.args[1])}, 'any', {call_args}, False)"

    def expr_const(self, node: n.Const) -> str:
        return repr(node.value)

    def expr_name(self, node: n.Name, quiet: bool = False) -> str:
        name = node.name
        ctx = self.scope.ctx
        if name.startswith("\x00"):
            return name[1:]
        if name == "_context":
            return f"dict({ctx})"  # a PHP array is a value: later assignments must not show in it
        if name == "_self":
            return "TEMPLATE.name"
        if name == "_charset":
            return "'UTF-8'"
        if self.strict and not quiet:
            return f"({ctx}[{name!r}] if {name!r} in {ctx} else r.undefined({name!r}, {node.line}))"
        return f"{ctx}.get({name!r})"

    def expr_arraylit(self, node: n.ArrayLit) -> str:
        if any(node.spread):
            parts = ", ".join(f"({s}, {self.expr(i)})" for s, i in zip(node.spread, node.items, strict=True))
            return f"R.spread_array([{parts}])"
        return "[" + ", ".join(self.expr(item) for item in node.items) + "]"

    def expr_hashlit(self, node: n.HashLit) -> str:
        parts = []
        for key, value in node.pairs:
            if key is None:
                parts.append(f"*ITEMS({self.expr(value)})")
            else:
                parts.append(f"({self.expr(key)}, {self.expr(value)})")
        return f"R.make_hash([{', '.join(parts)}])"

    def expr_interp(self, node: n.Interp) -> str:
        return "''.join((" + "".join(f"S({self.expr(part)}), " for part in node.parts) + "))"

    def expr_unary(self, node: n.Unary) -> str:
        if node.op == "not":
            return f"(not {self.cond(node.operand)})"
        if isinstance(node.operand, n.Const) and isinstance(node.operand.value, int | float):
            value = node.operand.value if node.op == "+" else -node.operand.value
            return repr(value)
        return f"R.{'neg' if node.op == '-' else 'pos'}({self.expr(node.operand)})"

    def expr_binary(self, node: n.Binary) -> str:
        op = node.op
        if op == "~":
            parts = self.concat_parts(node)
            return "''.join((" + "".join(f"S({p}), " for p in parts) + "))"
        if op == "??":
            value = self.tmp()
            left = self.expr(node.left, quiet=True)
            return f"({value} if ({value} := {left}) is not None else {self.expr(node.right)})"
        if op == "and":
            return f"({self.cond(node.left)} and {self.cond(node.right)})"
        if op == "or":
            return f"({self.cond(node.left)} or {self.cond(node.right)})"
        if op == "xor":
            return f"({self.cond(node.left)} != {self.cond(node.right)})"
        if op == "matches" and isinstance(node.right, n.Const):
            self.check_regex(node.right)
        left, right = self.expr(node.left), self.expr(node.right)
        a, b = self.tmp(), self.tmp()
        simple = {
            "==": f"EQ({left}, {right})",
            "!=": f"(not EQ({left}, {right}))",
            "<": f"(CMP({left}, {right}) < 0)",
            ">": f"(CMP({left}, {right}) > 0)",
            "<=": f"(CMP({left}, {right}) <= 0)",
            ">=": f"(CMP({left}, {right}) >= 0)",
            "in": f"R.contains({left}, {right})",
            "not in": f"(not R.contains({left}, {right}))",
            # Twig evaluates the right side only when the left one is a string.
            "starts with": f"(isinstance({a} := {left}, str) and isinstance({b} := {right}, str) "
            f"and {a}.startswith({b}))",
            "ends with": f"(isinstance({a} := {left}, str) and isinstance({b} := {right}, str) "
            f"and {a}.endswith({b}))",
            "matches": f"r.matches({left}, {right})",
            "..": f"R.php_range({left}, {right})",
            "<=>": f"CMP({left}, {right})",
            "has some": f"F.has_some({left}, {right})",
            "has every": f"F.has_every({left}, {right})",
        }
        if op in simple:
            return simple[op]
        return f"{ARITHMETIC[op]}({left}, {right})"

    def check_regex(self, node: n.Const) -> None:
        from asa2render.twig.pcre import PcreError, compile_pcre

        try:
            compile_pcre(str(node.value))
        except PcreError as exc:
            raise self.error(
                f'Regexp "{node.value}" passed to "matches" is not valid: {exc}.', node.line
            ) from None

    def concat_parts(self, node: n.Node) -> list[str]:
        if isinstance(node, n.Binary) and node.op == "~":
            return self.concat_parts(node.left) + self.concat_parts(node.right)
        return [self.expr(node)]

    def expr_conditional(self, node: n.Conditional) -> str:
        other = self.expr(node.otherwise) if node.otherwise is not None else "''"
        if node.then is None:
            value = self.tmp()
            return f"({value} if T({value} := {self.expr(node.test)}) else {other})"
        return f"({self.expr(node.then)} if {self.cond(node.test)} else {other})"

    def expr_getattr(self, node: n.GetAttr, quiet: bool = False) -> str:
        obj = self.expr(node.obj, quiet) if isinstance(node.obj, n.Name | n.GetAttr) else self.expr(node.obj)
        args = "None" if node.args is None else "[" + ", ".join(self.expr(a) for a in node.args) + "]"
        strict = self.strict and not quiet
        return f"ATTR({obj}, {self.expr(node.attr)}, {node.kind!r}, {args}, {strict})"

    def expr_sliceexpr(self, node: n.SliceExpr) -> str:
        start = self.expr(node.start) if node.start is not None else "0"
        length = self.expr(node.length) if node.length is not None else "None"
        return f"F.slice_({self.expr(node.obj)}, {start}, {length})"

    def expr_arrow(self, node: n.Arrow) -> str:
        """A Python lambda over a copy of the context with the parameters set (missing ones null)."""
        inner = self.tmp("c")
        with self.nested(ctx=inner):
            body = self.expr(node.body)
        return (
            f"(lambda *_a: (lambda {inner}: {body})(R.arrow_context({self.scope.ctx}, {node.params!r}, _a)))"
        )

    def expr_macrocall(self, node: n.MacroCall) -> str:
        args = "[" + ", ".join(self.expr(a) for a in node.args) + "]"
        kwargs = "{" + ", ".join(f"{k!r}: {self.expr(v)}" for k, v in node.kwargs.items()) + "}"
        return f"r.call_macro(TEMPLATE, m, {node.alias!r}, {node.macro!r}, {args}, {kwargs}, {node.line})"

    def arguments(self, call: n.Call, params: tuple[str, ...], kind: str) -> list[str]:
        """Positional Python argument list from Twig positional + named arguments."""
        values = [self.expr(a) for a in call.args]
        if call.kwargs:
            by_position: dict[int, str] = dict(enumerate(values))
            for raw_key, value in call.kwargs.items():
                # Twig 3.15 accepts camelCase spellings of the snake_case parameter names.
                key = re.sub(r"(?<!^)(?=[A-Z])", "_", raw_key).lower()
                if key in params and params.index(key) < len(call.args):
                    raise self.error(
                        f'Argument "{key}" is defined twice for {kind} "{call.name}".', value.line
                    )
                if key not in params:
                    signature = f"{call.name}({', '.join(params)})"
                    raise self.error(f'Unknown argument "{key}" for {kind} "{signature}".', value.line)
                by_position[params.index(key)] = self.expr(value)
            last = max(by_position) if by_position else -1
            values = [by_position.get(i, "R.UNDEFINED") for i in range(last + 1)]
        return values

    def expr_filterexpr(self, node: n.FilterExpr) -> str:
        name = node.name
        assert node.node is not None
        if name == "default":
            default = self.arguments(node, FILTER_PARAMS["default"], "filter")
            fallback = default[0] if default else "''"
            value = self.tmp()
            inner = node.node
            code = self.expr(inner, quiet=True)
            return f"({value} if not F.empty({value} := {code}) else {fallback})"
        subject = self.expr(node.node)
        if name == "raw":
            return subject
        args = self.arguments(node, FILTER_PARAMS.get(name, ()), "filter")
        if name in ("escape", "e"):
            strategy = args[0] if args else "'html'"
            return f"ESCAPE({subject}, {strategy})"
        if name == "date":
            fmt = args[0] if len(args) > 0 else "None"
            zone = args[1] if len(args) > 1 else "None"
            return f"r.date({subject}, {fmt}, {zone})"
        if name == "nl2br":
            if self.safety(node) is None:
                return f"F.nl2br({subject})"
            # Twig pre-escapes the input unless it is already safe (a literal, or marked safe).
            pre_escape = self.scope.strategy == "html" and self.safety(node.node) is None
            return f"F.nl2br_safe({subject}, {pre_escape})"
        if any(a == "R.UNDEFINED" for a in args):
            args = [self.defaults_for(name, i) if a == "R.UNDEFINED" else a for i, a in enumerate(args)]
        return f"{SIMPLE_FILTERS[name]}({', '.join([subject, *args])})"

    def defaults_for(self, name: str, index: int) -> str:
        defaults = {
            ("slice", 0): "0", ("slice", 1): "None", ("date", 0): "None", ("round", 0): "0",
            ("number_format", 0): "0", ("number_format", 1): "'.'", ("number_format", 2): "','",
            ("trim", 0): "None", ("join", 0): "''", ("split", 1): "None", ("batch", 1): "None",
            ("column", 1): "None",
        }  # fmt: skip
        return defaults.get((name, index), "None")

    def expr_functionexpr(self, node: n.FunctionExpr) -> str:
        name = node.name
        args = self.arguments(node, FUNCTION_PARAMS.get(name, ()), "function")
        ctx = self.scope.ctx
        if name == "parent":
            return f"r.parent_block(TEMPLATE, {args[0]}, {ctx}, blocks)"
        if name == "block":
            template = args[1] if len(args) > 1 else "None"
            return f"r.block_markup(TEMPLATE, {args[0]}, {template}, {ctx}, blocks)"
        if name == "include":
            padded = [*args, *["R.UNDEFINED"] * (5 - len(args))][:4]
            return f"r.include_markup({ctx}, TEMPLATE, {', '.join(padded)})"
        if name == "range":
            return f"R.php_range({', '.join(args)})"
        if name == "cycle":
            return f"r.cycle({', '.join(args)})"
        if name == "date":
            return f"r.date_function({', '.join(args)})"
        if name == "attribute":
            call_args = args[2] if len(args) > 2 else "None"
            return f"ATTR({args[0]}, {args[1]}, 'any', {call_args}, {self.strict})"
        if node.kwargs:
            raise self.error(f'The "{name}" function does not take named arguments.', node.line)
        return f"r.{name}({', '.join(args)})"

    def expr_testexpr(self, node: n.TestExpr) -> str:
        name = node.name
        assert node.node is not None
        subject_node = node.node
        if name == "defined":
            return self.defined(subject_node)
        subject = self.expr(subject_node)
        if name in ("null", "none"):
            if isinstance(subject_node, n.Const):  # Python warns about "is" with a literal
                return repr(subject_node.value is None)
            # Through a temporary: Python warns about "is" applied to a literal such as -1 or [1].
            return f"(({self.tmp()} := {subject}) is None)"
        args = [self.expr(a) for a in node.args]
        return f"{SIMPLE_TESTS[name]}({', '.join([subject, *args])})"

    def defined(self, node: n.Node) -> str:
        if isinstance(node, n.Name):
            if node.name in ("_context", "_self", "_charset"):
                return "True"
            return f"({node.name!r} in {self.scope.ctx})"
        if isinstance(node, n.GetAttr):
            obj = (
                self.expr(node.obj, quiet=True)
                if isinstance(node.obj, n.Name | n.GetAttr)
                else self.expr(node.obj)
            )
            parent_defined = self.defined(node.obj) if isinstance(node.obj, n.Name | n.GetAttr) else "True"
            return f"({parent_defined} and R.has_attr({obj}, {self.expr(node.attr)}, {node.kind!r}))"
        if isinstance(node, n.MacroCall):
            return f"r.has_macro(TEMPLATE, m, {node.alias!r}, {node.macro!r})"
        if isinstance(node, n.FunctionExpr) and node.name == "attribute" and len(node.args) >= 2:
            subject, attr = node.args[0], node.args[1]
            quiet = isinstance(subject, n.Name | n.GetAttr)
            obj = self.expr(subject, quiet=True) if quiet else self.expr(subject)
            return f"R.has_attr({obj}, {self.expr(attr)}, 'any')"
        if isinstance(node, n.FunctionExpr) and node.name == "block":
            args = self.arguments(node, FUNCTION_PARAMS["block"], "function")
            template = args[1] if len(args) > 1 else "None"
            return f"r.has_block(TEMPLATE, {args[0]}, {template}, blocks)"
        return "True"


def compile_module(module: n.Module, *, autoescape: bool, strict: bool) -> Compiled:
    """Generate the Python source of ``module``."""
    return Compiler(module, autoescape=autoescape, strict=strict).compile()
