"""``asa2render.toml``: loading, validation and the questions the rest of the code asks of it.

The file is found in the working directory or one of its parents (or named with ``--config``).
Values of the form ``${NAME}`` are read from the environment, so secrets need not live in the file;
a private ``asa2render.secrets.toml`` beside it (mode 0600, never committed) may hold them instead.
Every validation error names the file, the key and what is allowed.

No ``from __future__ import annotations`` here: msgspec reads the records' field types at the first
validation of every run, and string annotations would each be compiled and evaluated then (143 of
them, 5 M instructions of a one-file render's start-up).
"""

import copy
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from msgspec import Meta, field
from msgspec.structs import force_setattr

from ..errors import ConfigError, EncodingError, RecordError
from ..geo.defaults import DEFAULT_FALLBACKS
from ..marketplaces import CredentialType, Store, country_codes, normalize_country, store_for
from ..patterns import lazy
from ..records import FieldError, Record, SecretStr
from ..textio import read_text
from .credentials import PARTNER_TAG_PATTERN, credential_problem, partner_tag_problem
from .rules import parse_condition

CONFIG_FILENAME = "asa2render.toml"
SECRETS_FILENAME = "asa2render.secrets.toml"
DEFAULT_CACHE_TTL = 3600
MAX_CACHE_AGE = 24 * 3600  # Amazon's hard cap: older data is never shown as current
# The site generators asa2render writes for: `[site] host`, `--host` and `wp-migrate --host` (one list).
Host = Literal["plain", "hugo", "eleventy", "jekyll", "mkdocs", "pelican"]
HOSTS: tuple[str, ...] = get_args(Host)
_ENV_REFERENCE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")


_ANY_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def env_references(text: str) -> set[str]:
    """Every variable name written as ``${NAME}`` anywhere in ``text`` (a superset of what a
    configuration file reads from the environment)."""
    return set(_ANY_ENV_REFERENCE.findall(text))


def env_reference(value: str | None) -> str | None:
    """The variable name when ``value`` is a ``${NAME}`` reference, else None."""
    match = _ENV_REFERENCE.match(value or "")
    return match.group(1) if match else None


class _Section(Record, frozen=True, kw_only=True):
    """A configuration section: frozen, unknown keys refused."""


