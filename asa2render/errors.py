"""The one error tree of asa2render.

Every error the library raises derives from :class:`Asa2Error`; httpx and diskcache errors are
translated at one boundary each (``api/``, ``products/cache.py``), msgspec's validation errors in
``records.py`` (as :class:`RecordError`; the configuration loaders turn it into :class:`ConfigError`).
Messages say what happened, where, and what to do. They never contain a credential secret. The command line
wraps them in :class:`asa2render.cli.errors.CliError`, which carries the exit code.

::

    Asa2Error
    ├── ConfigError                 asa2render.toml / products.toml / secrets file is invalid
    ├── RecordError                 data does not fit a record (key, reason): a model failed validation
    ├── ShortcodeError              a shortcode is malformed or names something unknown (has a location)
    ├── StrictModeError             strict mode turned one or more diagnostics into a failure
    ├── CacheError                  the disk cache cannot be opened at all (entries never raise)
    ├── EncodingError               a page or configuration file is not valid UTF-8 (or its BOM's UTF)
    ├── OutputError                 an output would overwrite an input (``-o`` at the input)
    ├── TemplateError               a product template is missing or fails to render
    ├── IntegrationMissingError     a host package (mkdocs, pelican, markdown) is not installed
    ├── WordPressExportError        a WordPress export (WXR) file cannot be read
    └── ApiError                    an Amazon API call failed (marketplace, ASINs, retryable, retry_after)
        ├── AuthError               401 or token endpoint refused the credentials
        ├── ForbiddenError          403: AssociateNotEligible, InvalidAssociate, deprecated PA-API …
        ├── InvalidRequestError     400: the same request fails everywhere
        ├── NotFoundError           404 / every item unknown
        ├── ThrottledError          429 after retries
        ├── ServerError             5xx after retries, malformed responses
        └── NetworkError            timeouts, refused connections, TLS failures
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec


class Location(msgspec.Struct, frozen=True):
    """A place in a source document; line and column are 1-based, line 0 means the whole file."""

    path: str | None
    line: int
    column: int

    def __str__(self) -> str:
        if self.line == 0:
            return self.path or "<input>"
        return f"{self.path or '<input>'}:{self.line}:{self.column}"


class Asa2Error(Exception):
    """Root of every error asa2render raises."""


class ConfigError(Asa2Error):
    """The configuration (or a file it names) is invalid."""

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None) -> None:
        self.path = path
        self.key = key
        where = ": ".join(part for part in (path, key) if part)
        super().__init__(f"{where}: {message}" if where else message)


class RecordError(Asa2Error, ValueError):
    """Data does not fit a record: ``key`` is the dotted path (``marketplaces.0.country``), or empty.

    Also a ``ValueError``, as the validation errors it replaces were: readers of cached JSON treat
    any ``ValueError`` as a corrupt entry.
    """

    def __init__(self, reason: str, *, key: str = "") -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"{key}: {reason}" if key else reason)


class ShortcodeError(Asa2Error):
    """A shortcode is malformed or refers to something unknown."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.location = location
        self.bare_message = message
        super().__init__(f"{location}: {message}" if location else message)


class StrictModeError(Asa2Error):
    """Strict mode turned one or more diagnostics into a failure."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in strict mode"
        super().__init__("\n".join([head, *self.problems]))


class CacheError(Asa2Error):
    """The product cache cannot be opened at all."""


class EncodingError(Asa2Error):
    """A text file is not valid UTF-8 (or not valid in the UTF its byte-order mark announces)."""

    def __init__(self, path: str, encoding: str, offset: int) -> None:
        self.path = path
        self.encoding = encoding
        self.offset = offset
        self.reason = f"not valid {encoding} at byte {offset}"
        super().__init__(f"{path}: {self.reason}")


class OutputError(Asa2Error):
    """Writing the output as asked would overwrite an input file."""


class TemplateError(Asa2Error):
    """A product template is missing or failed to render."""


class IntegrationMissingError(Asa2Error):
    """A host package needed by an integration is not installed."""

    def __init__(self, host: str, extra: str) -> None:
        self.host = host
        self.extra = extra
        super().__init__(f"the {host} integration needs {host} installed: pip install 'asa2render[{extra}]'")


class WordPressExportError(Asa2Error):
    """A WordPress export (WXR) file cannot be read: not XML, not WXR, or unsafe XML."""


class ApiError(Asa2Error):
    """An Amazon API call failed; carries the marketplace and the ASINs concerned."""

    kind = "api"
    retryable = False

    def __init__(
        self,
        message: str,
        *,
        marketplace: str | None = None,
        asins: Sequence[str] = (),
        api: str | None = None,
        reason: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        self.marketplace = marketplace
        self.asins = tuple(asins)
        self.api = api
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.permanent = permanent
        self.bare_message = message
        super().__init__(self._describe(message))

    def _describe(self, message: str) -> str:
        parts = [p for p in (self.api, self.marketplace) if p]
        prefix = f"[{' '.join(parts)}] " if parts else ""
        return f"{prefix}{message}"


class AuthError(ApiError):
    """The credentials were refused (401 or a failed token request)."""

    kind = "auth"


class ForbiddenError(ApiError):
    """Access denied (403): not eligible, invalid associate, or the API is deprecated."""

    kind = "forbidden"


class InvalidRequestError(ApiError):
    """The request is invalid (400); sending it again or elsewhere fails the same way."""

    kind = "invalid"


class NotFoundError(ApiError):
    """None of the requested items exist or are accessible (404)."""

    kind = "not_found"


class ThrottledError(ApiError):
    """The API kept throttling (429) after the retries allowed."""

    kind = "throttled"
    retryable = True


class ServerError(ApiError):
    """The API failed (5xx) or answered something that is not a valid response."""

    kind = "server"
    retryable = True


class NetworkError(ApiError):
    """The API could not be reached: timeout, refused connection, TLS failure."""

    kind = "network"
    retryable = True


__all__ = [
    "ApiError",
    "Asa2Error",
    "AuthError",
    "CacheError",
    "ConfigError",
    "EncodingError",
    "ForbiddenError",
    "IntegrationMissingError",
    "InvalidRequestError",
    "Location",
    "NetworkError",
    "NotFoundError",
    "OutputError",
    "RecordError",
    "ServerError",
    "ShortcodeError",
    "StrictModeError",
    "TemplateError",
    "ThrottledError",
    "WordPressExportError",
]
