"""Twig parser: tokens to a :class:`~asa2render.twig.nodes.Module`.

Operator precedences are Twig 3's (``or`` 10 … ``??`` 300). Twig features outside asa2render's scope
(``embed``, ``use``, ``sandbox``, arrow functions, ``map``/``filter``/``reduce`` …) are rejected here, at load
time, with ``unsupported Twig feature 'x'`` so a pasted template never renders silently wrong.
"""

from __future__ import annotations

from collections.abc import Callable

from asa2render.twig import lexer as t
from asa2render.twig import nodes as n
from asa2render.twig.errors import TwigSyntaxError
from asa2render.twig.lexer import Token

UNARY_PRECEDENCE = {"not": 50, "-": 500, "+": 500}
BINARY_PRECEDENCE = {
    "or": 10, "xor": 12, "and": 15, "b-or": 16, "b-xor": 17, "b-and": 18,
    "==": 20, "!=": 20, "<=>": 20, "<": 20, ">": 20, ">=": 20, "<=": 20, "not in": 20, "in": 20,
    "matches": 20, "starts with": 20, "ends with": 20, "has some": 20, "has every": 20,
    "..": 25, "+": 30, "-": 30, "~": 40, "*": 60, "/": 60, "//": 60, "%": 60,
    "is": 100, "is not": 100, "**": 200, "??": 300,
}  # fmt: skip
RIGHT_ASSOCIATIVE = {"**", "??"}
UNSUPPORTED_OPERATORS = {"b-or", "b-xor", "b-and"}

FILTERS = {
    "raw", "escape", "e", "default", "upper", "lower", "capitalize", "title", "trim", "length", "slice",
    "first", "last", "join", "split", "replace", "format", "number_format", "round", "abs", "date",
    "striptags", "nl2br", "url_encode", "json_encode", "keys", "merge", "reverse", "sort", "batch", "column",
    "spaceless", "map", "filter", "reduce", "find",
}  # fmt: skip
UNSUPPORTED_FILTERS = {
    "date_modify", "convert_encoding", "shuffle", "u", "inline_css",
    "markdown_to_html", "html_to_markdown", "format_currency", "format_number", "format_date",
    "format_datetime", "format_time", "country_name", "currency_name", "language_name", "locale_name",
    "timezone_name", "currency_symbol", "data_uri", "slug", "inky_to_html", "html_attr_merge",
}  # fmt: skip
FUNCTIONS = {"range", "include", "max", "min", "cycle", "parent", "block", "date", "attribute"}
UNSUPPORTED_FUNCTIONS = {
    "constant", "random", "source", "enum", "enum_cases", "dump", "template_from_string",
    "country_timezones", "html_classes", "html_cva", "country_names", "currency_names", "language_names",
    "locale_names", "script_names", "timezone_names",
}  # fmt: skip
TESTS = {"empty", "defined", "null", "none", "same as", "divisible by", "even", "odd", "iterable", "sequence",
         "mapping"}  # fmt: skip
ONE_ARGUMENT_TESTS = {"same as", "divisible by"}
UNSUPPORTED_TESTS = {"constant"}
UNSUPPORTED_TAGS = {
    "embed",
    "use",
    "sandbox",
    "guard",
    "cache",
    "types",
    "line",
    "trans",
    "spaceless",
    "filter",
}
LITERALS: dict[str, object] = {"true": True, "false": False, "null": None, "none": None}
RESERVED = {"true", "false", "none", "null"}
ENGLISH = {
    t.TEXT: "text", t.VAR_START: "begin of print statement", t.VAR_END: "end of print statement",
    t.BLOCK_START: "begin of statement block", t.BLOCK_END: "end of statement block", t.NAME: "name",
    t.NUMBER: "number", t.STRING: "string", t.OPERATOR: "operator", t.PUNCT: "punctuation",
    t.ISTRING_START: "begin of string interpolation", t.ISTRING_END: "end of string interpolation",
    t.INTERP_START: "begin of string interpolation", t.INTERP_END: "end of string interpolation",
    t.SPREAD: "spread operator", t.ARROW: "arrow function", t.EOF: "end of template",
}  # fmt: skip
REQUIRED_FILTER_ARGUMENTS = {
    "slice": ("start",), "split": ("delimiter",), "batch": ("size",), "column": ("name",),
    "replace": ("from",), "map": ("arrow",), "filter": ("arrow",), "find": ("arrow",), "reduce": ("arrow",),
}  # fmt: skip
REQUIRED_ARGUMENTS = {
    "attribute": ("variable", "attribute"), "block": ("name",), "cycle": ("values", "position"),
    "max": ("value",), "min": ("value",), "range": ("low", "high"), "include": ("template",),
}  # fmt: skip