class SiteConfig(_Section, frozen=True, kw_only=True):
    """``[site]``: files, cache and rendering defaults."""

    products: str | None = None
    cache_dir: str = ".asa2render-cache"
    # "redis://host:port/db": products, tokens and rate limits shared by every builder (a secret:
    # the URL may carry a password, so it is never shown).
    cache_url: SecretStr | None = None
    cache_ttl: Annotated[int, Meta(ge=0, le=MAX_CACHE_AGE)] = DEFAULT_CACHE_TTL
    negative_cache_ttl: Annotated[int, Meta(ge=0, le=MAX_CACHE_AGE)] = 600
    templates: str | None = "templates"
    template: str = "box"
    strict: bool = False
    rel: str = "sponsored nofollow noopener"
    target: str = "_blank"
    timezone: str = "UTC"
    associate_set: str = "default"
    disclaimer_url: str | None = None
    # What to show for a product Amazon reports as gone, unavailable or out of stock (see
    # asa2render.products.unavailable): keep the box, hide it, replace it, or link to a search.
    unavailable: Literal["keep", "hide", "replace", "search-link"] = "keep"
    out_of_stock_after: Annotated[int, Meta(ge=0)] = 0  # seconds out of stock before it counts
    host: Host = "plain"  # the generator that reads asa2render's output (render/hosts.py)
    # Labels, dates and numbers of boxes follow each product's store unless this names one locale
    # for the whole site ("de", "en_GB", "ja-JP").
    language: str | None = None
    # The short disclosure beside each box's link; None = the localised "(paid link)", "" = none.
    paid_label: str | None = None

    def __post_init__(self) -> None:
        self._known_language(self.language)

    @staticmethod
    def _known_language(value: str | None) -> None:
        if value is None:
            return
        from babel import Locale, UnknownLocaleError  # only sites that set a language pay for it

        try:
            Locale.parse(value.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            raise FieldError(
                "language", f"unknown language {value!r}; expected a locale such as 'de' or 'en_GB'"
            ) from None


class ReportRule(_Section, frozen=True, kw_only=True):
    """One ``[[report.rules]]`` entry: a named condition, optionally limited to some pages."""

    name: Annotated[str, Meta(min_length=1)]
    condition: str
    pages: tuple[str, ...] = ()  # glob patterns ("content/kitchen/*.md"); empty: every page

    def __post_init__(self) -> None:
        try:
            parse_condition(self.condition)
        except ValueError as exc:
            raise FieldError("condition", str(exc)) from None


class ReportConfig(_Section, frozen=True, kw_only=True):
    """``[report]``: the rules of ``asa2render report`` and where it remembers the last prices."""

    rules: tuple[ReportRule, ...] = ()
    state: str | None = None  # default: report-state.json in the cache folder

    def __post_init__(self) -> None:
        names = [rule.name for rule in self.rules]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise FieldError("rules", f"rule names must be unique: {', '.join(duplicates)}")


class ApiConfig(_Section, frozen=True, kw_only=True):
    """``[api]``: how politely the clients talk to Amazon."""

    requests_per_second: Annotated[float, Meta(gt=0, le=100)] = 1.0
    timeout: Annotated[float, Meta(gt=0, le=300)] = 10.0
    max_retries: Annotated[int, Meta(ge=0, le=10)] = 3
    max_backoff: Annotated[float, Meta(ge=0, le=600)] = 30.0
    token_margin: Annotated[int, Meta(ge=0, le=1800)] = 60


class PlaceholdersConfig(_Section, frozen=True, kw_only=True):
    """``[placeholders]``: ASA2's global placeholder options (AutoPrice, ``IsAvailable``, logos).

    AutoPrice takes the sale price, else the main price (a parent's lowest variation price when it has
    none of its own), then looks at the lowest new, lowest used and collectible offers in that order.
    Each of the three is either considered when it is lower than the price found so far
    (``autoprice_<kind> = true``) or only when there is no price at all so far
    (``autoprice_<kind>_only_if_no_other = true``).
    """

    # TOML true/false only: a string such as "yes" is a mistake to report, not a value to guess
    # (config_from_dict validates this section strictly).

    autoprice_lowest_new: bool = True
    autoprice_lowest_new_only_if_no_other: bool = False
    autoprice_lowest_used: bool = False
    autoprice_lowest_used_only_if_no_other: bool = False
    autoprice_collectible: bool = False
    autoprice_collectible_only_if_no_other: bool = False
    # IsAvailable is also true when new or used offers from other sellers exist.
    is_available_if_other_offers: bool = False
    # AmazonLogo*Url show the store's domain (amazon.de, amazon.co.uk); default: the plain logo.
    localized_shop_logos: bool = False
    # A parent product (no offer of its own) gets its variation summary from GetVariations: one more
    # request per parent, and its box shows the variations price as ASA2 does. Off by default: an item
    # without offers looks the same whether it is a parent or simply unavailable.
    fetch_variation_summaries: bool = False
    # Where the logo files written beside the stylesheet are served from ("/assets/", a full URL);
    # unset: the logos are inlined as data: URLs, which work on every page without a file.
    logo_base_url: str | None = None

    def __post_init__(self) -> None:
        force_setattr(self, "logo_base_url", self._usable_base(self.logo_base_url))
        for kind in ("lowest_new", "lowest_used", "collectible"):
            if getattr(self, f"autoprice_{kind}") and getattr(self, f"autoprice_{kind}_only_if_no_other"):
                raise ValueError(
                    f"autoprice_{kind} (use it when lower) and autoprice_{kind}_only_if_no_other "
                    "(use it only when there is no other price) exclude each other; set one of them"
                )

    @staticmethod
    def _usable_base(value: str | None) -> str | None:
        if value is None:
            return None
        if not value.strip() or any(c in value for c in "\"<>'` \t\n"):
            raise FieldError(
                "logo_base_url", f"logo_base_url {value!r} must be a URL or path without spaces or quotes"
            )
        if ":" in value.split("/", 1)[0] and not value.lower().startswith(("https://", "http://")):
            raise FieldError(
                "logo_base_url", f"logo_base_url {value!r}: only http(s) URLs or paths are allowed"
            )
        return value if value.endswith("/") else value + "/"


_ISO_COUNTRY = lazy(r"^[a-z]{2}$")


class GeoConfig(_Section, frozen=True, kw_only=True):
    """``[geo]``: send visitors from other countries to their own Amazon store (see the README)."""

    enabled: bool = False
    stores: tuple[str, ...] | None = None  # None: every store that has a tracking ID
    fallbacks: dict[str, str] = field(default_factory=dict)  # merged over DEFAULT_FALLBACKS
    mode: Literal["exact", "close", "search"] = "close"
    geoip_url: str | None = None  # off by default: the browser asks nobody

    def __post_init__(self) -> None:
        force_setattr(self, "stores", self._known_stores(self.stores))
        force_setattr(self, "fallbacks", self._valid_fallbacks(self.fallbacks))
        # The endpoint is the site's own (a CDN header exposed at a URL): https or a same-origin path.
        if self.geoip_url is not None and not self.geoip_url.startswith(("https://", "/")):
            raise FieldError(
                "geoip_url", "geoip_url must be an https:// URL or a path on the site such as /geo"
            )

    @staticmethod
    def _known_stores(stores: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if stores is None:
            return None
        canonical = []
        for code in stores:
            store = normalize_country(code)
            if store is None:
                raise FieldError("stores", f"unknown store {code!r}; allowed: {', '.join(country_codes())}")
            canonical.append(store)
        return tuple(dict.fromkeys(canonical))

    @staticmethod
    def _valid_fallbacks(fallbacks: dict[str, str]) -> dict[str, str]:
        cleaned: dict[str, str] = {}
        for country, target in fallbacks.items():
            key = country.strip().lower()
            if not _ISO_COUNTRY().match(key):
                raise FieldError("fallbacks", f"fallbacks: {country!r} is not a two-letter country code")
            store = normalize_country(target)
            if store is None:
                raise FieldError(
                    "fallbacks",
                    f"fallbacks.{key}: unknown store {target!r}; allowed: {', '.join(country_codes())}",
                )
            cleaned[key] = store
        return cleaned

    @property
    def all_fallbacks(self) -> dict[str, str]:
        """The built-in map with the configured entries merged over it."""
        return {**DEFAULT_FALLBACKS, **self.fallbacks}


class MarketplaceConfig(_Section, frozen=True, kw_only=True):
    """One ``[[marketplaces]]`` entry: the seed's per-store Creators API credentials."""

    country: str
    credential_type: CredentialType | None = None
    credential_id: str | None = None
    credential_secret: SecretStr | None = None
    partner_tag: str | None = None
    enabled: bool = True
    default: bool = False

    def __post_init__(self) -> None:
        canonical = normalize_country(self.country)
        if canonical is None:
            allowed = ", ".join(country_codes())
            raise FieldError("country", f"unknown country {self.country!r}; allowed: {allowed}")
        force_setattr(self, "country", canonical)
        problem = partner_tag_problem(self.store, self.partner_tag) if self.partner_tag is not None else None
        if problem:
            raise ValueError(f"{self.country}: {problem}")
        self._credentials_complete()

    def _credentials_complete(self) -> None:
        if self.credential_type and not self.credential_id:
            raise ValueError(f"{self.country}: credential_type needs credential_id")
        if self.credential_id and not self.credential_type:
            raise ValueError(f"{self.country}: credential_id needs credential_type (cognito|lwa)")
        if self.credential_type and self.credential_id:
            problem = credential_problem(self.store, self.credential_type, self.credential_id)
            if problem:
                raise ValueError(f"{self.country}: {problem}")

    @property
    def store(self) -> Store:
        return store_for(self.country)

    @property
    def has_credentials(self) -> bool:
        """Creators API credentials are configured (id and a usable secret)."""
        secret = self.credential_secret.get_secret_value() if self.credential_secret else ""
        return bool(self.credential_type and self.credential_id and secret)

    @property
    def api_version(self) -> str | None:
        """Derived from credential type and region, never typed by the user."""
        return self.store.api_version(self.credential_type) if self.credential_type else None

    @property
    def uses_creators(self) -> bool:
        """The seed's routing rule: credentials exist and the marketplace is enabled."""
        return self.enabled and self.has_credentials


class PaapiConfig(_Section, frozen=True, kw_only=True):
    """``[paapi]``: PA-API 5.0 keys, the fallback route."""

    access_key: str | None = None
    secret_key: SecretStr | None = None

    @property
    def usable(self) -> bool:
        secret = self.secret_key.get_secret_value() if self.secret_key else ""
        return bool(self.access_key and secret)


class Config(_Section, frozen=True, kw_only=True):
    """The whole validated configuration, plus where it came from."""

    site: SiteConfig = field(default_factory=SiteConfig)
    api: ApiConfig = field(default_factory=ApiConfig)
    marketplaces: tuple[MarketplaceConfig, ...] = ()
    paapi: PaapiConfig = field(default_factory=PaapiConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    placeholders: PlaceholdersConfig = field(default_factory=PlaceholdersConfig)
    associate_id_sets: dict[str, dict[str, str]] = field(default_factory=dict)
    geo: GeoConfig = field(default_factory=GeoConfig)
    collections: dict[str, tuple[str, ...]] = field(default_factory=dict)
    path: Path | None = None
    unresolved_secrets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        force_setattr(self, "associate_id_sets", self._valid_sets(self.associate_id_sets))
        self._one_default_one_entry()

    @staticmethod
    def _valid_sets(sets: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        cleaned: dict[str, dict[str, str]] = {}
        for name, tags in sets.items():
            cleaned[name] = {}
            for country, tag in tags.items():
                canonical = normalize_country(country)
                if canonical is None:
                    raise FieldError(
                        "associate_id_sets", f"associate set {name!r}: unknown country {country!r}"
                    )
                problem = partner_tag_problem(store_for(canonical), tag)
                if problem:
                    raise FieldError("associate_id_sets", f"associate set {name!r}: {problem}")
                cleaned[name][canonical] = tag
        return cleaned

    def _one_default_one_entry(self) -> None:
        defaults = [m.country for m in self.marketplaces if m.default]
        if len(defaults) > 1:
            raise ValueError(
                f"only one marketplace may be the default, found {len(defaults)}: " + ", ".join(defaults)
            )
        seen: set[str] = set()
        for market in self.marketplaces:
            if market.country in seen:
                raise ValueError(f"marketplace {market.country!r} is configured twice")
            seen.add(market.country)

    @property
    def root(self) -> Path:
        """The directory relative paths in the configuration are resolved against."""
        return self.path.parent if self.path else Path.cwd()

    def resolve_path(self, value: str | None) -> Path | None:
        if value is None:
            return None
        candidate = Path(value).expanduser()
        return candidate if candidate.is_absolute() else self.root / candidate

    def marketplace(self, country: str) -> MarketplaceConfig | None:
        canonical = normalize_country(country)
        return next((m for m in self.marketplaces if m.country == canonical), None)

    @property
    def default_marketplace(self) -> MarketplaceConfig | None:
        return next((m for m in self.marketplaces if m.default), None)

    @property
    def default_country(self) -> str | None:
        default = self.default_marketplace
        return default.country if default else None

    def partner_tag(self, country: str, associate_set: str | None = None) -> tuple[str | None, str]:
        """The tracking ID for a store and where it came from.

        A marketplace's own partner tag wins; otherwise the named associate ID set (or the site's
        default set) supplies it.
        """
        market = self.marketplace(country)
        if market and market.partner_tag:
            return market.partner_tag, "marketplace"
        set_name = associate_set or self.site.associate_set
        tag = self.associate_id_sets.get(set_name, {}).get(country)
        return tag, f'associate set "{set_name}"'


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``asa2render.toml`` in ``start`` (default: cwd) or its parents."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
    return None


def load_config(
    path: Path | str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    search: bool = True,
) -> Config:
    """Load and validate a configuration file.

    Args:
        path: the file; when None, :func:`find_config` looks for one, and without one the empty
            default configuration is returned (local products, cache and fallback links only).
        environ: where ``${NAME}`` references are looked up (default: ``os.environ``).
        search: whether to look for a file when ``path`` is None.
    """
    resolved = Path(path) if path is not None else (find_config() if search else None)
    if resolved is None:
        return Config()
    data = _read_toml(resolved)
    secrets_path = resolved.with_name(SECRETS_FILENAME)
    secrets = _read_toml(secrets_path) if secrets_path.is_file() else None
    return config_from_dict(data, path=resolved, environ=environ, secrets=secrets)


def config_from_dict(
    data: Mapping[str, Any],
    *,
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    secrets: Mapping[str, Any] | None = None,
) -> Config:
    """Validate an already-parsed configuration mapping (used by the loader, edits, integrations, tests).

    Args:
        data: the parsed ``asa2render.toml``.
        path: where it came from (relative paths resolve against its folder; errors name it).
        environ: where ``${NAME}`` references are looked up (default: ``os.environ``).
        secrets: the parsed secrets file beside it, merged the way :func:`load_config` merges it.
    """
    env = os.environ if environ is None else environ
    merged = dict(data)
    if secrets:
        merged = copy.deepcopy(merged)  # merging writes into the entries; the caller's stay as given
        secrets_path = path.with_name(SECRETS_FILENAME) if path else Path(SECRETS_FILENAME)
        _merge_secrets(merged, dict(secrets), secrets_path)
    expanded, unresolved = _expand_env(merged, env)
    expanded["path"] = path
    expanded["unresolved_secrets"] = tuple(unresolved)
    try:
        if isinstance(expanded.get("placeholders"), dict):
            # TOML true/false only here: "yes" is a mistake to report, not a value to guess.
            expanded["placeholders"] = _section(PlaceholdersConfig, "placeholders", expanded["placeholders"])
        return Config.model_validate(expanded)
    except RecordError as exc:
        raise ConfigError(str(exc), path=str(path) if path else None) from None


def _section(kind: type[PlaceholdersConfig], name: str, data: dict[str, Any]) -> PlaceholdersConfig:
    """One section validated strictly (no "yes" for true), its errors named from the file's top."""
    try:
        return kind.model_validate(data, strict=True)
    except RecordError as exc:
        raise RecordError(exc.reason, key=f"{name}.{exc.key}" if exc.key else name) from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(read_text(path))
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(path)) from None
    except EncodingError as exc:
        raise ConfigError(exc.reason, path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None


def _merge_secrets(data: dict[str, Any], secrets: dict[str, Any], path: Path) -> None:
    """Fill secrets from the private secrets file: ``[marketplaces.de] credential_secret``."""
    for country, values in (secrets.get("marketplaces") or {}).items():
        canonical = normalize_country(country)
        entry = next(
            (m for m in data.get("marketplaces", []) if normalize_country(m.get("country", "")) == canonical),
            None,
        )
        if entry is None or not isinstance(values, dict):
            continue
        if "credential_secret" in values and not entry.get("credential_secret"):
            entry["credential_secret"] = values["credential_secret"]
    paapi_secret = (secrets.get("paapi") or {}).get("secret_key")
    if paapi_secret and not (data.get("paapi") or {}).get("secret_key"):
        data.setdefault("paapi", {})["secret_key"] = paapi_secret
    unknown = set(secrets) - {"marketplaces", "paapi"}
    if unknown:
        raise ConfigError(f"unknown sections {sorted(unknown)}", path=str(path))


def _expand_env(value: Any, env: Mapping[str, str]) -> tuple[Any, list[str]]:
    """Replace ``${NAME}`` strings anywhere in the tree; unset names become None and are listed."""
    missing: list[str] = []

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: walk(child) for key, child in node.items()}
        if isinstance(node, list):
            return [walk(child) for child in node]
        name = env_reference(node) if isinstance(node, str) else None
        if name is None:
            return node
        if name not in env or not env[name]:
            missing.append(name)
            return None
        return env[name]

    return walk(value), missing


__all__ = [
    "CONFIG_FILENAME",
    "DEFAULT_CACHE_TTL",
    "MAX_CACHE_AGE",
    "PARTNER_TAG_PATTERN",
    "SECRETS_FILENAME",
    "ApiConfig",
    "Config",
    "GeoConfig",
    "MarketplaceConfig",
    "PaapiConfig",
    "PlaceholdersConfig",
    "ReportConfig",
    "ReportRule",
    "SiteConfig",
    "config_from_dict",
    "env_reference",
    "env_references",
    "find_config",
    "load_config",
]
