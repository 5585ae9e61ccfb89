"""Loading, compiling (once per process) and rendering Twig templates.

:class:`Environment` plays Twig's ``Environment`` with an ``ArrayLoader``: a mapping of template names to
sources. Compiled templates are cached process-wide by (name, source, options), so a site build parses each
template once however many boxes it renders.
"""

from __future__ import annotations

import itertools
import threading
import types
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from asa2render.twig import filters as F  # noqa: N812 — short names in generated code
from asa2render.twig import runtime as R  # noqa: N812 — short names in generated code
from asa2render.twig.compiler import compile_module
from asa2render.twig.errors import TwigError, TwigLoaderError, TwigRuntimeError, TwigSyntaxError, php_error
from asa2render.twig.escaping import escape, escape_html
from asa2render.twig.nodes import Const
from asa2render.twig.parser import parse
from asa2render.twig.pcre import PcreError, compile_pcre
from asa2render.twig.phpdate import date_filter, to_datetime, zone

Fn = Callable[..., Any]
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#039;"})


def _auto_escape(value: Any) -> str:
    """The auto-escaper's html strategy: safe values pass, everything else is escaped."""
    if type(value) is str:
        return value.translate(_HTML)
    if isinstance(value, Markup):
        return value
    return escape_html(R.to_str(value))


def _to_str(value: Any) -> str:
    return value if type(value) is str else R.to_str(value)


def _write_back(outer: dict[str, Any], inner: dict[str, Any], excluded: Sequence[str]) -> None:
    """After a ``for``: variables that existed before keep what the loop assigned; new ones vanish."""
    for key in outer:
        if key not in excluded and key in inner:
            outer[key] = inner[key]


_GLOBALS: dict[str, Any] = {
    "R": R,
    "F": F,
    "S": _to_str,
    "T": R.truthy,
    "AE": _auto_escape,
    "ESCAPE": escape,
    "EQ": R.loose_eq,
    "CMP": R.compare,
    "ADD": R.add,
    "SUB": R.sub,
    "MUL": R.mul,
    "DIV": R.div,
    "FLOORDIV": R.floordiv,
    "MOD": R.mod,
    "POW": R.power,
    "ITEMS": R.items,
    "ATTR": R.get_attr,
    "Loop": R.Loop,
    "WRITE_BACK": _write_back,
    "Markup": Markup,
}


@dataclass
class Template:
    """One compiled template: its root, block and macro functions."""

    name: str
    source: str
    root: Fn
    imports: Fn
    parent_name: str | None
    blocks: dict[str, Fn]
    macros: dict[str, Fn]
    line_map: dict[int, int]
    python_source: str


CACHE_SIZE = 4096  # compiled templates kept per process
_CACHE: dict[tuple[str, str, bool, bool], Template] = {}
_BY_FILENAME: dict[str, Template] = {}
_COUNTER = itertools.count()
_LOCK = threading.Lock()


def compile_template(name: str, source: str, *, autoescape: bool, strict: bool) -> Template:
    """Parse and compile ``source``; cached for the process by name, source and options."""
    key = (name, source, autoescape, strict)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    try:
        module = parse(source, name)
        compiled = compile_module(module, autoescape=autoescape, strict=strict)
    except RecursionError:
        raise TwigSyntaxError("The template is nested too deeply to be compiled.", name) from None
    static_parent = module.parent.parent if module.parent is not None else None
    filename = f"<twig {name} #{next(_COUNTER)}>"
    namespace: dict[str, Any] = dict(_GLOBALS)
    with warnings.catch_warnings():
        # A generated expression may apply "is" to a literal (harmless); never warn the template's author.
        warnings.simplefilter("ignore", SyntaxWarning)
        try:
            code = compile(compiled.source, filename, "exec")
        except (SyntaxError, RecursionError, MemoryError):
            # Python limits nesting (about 200 levels of parentheses) below what the parser accepts.
            raise TwigSyntaxError("The template is nested too deeply to be compiled.", name) from None
    exec(code, namespace)
    template = Template(
        name=name,
        source=source,
        root=namespace["root"],
        imports=namespace["imports"],
        parent_name=static_parent.value
        if isinstance(static_parent, Const) and isinstance(static_parent.value, str)
        else None,
        blocks={block: namespace[f"block_{i}"] for i, block in enumerate(compiled.blocks)},
        macros={macro: namespace[f"macro_{i}"] for i, macro in enumerate(compiled.macros)},
        line_map=compiled.line_map,
        python_source=compiled.source,
    )
    namespace["TEMPLATE"] = template
    with _LOCK:
        if len(_CACHE) >= CACHE_SIZE:  # a long-lived process rendering ever new sources stays bounded
            _CACHE.clear()
            _BY_FILENAME.clear()
        _CACHE[key] = template
        _BY_FILENAME[filename] = template
    return template