class Parser:
    """Parses one template; ``parse()`` returns its :class:`~asa2render.twig.nodes.Module`."""

    def __init__(self, tokens: list[Token], name: str) -> None:
        self.tokens = tokens
        self.pos = 0
        self.name = name
        self.module = n.Module(name, [])
        self.block_stack: list[str] = []
        self.in_macro = False
        # Imported names per scope, as ("template" | "function", alias) -> macro name ("" for templates).
        self.imports: list[dict[tuple[str, str], str]] = [{("template", "_self"): ""}]

    # --- token stream ----------------------------------------------------------------------------

    @property
    def current(self) -> Token:
        return self.tokens[self.pos]

    def next(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def look(self, offset: int = 1) -> Token:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def test(self, kind: str, value: object = None) -> bool:
        token = self.current
        return token.kind == kind and (value is None or token.value == value)

    def skip_if(self, kind: str, value: object = None) -> Token | None:
        return self.next() if self.test(kind, value) else None

    def expect(self, kind: str, value: object = None, what: str | None = None, prefix: str = "") -> Token:
        """Consume the next token, which must be ``kind`` (with ``value``); Twig's message otherwise."""
        if not self.test(kind, value):
            token = self.current
            got = f' of value "{token.value}"' if token.value not in (None, "") else ""
            wanted = f' with value "{value}"' if value is not None else ""
            raise self.error(
                f'{prefix}Unexpected token "{ENGLISH[token.kind]}"{got} '
                f'("{ENGLISH[kind]}" expected{wanted}).',
                token.line,
            )
        return self.next()

    def assign_name(self) -> str:
        """A variable name being assigned (``set``, ``for``, macro arguments, import aliases)."""
        if self.test(t.OPERATOR) and str(self.current.value).isalpha():
            token = self.next()
        else:
            token = self.expect(t.NAME, prefix="Only variables can be assigned to. ")
        name = str(token.value)
        if name.lower() in RESERVED:
            raise self.error(f'You cannot assign a value to "{name}".', token.line)
        return name

    def error(self, message: str, line: int | None = None) -> TwigSyntaxError:
        return TwigSyntaxError(message, self.name, line if line is not None else self.current.line)

    def unsupported(self, feature: str, line: int) -> TwigSyntaxError:
        return self.error(f"unsupported Twig feature '{feature}'", line)

    # --- statements ------------------------------------------------------------------------------

    def parse(self) -> n.Module:
        body = self.subparse(None)
        if self.module.parent is not None:
            body = self.child_body(body)
        self.module.body = body
        return self.module

    def child_body(self, body: list[n.Node]) -> list[n.Node]:
        """A child template only runs statements outside blocks; text there must be whitespace."""
        kept: list[n.Node] = []
        for node in body:
            self.check_no_nested_block(node, top=True)
            if isinstance(node, n.Text):
                if node.text.strip():
                    raise self.error(
                        "A template that extends another one cannot include content outside Twig blocks. "
                        "Did you forget to put the content inside a {% block %} tag?",
                        node.line,
                    )
            elif not isinstance(node, n.Print | n.Include | n.BlockRef):
                kept.append(node)
        return kept

    def check_no_nested_block(self, node: n.Node, top: bool) -> None:
        if isinstance(node, n.BlockRef) and not top:
            raise self.error("A block definition cannot be nested under non-capturing nodes.", node.line)
        children: list[n.Node] = []
        if isinstance(node, n.If):
            children = [c for _, branch in node.branches for c in branch] + (node.otherwise or [])
        elif isinstance(node, n.For):
            children = node.body + (node.otherwise or [])
        elif isinstance(node, n.With | n.Autoescape):
            children = node.body
        for child in children:
            self.check_no_nested_block(child, top=False)

    def subparse(
        self, end: Callable[[str], bool] | None, opener: tuple[str, int] | None = None
    ) -> list[n.Node]:
        body: list[n.Node] = []
        while True:
            token = self.current
            if token.kind == t.EOF:
                if end is not None:
                    raise self.error("Unexpected end of template.", token.line)
                return body
            if token.kind == t.TEXT:
                self.next()
                body.append(n.Text(token.line, str(token.value)))
            elif token.kind == t.VAR_START:
                self.next()
                expr = self.parse_expression()
                self.expect(t.VAR_END, what='"}}"')
                body.append(n.Print(token.line, expr))
            elif token.kind == t.BLOCK_START:
                self.next()
                tag = self.current
                if tag.kind != t.NAME:
                    raise self.error("A block must start with a tag name.", tag.line)
                if end is not None and end(str(tag.value)):
                    return body
                if (
                    end is not None
                    and not hasattr(self, f"tag_{tag.value}")
                    and tag.value not in UNSUPPORTED_TAGS
                ):
                    message = f'Unexpected "{tag.value}" tag'
                    if opener is not None:
                        tag_name, near = opener
                        message += (
                            f' (expecting closing tag for the "{tag_name}" tag defined near line {near}).'
                        )
                    raise self.error(message, tag.line)
                node = self.parse_tag(str(tag.value), tag.line)
                if node is not None:
                    body.append(node)
            else:
                raise self.error("Lexer or parser ended up in unsupported state.", token.line)

    def end_of(self, *names: str) -> Callable[[str], bool]:
        return lambda tag: tag in names

    def body_until(self, opener: str, line: int, *names: str) -> list[n.Node]:
        # Twig reports the line where the body starts as the opening tag's line.
        return self.subparse(self.end_of(*names), (opener, self.current.line))

    def parse_tag(self, tag: str, line: int) -> n.Node | None:
        handler = getattr(self, f"tag_{tag}", None)
        if handler is not None:
            self.next()
            result: n.Node | None = handler(line)
            return result
        if tag in UNSUPPORTED_TAGS:
            raise self.unsupported(tag, line)
        raise self.error(f'Unknown "{tag}" tag.', line)

    def end_tag(self) -> None:
        self.expect(t.BLOCK_END, what='"%}"')

    def tag_if(self, line: int) -> n.Node:
        test = self.parse_expression()
        self.end_tag()
        branches = [(test, self.body_until("if", line, "elseif", "else", "endif"))]
        otherwise = None
        while True:
            tag = str(self.next().value)
            if tag == "elseif":
                test = self.parse_expression()
                self.end_tag()
                branches.append((test, self.body_until("if", line, "elseif", "else", "endif")))
            elif tag == "else":
                self.end_tag()
                otherwise = self.body_until("if", line, "endif")
            else:
                self.end_tag()
                return n.If(line, branches, otherwise)

    def tag_for(self, line: int) -> n.Node:
        targets = [self.assign_name()]
        if self.skip_if(t.PUNCT, ","):
            targets.append(self.assign_name())
        self.expect(t.OPERATOR, "in")
        seq = self.parse_expression()
        if self.test(t.NAME, "if"):
            raise self.unsupported("for … if (removed in Twig 3; use |filter or an if inside the loop)", line)
        self.end_tag()
        body = self.body_until("for", line, "else", "endfor")
        otherwise = None
        if str(self.next().value) == "else":
            self.end_tag()
            otherwise = self.body_until("for", line, "endfor")
            self.next()
        self.end_tag()
        key, value = (None, targets[0]) if len(targets) == 1 else (targets[0], targets[1])
        return n.For(line, key, value, seq, body, otherwise)

    def tag_set(self, line: int) -> n.Node:
        names = [self.assign_name()]
        while self.skip_if(t.PUNCT, ","):
            names.append(self.assign_name())
        if self.skip_if(t.OPERATOR, "="):
            values = [self.parse_expression()]
            while self.skip_if(t.PUNCT, ","):
                values.append(self.parse_expression())
            self.end_tag()
            if len(values) != len(names):
                raise self.error(
                    "When using set, you must have the same number of variables and assignments."
                )
            return n.Set(line, names, values, None)
        if len(names) > 1:
            raise self.error("When using set with a block, you cannot have a multi-target.", line)
        self.end_tag()
        body = self.body_until("set", line, "endset")
        self.next()
        self.end_tag()
        return n.Set(line, names, None, body)

    def tag_block(self, line: int) -> n.Node:
        name = str(self.expect(t.NAME).value)
        if name in self.module.blocks:
            raise self.error(
                f"The block '{name}' has already been defined line {self.module.blocks[name].line}.", line
            )
        if self.in_macro:
            raise self.error(f'You cannot define a block inside a macro ("{name}").', line)
        block = n.Block(line, name, [])
        self.module.blocks[name] = block
        self.block_stack.append(name)
        self.imports.append({})
        if self.skip_if(t.BLOCK_END):
            body = self.body_until("block", line, "endblock")
            self.next()
            if (closing := self.skip_if(t.NAME)) and closing.value != name:
                raise self.error(f'Expected endblock for block "{name}" (but "{closing.value}" given).')
            self.end_tag()
        else:
            body = [n.Print(line, self.parse_expression())]
            self.end_tag()
        self.imports.pop()
        self.block_stack.pop()
        block.body = body
        return n.BlockRef(line, name)

    def tag_extends(self, line: int) -> None:
        if self.block_stack:
            raise self.error('Cannot use "extend" in a block.', line)
        if self.in_macro:
            raise self.error('Cannot use "extend" in a macro.', line)
        if self.module.parent is not None:
            raise self.error("Multiple extends tags are forbidden.", line)
        self.module.parent = n.Extends(line, self.parse_expression())
        self.end_tag()

    def tag_include(self, line: int) -> n.Node:
        template = self.parse_expression()
        ignore_missing = False
        if self.test(t.NAME, "ignore"):
            self.next()
            self.expect(t.NAME, "missing")
            ignore_missing = True
        variables = None
        if self.skip_if(t.NAME, "with"):
            variables = self.parse_expression()
        only = bool(self.skip_if(t.NAME, "only"))
        self.end_tag()
        return n.Include(line, template, variables, only, ignore_missing)

    def tag_macro(self, line: int) -> None:
        name = str(self.expect(t.NAME).value)
        if self.in_macro or self.block_stack:
            raise self.error("Cannot define a macro inside a block or another macro.", line)
        params: list[tuple[str, n.Node | None]] = []
        self.expect(t.PUNCT, "(")
        while not self.test(t.PUNCT, ")"):
            if params:
                self.expect(t.PUNCT, ",", prefix="Arguments must be separated by a comma. ")
                if self.test(t.PUNCT, ")"):
                    break
            param = self.assign_name()
            if param == "varargs":
                raise self.error(
                    f'The argument "varargs" in macro "{name}" cannot be defined because the variable '
                    '"varargs" is reserved for arbitrary arguments.',
                    line,
                )
            default: n.Node | None = None
            if self.skip_if(t.OPERATOR, "="):
                default = self.parse_expression()
            params.append((param, default))
        self.next()
        self.end_tag()
        self.in_macro = True
        self.imports.append({})
        body = self.body_until("macro", line, "endmacro")
        self.imports.pop()
        self.in_macro = False
        self.next()
        if (closing := self.skip_if(t.NAME)) and closing.value != name:
            raise self.error(f'Expected endmacro for macro "{name}" (but "{closing.value}" given).')
        self.end_tag()
        if name in self.module.macros:
            raise self.error(f'The macro "{name}" has already been defined.', line)
        self.module.macros[name] = n.Macro(line, name, params, body)

    def tag_import(self, line: int) -> n.Node:
        template = self.parse_expression()
        self.expect(t.NAME, "as")
        alias = self.assign_name()
        self.end_tag()
        self.imports[-1][("template", alias)] = ""
        return n.Import(line, template, alias)

    def tag_from(self, line: int) -> n.Node:
        template = self.parse_expression()
        self.expect(t.NAME, "import")
        names: list[tuple[str, str]] = []
        while True:
            macro = str(self.expect(t.NAME).value)
            alias = self.assign_name() if self.skip_if(t.NAME, "as") else macro
            if alias.lower() in RESERVED:
                raise self.error(f'You cannot assign a value to "{alias}".', line)
            names.append((macro, alias))
            self.imports[-1][("function", alias)] = macro
            if not self.skip_if(t.PUNCT, ","):
                break
        self.end_tag()
        return n.FromImport(line, template, names)

    def tag_with(self, line: int) -> n.Node:
        variables = None
        if not self.test(t.BLOCK_END) and not self.test(t.NAME, "only"):
            variables = self.parse_expression()
        only = bool(self.skip_if(t.NAME, "only"))
        self.end_tag()
        body = self.body_until("with", line, "endwith")
        self.next()
        self.end_tag()
        return n.With(line, variables, only, body)

    def tag_apply(self, line: int) -> n.Node:
        filters: list[n.FilterExpr] = []
        while True:
            filters.append(self.parse_filter(None))
            if not self.skip_if(t.PUNCT, "|"):
                break
        self.end_tag()
        body = self.body_until("apply", line, "endapply")
        self.next()
        self.end_tag()
        return n.Apply(line, filters, body)

    def tag_autoescape(self, line: int) -> n.Node:
        strategy: str | None = "html"
        if not self.test(t.BLOCK_END):
            expr = self.parse_expression()
            if not isinstance(expr, n.Const) or not isinstance(expr.value, str | bool):
                raise self.error("An escaping strategy must be a string or false.", line)
            strategy = "html" if expr.value is True else expr.value if isinstance(expr.value, str) else None
            if strategy not in (None, "html", "js", "css", "url", "html_attr"):
                raise self.unsupported(f"autoescape strategy {strategy}", line)
        self.end_tag()
        body = self.body_until("autoescape", line, "endautoescape")
        self.next()
        self.end_tag()
        return n.Autoescape(line, strategy, body)

    def tag_do(self, line: int) -> n.Node:
        expr = self.parse_expression()
        self.end_tag()
        return n.Do(line, expr)

    def tag_flush(self, line: int) -> None:
        self.end_tag()

    def tag_deprecated(self, line: int) -> None:
        # Twig only triggers a PHP deprecation notice; the rendered output is unaffected.
        self.parse_expression()
        while self.test(t.NAME):
            self.next()
            self.expect(t.OPERATOR, "=")
            self.parse_expression()
        self.end_tag()

    # --- expressions -----------------------------------------------------------------------------

    def parse_expression(self, precedence: int = 0) -> n.Node:
        expr = self.parse_primary()
        token = self.current
        while token.kind == t.OPERATOR and token.value in BINARY_PRECEDENCE:
            op = str(token.value)
            prec = BINARY_PRECEDENCE[op]
            if prec < precedence:
                break
            if op in UNSUPPORTED_OPERATORS:
                raise self.unsupported(op, token.line)
            self.next()
            if op in ("is", "is not"):
                expr = self.parse_test(expr, negated=op == "is not", line=token.line)
            else:
                right = self.parse_expression(prec if op in RIGHT_ASSOCIATIVE else prec + 1)
                if op == "??":
                    self.check_definable(expr, token.line)
                expr = n.Binary(token.line, op, expr, right)
            token = self.current
        if precedence == 0:
            expr = self.parse_conditional(expr)
        return expr

    def parse_conditional(self, expr: n.Node) -> n.Node:
        while self.test(t.PUNCT, "?"):
            line = self.next().line
            if self.skip_if(t.PUNCT, ":"):
                expr = n.Conditional(line, expr, None, self.parse_expression())
                continue
            then = self.parse_expression()
            otherwise = self.parse_expression() if self.skip_if(t.PUNCT, ":") else None
            expr = n.Conditional(line, expr, then, otherwise)
        return expr

    def parse_primary(self) -> n.Node:
        token = self.current
        if token.kind == t.OPERATOR and token.value in UNARY_PRECEDENCE:
            self.next()
            operand = self.parse_expression(UNARY_PRECEDENCE[str(token.value)])
            while token.value in ("-", "+") and self.test(t.OPERATOR, "**"):
                power_line = self.next().line
                operand = n.Binary(power_line, "**", operand, self.parse_expression(BINARY_PRECEDENCE["**"]))
            return self.parse_postfix(n.Unary(token.line, str(token.value), operand))
        if token.kind == t.PUNCT and token.value == "(":
            params = self.arrow_params()
            if params is not None:
                return self.parse_arrow(params, token.line)
            self.next()
            expr = self.parse_expression()
            self.expect(t.PUNCT, ")", what='")"')
            return self.parse_postfix(expr)
        return self.parse_postfix(self.parse_atom())

    def arrow_params(self) -> list[str] | None:
        """At ``(``: the parameter names when an arrow function starts here (``(a, b) =>``), else None."""
        offset, names = 1, list[str]()
        while True:
            token = self.look(offset)
            if token.kind == t.PUNCT and token.value == ")" and not names:
                offset += 1
                break
            if token.kind != t.NAME:
                return None
            names.append(str(token.value))
            separator = self.look(offset + 1)
            offset += 2
            if separator.kind == t.PUNCT and separator.value == ")":
                break
            if not (separator.kind == t.PUNCT and separator.value == ","):
                return None
        if self.look(offset).kind != t.ARROW:
            return None
        self.pos += offset
        return names

    def parse_arrow(self, params: list[str], line: int) -> n.Node:
        self.expect(t.ARROW)
        for param in params:
            if param.lower() in RESERVED:
                raise self.error(f'You cannot assign a value to "{param}".', line)
        return n.Arrow(line, params, self.parse_expression())

    def parse_atom(self) -> n.Node:
        token = self.next()
        line = token.line
        if token.kind == t.NAME:
            name = str(token.value)
            if self.test(t.ARROW):
                self.pos -= 1
                return self.parse_arrow([self.assign_name()], line)
            if name.lower() in LITERALS and (name.islower() or name.isupper()):
                return n.Const(line, LITERALS[name.lower()])
            if self.test(t.PUNCT, "("):
                return self.parse_function(name, line)
            return n.Name(line, name)
        if token.kind == t.NUMBER:
            return n.Const(line, token.value)
        if token.kind == t.STRING:
            return n.Const(line, token.value)
        if token.kind == t.ISTRING_START:
            return self.parse_interpolated(line)
        if token.kind == t.PUNCT and token.value == "[":
            return self.parse_array(line)
        if token.kind == t.PUNCT and token.value == "{":
            return self.parse_hash(line)
        previous = self.tokens[self.pos - 2].value if self.pos >= 2 else None
        if token.kind == t.OPERATOR and token.value == "=" and previous in ("==", "!="):
            negation = "not " if previous == "!=" else ""
            raise self.error(
                'Unexpected operator of value "=". Did you try to use "===" or "!==" for strict comparison? '
                f'Use "is {negation}same as(value)" instead.',
                line,
            )
        if token.kind == t.OPERATOR and str(token.value).isalpha():
            # Twig lets one-word operators such as "matches" or "in" be variable names.
            return n.Name(line, str(token.value))
        got = f' of value "{token.value}"' if token.value not in (None, "") else ""
        raise self.error(f'Unexpected token "{ENGLISH[token.kind]}"{got}.', line)

    def parse_interpolated(self, line: int) -> n.Node:
        parts: list[n.Node] = []
        while not self.skip_if(t.ISTRING_END):
            token = self.next()
            if token.kind == t.STRING:
                parts.append(n.Const(token.line, token.value))
            else:  # INTERP_START
                parts.append(self.parse_expression())
                self.expect(t.INTERP_END, what='"}"')
        if all(isinstance(part, n.Const) for part in parts):
            return n.Const(line, "".join(str(part.value) for part in parts if isinstance(part, n.Const)))
        return n.Interp(line, parts)

    def parse_array(self, line: int) -> n.Node:
        items: list[n.Node] = []
        spread: list[bool] = []
        while not self.test(t.PUNCT, "]"):
            if items:
                self.expect(t.PUNCT, ",", what='","')
                if self.test(t.PUNCT, "]"):
                    break
            spread.append(bool(self.skip_if(t.SPREAD)))
            items.append(self.parse_expression())
        self.expect(t.PUNCT, "]")
        return n.ArrayLit(line, items, spread)

    def parse_hash(self, line: int) -> n.Node:
        pairs: list[tuple[n.Node | None, n.Node]] = []
        while not self.test(t.PUNCT, "}"):
            if pairs:
                self.expect(t.PUNCT, ",", what='","')
                if self.test(t.PUNCT, "}"):
                    break
            if self.skip_if(t.SPREAD):
                pairs.append((None, self.parse_expression()))
                continue
            token = self.current
            key: n.Node
            if token.kind in (t.NAME, t.STRING, t.NUMBER) or (
                token.kind == t.OPERATOR and str(token.value).isalpha()
            ):
                self.next()
                key = n.Const(token.line, token.value)
                if token.kind == t.NAME and not self.test(t.PUNCT, ":"):
                    pairs.append((key, n.Name(token.line, str(token.value))))  # {foo} is {foo: foo}
                    continue
            elif token.kind == t.ISTRING_START:
                self.next()
                key = self.parse_interpolated(token.line)
            elif token.kind == t.PUNCT and token.value == "(":
                key = self.parse_expression()
            else:
                raise self.error(
                    "A mapping key must be a quoted string, a number, a name, or an expression enclosed in "
                    f'parentheses (unexpected token "{token.value}").',
                    token.line,
                )
            self.expect(t.PUNCT, ":", what='":"')
            pairs.append((key, self.parse_expression()))
        self.expect(t.PUNCT, "}")
        return n.HashLit(line, pairs)

    def parse_postfix(self, node: n.Node) -> n.Node:
        while True:
            token = self.current
            if token.kind != t.PUNCT:
                return node
            if token.value == ".":
                node = self.parse_dot(node)
            elif token.value == "[":
                node = self.parse_subscript(node)
            elif token.value == "|":
                self.next()
                node = self.parse_filter(node)
            else:
                return node

    def parse_dot(self, node: n.Node) -> n.Node:
        line = self.next().line
        if self.test(t.PUNCT, "("):  # dynamic attribute: a.(expr)
            self.next()
            dynamic = self.parse_expression()
            self.expect(t.PUNCT, ")")
            args = self.parse_arguments()[0] if self.test(t.PUNCT, "(") else None
            return n.GetAttr(line, node, dynamic, args, "any")
        token = self.next()
        if token.kind not in (t.NAME, t.NUMBER, t.OPERATOR) or (
            token.kind == t.OPERATOR and not str(token.value).isalpha()
        ):
            kind = ENGLISH.get(token.kind, token.kind)
            raise self.error(f'Expected name or number, got value "{token.value}" of type {kind}.', line)
        attr: object = str(token.value) if token.kind != t.NUMBER else token.value
        if isinstance(node, n.Name) and self.imported("template", node.name) is not None:
            args, kwargs = self.parse_arguments() if self.test(t.PUNCT, "(") else ([], {})
            return n.MacroCall(line, node.name, str(attr), args, kwargs)
        args = None
        if self.test(t.PUNCT, "("):
            args, kwargs = self.parse_arguments()
            if kwargs:
                raise self.unsupported("named arguments in a method call", line)
        return n.GetAttr(line, node, n.Const(token.line, attr), args, "any")

    def parse_subscript(self, node: n.Node) -> n.Node:
        line = self.next().line
        start: n.Node | None = None
        if not self.test(t.PUNCT, ":"):
            start = self.parse_expression()
        if self.skip_if(t.PUNCT, ":"):
            length = None if self.test(t.PUNCT, "]") else self.parse_expression()
            self.expect(t.PUNCT, "]")
            return n.SliceExpr(line, node, start, length)
        self.expect(t.PUNCT, "]")
        assert start is not None
        return n.GetAttr(line, node, start, None, "array")

    def parse_filter(self, node: n.Node | None) -> n.FilterExpr:
        token = self.expect(t.NAME, what="a filter name")
        name = str(token.value)
        args: list[n.Node] = []
        kwargs: dict[str, n.Node] = {}
        if self.test(t.PUNCT, "("):
            args, kwargs = self.parse_arguments(f'filter "{name}"')
        if name in UNSUPPORTED_FILTERS:
            raise self.unsupported(f"filter {name}", token.line)
        if name not in FILTERS:
            raise self.error(f'Unknown "{name}" filter.', token.line)
        for index, required in enumerate(REQUIRED_FILTER_ARGUMENTS.get(name, ())):
            if index >= len(args) and required not in kwargs:
                raise self.error(
                    f'Value for argument "{required}" is required for filter "{name}".', token.line
                )
        return n.FilterExpr(token.line, name, node, args, kwargs)

    def parse_function(self, name: str, line: int) -> n.Node:
        args, kwargs = self.parse_arguments(f'function "{name}"')
        macro = self.imported("function", name)
        if macro is not None:
            return n.MacroCall(line, name, macro, args, kwargs)
        if name in UNSUPPORTED_FUNCTIONS:
            raise self.unsupported(f"function {name}", line)
        if name not in FUNCTIONS:
            raise self.error(f'Unknown "{name}" function.', line)
        for index, required in enumerate(REQUIRED_ARGUMENTS.get(name, ())):
            if index >= len(args) and required not in kwargs:
                raise self.error(f'Value for argument "{required}" is required for function "{name}".', line)
        if name == "parent":
            if not self.block_stack:
                raise self.error('Calling the "parent" function outside of a block is forbidden.', line)
            if self.module.parent is None:
                raise self.error(
                    'Calling the "parent" function on a template that does not call "extends" or "use" '
                    "is forbidden.",
                    line,
                )
            return n.FunctionExpr(line, name, None, [n.Const(line, self.block_stack[-1])], {})
        return n.FunctionExpr(line, name, None, args, kwargs)

    def imported(self, kind: str, alias: str) -> str | None:
        """What ``alias`` was imported as in the current scope or the template scope (None: not imported)."""
        for scope in (self.imports[-1], self.imports[0]):
            if (kind, alias) in scope:
                return scope[(kind, alias)]
        return None

    def parse_test(self, node: n.Node, *, negated: bool, line: int) -> n.Node:
        token = self.expect(t.NAME, what="a test name")
        name = str(token.value)
        if self.test(t.NAME) and f"{name} {self.current.value}" in TESTS | UNSUPPORTED_TESTS:
            name = f"{name} {self.next().value}"
        if name in UNSUPPORTED_TESTS:
            raise self.unsupported(f"test {name}", line)
        if name not in TESTS:
            raise self.error(f'Unknown "{name}" test.', line)
        args: list[n.Node] = []
        kwargs: dict[str, n.Node] = {}
        if self.test(t.PUNCT, "("):
            args, kwargs = self.parse_arguments()
        elif name in ONE_ARGUMENT_TESTS:
            args = [self.parse_primary()]
        if name == "defined" and isinstance(node, n.Name) and (macro := self.imported("function", node.name)):
            node = n.MacroCall(node.line, node.name, macro, [], {})
        result: n.Node = n.TestExpr(line, name, node, args, kwargs)
        if name == "defined":
            self.check_definable(node, line)
        return n.Unary(line, "not", result) if negated else result

    def check_definable(self, node: n.Node, line: int) -> None:
        """Twig's ``defined`` test (and so ``??``) takes only variables, attributes, literals and calls
        of ``block()``/``attribute()``/macros."""
        simple = isinstance(node, n.Name | n.GetAttr | n.MacroCall | n.Const | n.ArrayLit | n.HashLit)
        if not simple and not (isinstance(node, n.FunctionExpr) and node.name in ("block", "attribute")):
            raise self.error('The "defined" test only works with simple variables.', line)

    def parse_arguments(self, callee: str = "") -> tuple[list[n.Node], dict[str, n.Node]]:
        self.expect(t.PUNCT, "(")
        args: list[n.Node] = []
        kwargs: dict[str, n.Node] = {}
        while not self.test(t.PUNCT, ")"):
            if args or kwargs:
                self.expect(t.PUNCT, ",", what='","')
                if self.test(t.PUNCT, ")"):
                    break
            if self.test(t.SPREAD):
                raise self.unsupported("argument unpacking", self.current.line)
            if self.test(t.NAME) and (
                (self.look().kind == t.OPERATOR and self.look().value == "=") or
                (self.look().kind == t.PUNCT and self.look().value == ":")
            ):  # fmt: skip
                key = str(self.next().value)
                self.next()
                if key in kwargs:
                    raise self.error(f'Argument "{key}" is defined twice for {callee}.')
                kwargs[key] = self.parse_expression()
            else:
                if kwargs:
                    raise self.error(
                        f"Positional arguments cannot be used after named arguments for {callee}."
                    )
                args.append(self.parse_expression())
        self.expect(t.PUNCT, ")")
        return args, kwargs


def parse(source: str, name: str) -> n.Module:
    """Parse ``source``, the template called ``name``."""
    return Parser(t.tokenize(source, name), name).parse()
