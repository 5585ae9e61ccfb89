"""Style-preserving, atomic edits of ``asa2render.toml`` and its private secrets file.

The configuration is a file the user owns: edits go through ``tomlkit`` so comments, key order and
spacing survive, and every write is a temporary file in the same directory, flushed to disk and then
renamed over the original, so an interrupted command leaves either the old file or the new one.
Before anything is written, the edited document is validated by the same code ``load_config`` uses;
an edit that would produce an invalid configuration is refused and nothing changes.

Secrets live in ``asa2render.secrets.toml`` beside the configuration (created with mode 0600) in the
layout the loader merges: ``[marketplaces.de] credential_secret = "…"``.

Typical use::

    document = ConfigDocument.open(path)
    entry = document.add_marketplace("de")
    entry["partner_tag"] = "mytag-21"
    document.set_secret("de", secret)
    document.validate()          # raises ConfigError, nothing written
    report = document.save()
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Array, InlineTable, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from ..errors import ConfigError
from ..files import PRIVATE_FILE_MODE, atomic_write
from ..marketplaces import normalize_country
from .model import SECRETS_FILENAME, Config, config_from_dict, env_reference

SECRETS_FILE_MODE = PRIVATE_FILE_MODE

Entry = Table | InlineTable


@dataclass(frozen=True, slots=True)
class SaveReport:
    """What :meth:`ConfigDocument.save` did, so the CLI can tell the user."""

    config_written: bool
    config_created: bool
    secrets_written: bool
    secrets_created: bool


class ConfigDocument:
    """``asa2render.toml`` and its secrets file, opened for editing.

    Marketplace entries are matched by canonical country code, so ``country = "GB"`` in the file is
    found as ``uk``. Values are plain tomlkit items: assign to an entry's keys to change them.
    """

    def __init__(self, path: Path, document: TOMLDocument, secrets: TOMLDocument) -> None:
        self.path = path
        self.document = document
        self.secrets = secrets
        self._config_existed = path.is_file()
        self._secrets_existed = self.secrets_path.is_file()
        self._original_text = document.as_string()
        self._original_secrets = secrets.as_string()
        self._secret_added = False

    @classmethod
    def open(cls, path: Path) -> ConfigDocument:
        """Read both files; a missing file is an empty document that :meth:`save` creates."""
        secrets_path = path.with_name(SECRETS_FILENAME)
        return cls(path, _parse_file(path), _parse_file(secrets_path))

    @property
    def secrets_path(self) -> Path:
        return self.path.with_name(SECRETS_FILENAME)

    # -- marketplace entries ---------------------------------------------------------------------

    def countries(self) -> list[str]:
        """Canonical codes of the configured marketplaces, in file order."""
        codes = (normalize_country(str(entry.get("country", ""))) for entry in self._entries())
        return [code for code in codes if code]

    def marketplace(self, country: str) -> Entry | None:
        """The ``[[marketplaces]]`` entry of a store, or None."""
        return next((entry for entry in self._entries() if _same_country(entry, country)), None)

    def add_marketplace(self, country: str) -> Entry:
        """Append a new entry for ``country`` (the caller checks it is not configured yet)."""
        entries = self.document.get("marketplaces")
        if entries is None:
            if self.document.as_string().strip() and not self.document.as_string().endswith("\n\n"):
                self.document.add(tomlkit.nl())
            entries = tomlkit.aot()
            self.document.append("marketplaces", entries)
        entry: Entry
        if isinstance(entries, Array):
            # The user wrote an inline array: keep that style.
            entry = tomlkit.inline_table()
            entry["country"] = country
            entries.append(entry)
            return entry
        _ensure_blank_line_after(entries[-1] if len(entries) else None)
        entry = tomlkit.table()
        entry["country"] = country
        # A blank line between this table and whatever follows; "unfixed" whitespace stays at the
        # end of the table when keys are added later.
        entry.add(Whitespace("\n"))
        entries.append(entry)
        return entry

    def remove_marketplace(self, country: str) -> bool:
        """Delete a marketplace's entry and its stored secret; False when it was not configured."""
        entries = self.document.get("marketplaces")
        if entries is None:
            return False
        for index, entry in enumerate(entries):
            if _same_country(entry, country):
                del entries[index]
                if not len(entries):
                    del self.document["marketplaces"]
                self.set_secret(country, None)
                return True
        return False

    def set_value(self, country: str, key: str, value: Any) -> None:
        """Set one key of a marketplace entry; ``None`` removes the key."""
        entry = self.marketplace(country)
        if entry is None:
            raise KeyError(country)
        if value is None:
            if key in entry:
                del entry[key]
            return
        entry[key] = value

    def set_default(self, country: str | None) -> list[str]:
        """Make ``country`` the only default (None: no default); returns the codes that lost it."""
        previous: list[str] = []
        for entry in self._entries():
            code = normalize_country(str(entry.get("country", ""))) or ""
            if code == country:
                entry["default"] = True
            elif entry.get("default"):
                del entry["default"]
                previous.append(code)
        return previous

    def _entries(self) -> Iterator[Entry]:
        entries = self.document.get("marketplaces")
        if isinstance(entries, AoT | Array):
            yield from (entry for entry in entries if isinstance(entry, Table | InlineTable))

    # -- secrets -----------------------------------------------------------------------------------

    def stored_secret(self, country: str) -> str | None:
        """The secret held for ``country`` in the secrets file (never printed; used to test presence)."""
        table = self._secret_table(country)
        value = table.get("credential_secret") if table is not None else None
        return str(value) if value else None

    def set_secret(self, country: str, secret: str | None) -> None:
        """Store (or with None, delete) a marketplace's secret in the secrets file."""
        section = self.secrets.get("marketplaces")
        if secret is None:
            if section is None:
                return
            for key in [k for k in section if normalize_country(str(k)) == country]:
                del section[key]
            if not len(section):
                del self.secrets["marketplaces"]
            return
        if section is None:
            section = tomlkit.table(is_super_table=True)
            self.secrets["marketplaces"] = section
        table = self._secret_table(country)
        if table is None:
            table = tomlkit.table()
            section[country] = table
        table["credential_secret"] = secret
        self._secret_added = True

    def _secret_table(self, country: str) -> Table | None:
        section = self.secrets.get("marketplaces") or {}
        for key, table in section.items():
            if normalize_country(str(key)) == country and isinstance(table, Table):
                return table
        return None

    def sensitive_values(self, environ: Mapping[str, str] | None = None) -> dict[str, str]:
        """Every secret, credential id and partner tag held in either file, by value → kind.

        Used to scrub messages (for example a loader error quoting a hand-edited value) before
        they are printed. Kinds: ``secret``, ``credential_id``, ``partner_tag``. A ``${NAME}``
        reference is not itself secret; the value ``environ`` holds for it is.
        """
        found: dict[str, str] = {}
        for entry in self._entries():
            for key in ("partner_tag", "credential_id"):
                if entry.get(key):
                    found[str(entry[key])] = key
        secrets = [entry.get("credential_secret") for entry in self._entries()]
        secrets += [self.stored_secret(country) for country in self.countries()]
        secrets += [(self.document.get("paapi") or {}).get("secret_key")]
        secrets += [(self.secrets.get("paapi") or {}).get("secret_key")]
        for value in secrets:
            name = env_reference(str(value)) if value else None
            resolved = (environ or {}).get(name, "") if name else str(value or "")
            if resolved:
                found[resolved] = "secret"
        return found

    # -- validation and writing ------------------------------------------------------------------

    def validate(self, environ: dict[str, str] | None = None) -> Config:
        """Validate the edited documents as ``load_config`` would read them back.

        The text that would be written is parsed again with ``tomllib`` (what the loader uses), the
        secrets are merged by the loader's own function, and the result goes through
        ``config_from_dict``: an edit is accepted only if the loader will accept the file.

        Raises:
            ConfigError: the edited configuration is invalid.
        """
        data = _parse_text(self.document.as_string(), self.path)
        secrets = _parse_text(self.secrets.as_string(), self.secrets_path)
        return config_from_dict(data, path=self.path, environ=environ, secrets=secrets)

    def save(self) -> SaveReport:
        """Write whichever of the two files changed, each atomically.

        The secrets file goes first when it gains a secret (so the configuration never names a
        marketplace whose new secret is not on disk yet) and last when it only loses one (so an
        interrupted ``remove`` leaves at worst an unused secret, which the loader ignores).
        """
        config_text = self.document.as_string()
        secrets_text = self.secrets.as_string()
        config_changed = config_text != self._original_text or not self._config_existed
        secrets_changed = secrets_text != self._original_secrets
        writes: list[tuple[Path, str, int | None]] = []
        if secrets_changed:
            writes.append((self.secrets_path, secrets_text, SECRETS_FILE_MODE))
        if config_changed:
            writes.append((self.path, config_text, None))
        for path, text, mode in writes if self._secret_added else reversed(writes):
            atomic_write(path, text, mode=mode)
        report = SaveReport(
            config_written=config_changed,
            config_created=config_changed and not self._config_existed,
            secrets_written=secrets_changed,
            secrets_created=secrets_changed and not self._secrets_existed,
        )
        self._config_existed = self._config_existed or config_changed
        self._secrets_existed = self._secrets_existed or secrets_changed
        self._original_text, self._original_secrets = config_text, secrets_text
        self._secret_added = False
        return report


def gitignore_lists(gitignore: Path, name: str) -> bool:
    """Whether a ``.gitignore`` has a plain pattern matching ``name`` (negations not considered)."""
    try:
        lines = gitignore.read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    patterns = (line.strip().lstrip("/") for line in lines)
    return any(p and not p.startswith(("#", "!")) and fnmatch.fnmatch(name, p) for p in patterns)


def _parse_file(path: Path) -> TOMLDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return tomlkit.document()
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(path)) from None
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        # The message gives line and column only, never the offending value.
        raise ConfigError(f"invalid TOML: line {exc.line}, column {exc.col}", path=str(path)) from None


def _parse_text(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None


def _same_country(entry: Any, country: str) -> bool:
    return (
        isinstance(entry, Table | InlineTable) and normalize_country(str(entry.get("country", ""))) == country
    )


def _ensure_blank_line_after(entry: Any) -> None:
    """Give the last existing table a trailing blank line before a new table is appended after it."""
    if not isinstance(entry, Table):
        return
    body = entry.value.body
    if body and isinstance(body[-1][1], Whitespace):
        return
    entry.add(Whitespace("\n"))


__all__ = ["SECRETS_FILE_MODE", "ConfigDocument", "SaveReport", "atomic_write", "gitignore_lists"]