def _locate(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template line on the traceback of ``exc``."""
    found = None
    tb: types.TracebackType | None = exc.__traceback__
    while tb is not None:
        template = _BY_FILENAME.get(tb.tb_frame.f_code.co_filename)
        if template is not None:
            found = (template.name, template.line_map.get(tb.tb_lineno, 1))
        tb = tb.tb_next
    return found


class Environment:
    """Twig's ``Environment`` over an array loader (a name → source mapping)."""

    def __init__(
        self,
        templates: Mapping[str, str],
        *,
        autoescape: bool = True,
        strict_variables: bool = False,
        timezone: str = "UTC",
        globals: Mapping[str, Any] | None = None,
    ) -> None:
        self.templates = templates
        self.globals = dict(globals or {})
        self.autoescape = autoescape
        self.strict_variables = strict_variables
        self.zone = zone(timezone) if timezone.upper() != "UTC" else ZoneInfo("UTC")

    def exists(self, name: str) -> bool:
        """Whether the loader has template ``name``."""
        return name in self.templates

    def load(self, name: str) -> Template:
        """The compiled template called ``name``."""
        if name not in self.templates:
            raise TwigLoaderError(f'Template "{name}" is not defined.')
        return compile_template(
            name, self.templates[name], autoescape=self.autoescape, strict=self.strict_variables
        )

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render template ``name`` with ``context``; errors carry ``template:line``."""
        template = self.load(name)
        out: list[str] = []
        state = RenderState(self)
        try:
            template.root(state, state.with_globals(dict(context)), {}, {}, out.append)
        except TwigSyntaxError:
            raise
        except TwigError as exc:
            where = _locate(exc)
            raise exc.locate(*where) if where else exc.locate(name, None) from None
        except (
            TypeError,
            ValueError,
            KeyError,
            IndexError,
            AttributeError,
            ArithmeticError,
            RecursionError,
        ) as exc:
            where = _locate(exc) or (name, 0)
            message = f'An exception has been thrown during the rendering of a template ("{exc}").'
            raise TwigRuntimeError(message, where[0], where[1] or None) from exc
        return "".join(out)


class RenderState:
    """What one render call shares across templates: parents of the inheritance chain, cycles …"""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.strict = env.strict_variables
        self.parents: dict[str, Template] = {}
        self.imports: dict[str, dict[str, Any]] = {}

    # --- variables -------------------------------------------------------------------------------

    def undefined(self, name: str, line: int) -> Any:
        """Strict mode: an undefined variable is an error at ``line``."""
        raise TwigRuntimeError(f'Variable "{name}" does not exist.', line=line)

    def with_globals(self, ctx: dict[str, Any]) -> dict[str, Any]:
        """Twig's ``mergeGlobals``: globals fill in names the context does not have."""
        for key, value in self.env.globals.items():
            ctx.setdefault(key, value)
        return ctx

    def template_imports(self, template: Template, ctx: dict[str, Any]) -> dict[str, Any]:
        """The macros a template imports at its top level (run once per render and template)."""
        found = self.imports.get(template.name)
        if found is None:
            found = self.imports[template.name] = {"_self": template}
            template.imports(self, ctx, found)
        return found

    def with_context(self, ctx: dict[str, Any], variables: Any, only: bool) -> dict[str, Any]:
        """The context inside ``{% with %}``."""
        if variables is not None and not isinstance(variables, Mapping | list | tuple):
            raise TwigRuntimeError('Variables passed to the "with" tag must be a mapping.')
        inner: dict[str, Any] = self.with_globals({}) if only else dict(ctx)
        if not only:
            inner["_parent"] = ctx
        inner.update((R.to_str(k), v) for k, v in R.items(variables))
        return inner

    # --- inheritance -----------------------------------------------------------------------------

    def resolve(self, name: Any, caller: Template) -> Template:
        """A template by name, or the first existing one of a list (``extends ['a', 'b']``)."""
        if isinstance(name, Template):
            return name
        if isinstance(name, list | tuple):
            for candidate in name:
                if isinstance(candidate, str) and self.env.exists(candidate):
                    return self.env.load(candidate)
            raise TwigLoaderError(
                f'Unable to find one of the following templates: "{", ".join(map(R.to_str, name))}".'
            )
        return self.env.load(R.to_str(name))

    def extend(self, template: Template, parent_name: Any, ctx: dict[str, Any], blocks: dict[str, Any],
               m: dict[str, Any], w: Fn) -> None:  # fmt: skip
        """End of a child template's root: render the parent with the child's blocks."""
        parent = self.resolve(parent_name, template)
        self.parents[template.name] = parent
        merged = dict.fromkeys(template.blocks, (template, m))
        merged.update(blocks)
        parent.root(self, ctx, merged, {}, w)

    def block(self, template: Template, name: str, ctx: dict[str, Any], blocks: dict[str, Any],
              m: dict[str, Any], w: Fn) -> None:  # fmt: skip
        """Render block ``name``: the most derived override, else the template's own."""
        owner, owner_m = blocks.get(name) or (template, m)
        owner.blocks[name](self, ctx, blocks, owner_m, w)

    def _find_block(self, template: Template, name: str) -> Template | None:
        current: Template | None = template
        while current is not None:
            if name in current.blocks:
                return current
            current = self.parents.get(current.name)
        return None

    def _link_static_parents(self, template: Template) -> None:
        """``block('x', 'other')`` renders a template that never ran: follow its literal ``extends``."""
        current = template
        while current.name not in self.parents and current.parent_name is not None:
            parent = self.env.load(current.parent_name)
            self.parents[current.name] = parent
            current = parent

    def _top(self, template: Template) -> Template:
        while template.name in self.parents:
            template = self.parents[template.name]
        return template

    def parent_block(
        self, template: Template, name: str, ctx: dict[str, Any], blocks: dict[str, Any]
    ) -> Markup:
        """``parent()``: the block as the nearest ancestor defines it."""
        parent = self.parents.get(template.name)
        owner = self._find_block(parent, name) if parent is not None else None
        if owner is None:
            raise TwigRuntimeError(
                f'The template has no parent and no traits defining the "{name}" block.'
                if parent is None
                else f'Block "{name}" should not call parent() in "{template.name}" as the block does not '
                f'exist in the parent template "{parent.name}".'
            )
        out: list[str] = []
        owner.blocks[name](self, ctx, blocks, self.template_imports(owner, ctx), out.append)
        return Markup("".join(out))

    def block_markup(self, template: Template, name: Any, other: Any, ctx: dict[str, Any],
                     blocks: dict[str, Any]) -> Markup:  # fmt: skip
        """The ``block()`` function."""
        out: list[str] = []
        name = R.to_str(name)
        if other is not None:
            target = self.resolve(other, template)
            self._link_static_parents(target)
            owner = self._find_block(target, name)
            if owner is None:
                raise TwigRuntimeError(
                    f'Block "{name}" on template "{self._top(target).name}" does not exist.'
                )
            owner.blocks[name](self, ctx, {}, self.template_imports(owner, ctx), out.append)
            return Markup("".join(out))
        if name in blocks:
            owner, owner_m = blocks[name]
        else:
            found = self._find_block(template, name)
            if found is None:
                raise TwigRuntimeError(
                    f'Block "{name}" on template "{self._top(template).name}" does not exist.'
                )
            owner, owner_m = found, self.template_imports(found, ctx)
        owner.blocks[name](self, ctx, blocks, owner_m, out.append)
        return Markup("".join(out))

    def has_block(self, template: Template, name: Any, other: Any, blocks: dict[str, Any]) -> bool:
        """``block(…) is defined``."""
        name = R.to_str(name)
        if other is not None:
            try:
                target = self.resolve(other, template)
            except TwigRuntimeError:
                return False
            self._link_static_parents(target)
            return self._find_block(target, name) is not None
        return name in blocks or self._find_block(template, name) is not None

    # --- include ---------------------------------------------------------------------------------

    def include(self, ctx: dict[str, Any], name: Any, variables: Any, with_context: Any, ignore_missing: Any,
                w: Fn, caller: Template) -> None:  # fmt: skip
        """The ``include`` tag."""
        try:
            template = self.resolve(name, caller)
        except TwigRuntimeError:
            if R.truthy(ignore_missing):
                return
            raise
        if variables is not None and not isinstance(variables, Mapping | list | tuple):
            raise TwigRuntimeError(
                'Variables passed to the "include" function or tag must be iterable, '
                f'got "{R.describe(variables)}".'
            )
        inner: dict[str, Any] = dict(ctx) if R.truthy(with_context) else {}
        inner.update((R.to_str(k), v) for k, v in R.items(variables))
        template.root(self, self.with_globals(inner), {}, {}, w)

    def include_markup(
        self,
        ctx: dict[str, Any],
        caller: Template,
        name: Any,
        variables: Any = R.UNDEFINED,
        with_context: Any = R.UNDEFINED,
        ignore_missing: Any = R.UNDEFINED,
    ) -> Markup:
        """The ``include()`` function."""
        out: list[str] = []
        self.include(
            ctx,
            name,
            None if variables is R.UNDEFINED else variables,
            True if with_context is R.UNDEFINED else with_context,
            False if ignore_missing is R.UNDEFINED else ignore_missing,
            out.append,
            caller,
        )
        return Markup("".join(out))

    # --- macros ----------------------------------------------------------------------------------

    def load_import(self, name: Any, caller: Template) -> Template:
        """The template an ``import``/``from`` names (``_self`` is the caller)."""
        if isinstance(name, str) and name == caller.name:
            return caller
        return self.resolve(name, caller)

    def _macro(
        self, template: Template, m: dict[str, Any], alias: str, macro: str
    ) -> tuple[Template, Fn | None]:
        target = m.get(alias, template if alias == "_self" else None)
        if isinstance(target, tuple):
            target, macro = target
        if not isinstance(target, Template):
            return template, None
        current: Template | None = target
        while current is not None:  # macros of parent templates are inherited
            if macro in current.macros:
                return current, current.macros[macro]
            current = self.env.load(current.parent_name) if current.parent_name else None
        return target, None

    def call_macro(self, template: Template, m: dict[str, Any], alias: str, macro: str, args: list[Any],
                   kwargs: dict[str, Any], line: int) -> Any:  # fmt: skip
        """Call an imported macro; its output is safe markup."""
        source, fn = self._macro(template, m, alias, macro)
        if fn is None:
            shown = macro if alias != macro else alias
            raise TwigRuntimeError(f'Macro "{shown}" is not defined in template "{source.name}".')
        return fn(self, self.template_imports(source, {}), args, kwargs, line)

    def has_macro(self, template: Template, m: dict[str, Any], alias: str, macro: str) -> bool:
        """``macro is defined``."""
        return self._macro(template, m, alias, macro)[1] is not None

    def macro_context(self, template: Template, name: str, params: list[str], args: list[Any],
                      kwargs: dict[str, Any], line: int) -> dict[str, Any]:  # fmt: skip
        """A macro's own context: its arguments (defaults filled in later), ``varargs`` and the globals."""
        ctx: dict[str, Any] = dict.fromkeys(params, R.UNDEFINED)
        for param, value in zip(params, args, strict=False):
            ctx[param] = value
        varargs = list(args[len(params) :])
        for key, value in kwargs.items():
            if key not in params:
                raise TwigRuntimeError(
                    f'Macro "{name}" defined in template "{template.name}" has no argument named "{key}".'
                )
            if params.index(key) < len(args):
                raise TwigRuntimeError(f'Argument "{key}" is defined twice for macro "{name}".')
            ctx[key] = value
        ctx["varargs"] = varargs
        return self.with_globals(ctx)

    # --- functions and filters that need the environment ----------------------------------------

    def matches(self, subject: Any, pattern: Any) -> bool:
        """The ``matches`` operator."""
        try:
            regex = compile_pcre(R.to_str(pattern))
        except PcreError as exc:
            raise TwigRuntimeError(
                f'Regexp "{R.to_str(pattern)}" passed to "matches" is not valid: {exc}'
            ) from None
        return regex.search(R.to_str(subject)) is not None

    def date(self, value: Any, fmt: Any, timezone: Any) -> str:
        """The ``date`` filter in the configured zone."""
        fmt = None if fmt is R.UNDEFINED else fmt
        timezone = None if timezone is R.UNDEFINED else timezone
        return date_filter(value, fmt, timezone, self.env.zone)

    def date_function(self, value: Any = None, timezone: Any = None) -> Any:
        """Twig's ``date()`` function: a date-time object in the configured (or given) zone."""
        moment = to_datetime(None if value is R.UNDEFINED else value, self.env.zone)
        if timezone is False:
            return moment
        return moment.astimezone(
            self.env.zone if timezone in (None, R.UNDEFINED) else zone(R.to_str(timezone))
        )

    def cycle(self, values: Any, position: Any) -> Any:
        """The ``cycle()`` function."""
        pairs = R.items(values)
        if not pairs:
            raise TwigRuntimeError('The "cycle" function expects a non-empty sequence.')
        return pairs[R.to_int(position) % len(pairs)][1]

    def _extreme(self, args: tuple[Any, ...], sign: int, name: str) -> Any:
        values = [v for _, v in R.items(args[0])] if len(args) == 1 else list(args)
        if not values:
            raise php_error(f"{name}(): Argument #1 ($value) must contain at least one element")
        best = values[0]
        for value in values[1:]:
            if R.compare(value, best) * sign > 0:
                best = value
        return best

    def max(self, *args: Any) -> Any:
        """The ``max()`` function (PHP comparison)."""
        return self._extreme(args, 1, "max")

    def min(self, *args: Any) -> Any:
        """The ``min()`` function (PHP comparison)."""
        return self._extreme(args, -1, "min")


def render_templates(
    templates: Mapping[str, str],
    name: str,
    context: Mapping[str, Any],
    *,
    autoescape: bool = True,
    strict_variables: bool = False,
    timezone: str = "UTC",
) -> str:
    """Render ``templates[name]`` as Twig 3 would with an ``ArrayLoader`` holding ``templates``.

    The other entries are available to ``include``, ``extends``, ``import`` and ``from``. With
    ``strict_variables`` an undefined variable raises, as in Twig; otherwise it is null. ``timezone`` is
    the default time zone of the ``date`` filter.

    Raises:
        TwigSyntaxError: the template (or one it loads) is invalid or uses an unsupported Twig feature.
        TwigRuntimeError: rendering failed; the message starts with ``template:line``.
    """
    env = Environment(templates, autoescape=autoescape, strict_variables=strict_variables, timezone=timezone)
    return env.render(name, context)
