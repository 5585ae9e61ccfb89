"""The seed's "Configured Marketplaces" table: one row per store, as plain text, rich or JSON.

The rows are built from a validated configuration; partner tags are masked and the "API Used"
column is :func:`asa2render.config.routing.decide_route`, the rule the engine applies.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from ..config.model import Config, MarketplaceConfig
from ..config.routing import decide_route
from ..marketplaces import CREDENTIAL_TYPE_LABELS, STORES, CredentialType, Store
from ..masking import mask_partner_tag

Status = Literal["enabled", "disabled", "not configured"]

NO_VALUE = "—"
DEFAULT_MARK = "★"
_STATUS_LABELS: dict[Status, str] = {
    "enabled": "Enabled",
    "disabled": "Disabled",
    "not configured": "Not configured",
}
_STATUS_STYLES: dict[Status, str] = {"enabled": "green", "disabled": "grey50", "not configured": "dim"}
_COLUMNS = ("Marketplace", "Status", "Credential Type", "API Version", "Partner Tag", "Default", "API Used")


@dataclass(frozen=True, slots=True)
class MarketplaceRow:
    """One row of the "Configured Marketplaces" table; field order is the JSON key order."""

    marketplace: str
    country: str
    status: Status
    credential_type: CredentialType | None
    api_version: str | None
    partner_tag: str | None  # masked
    default: bool
    api_used: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def cells(self) -> tuple[str, ...]:
        """The row as the table shows it, in :data:`_COLUMNS` order."""
        kind = CREDENTIAL_TYPE_LABELS[self.credential_type] if self.credential_type else NO_VALUE
        return (
            self.marketplace,
            _STATUS_LABELS[self.status],
            kind,
            self.api_version or NO_VALUE,
            self.partner_tag or NO_VALUE,
            DEFAULT_MARK if self.default else "",
            self.api_used,
        )


def marketplace_rows(config: Config, *, include_all: bool = False) -> list[MarketplaceRow]:
    """The seed's table: configured marketplaces in file order, then (``include_all``) every other store."""
    rows = [_configured_row(config, market) for market in config.marketplaces]
    if include_all:
        configured = {market.country for market in config.marketplaces}
        rows += [_unconfigured_row(config, store) for store in STORES if store.country not in configured]
    return rows


def _configured_row(config: Config, market: MarketplaceConfig) -> MarketplaceRow:
    tag, _ = config.partner_tag(market.country)
    return MarketplaceRow(
        marketplace=market.store.name,
        country=market.country,
        status="enabled" if market.enabled else "disabled",
        credential_type=market.credential_type,
        api_version=market.api_version,
        partner_tag=mask_partner_tag(tag) or None,
        default=market.default,
        api_used=decide_route(config, market.country).label,
    )


def _unconfigured_row(config: Config, store: Store) -> MarketplaceRow:
    tag, _ = config.partner_tag(store.country)
    return MarketplaceRow(
        marketplace=store.name,
        country=store.country,
        status="not configured",
        credential_type=None,
        api_version=None,
        partner_tag=mask_partner_tag(tag) or None,
        default=False,
        api_used=decide_route(config, store.country).label,
    )


def plain_table(rows: list[MarketplaceRow]) -> str:
    """Aligned columns without colour, for pipes, files and tests."""
    lines = [_COLUMNS, *(row.cells() for row in rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(_COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def rich_table(rows: list[MarketplaceRow]) -> Any:
    """The same table for a terminal: status in colour, the default starred."""
    from rich.table import Table  # imported here: only a terminal pays for rich

    table = Table(title="Configured Marketplaces")
    for column in _COLUMNS:
        table.add_column(column, justify="center" if column == "Default" else "left")
    for row in rows:
        cells = list(row.cells())
        cells[1] = f"[{_STATUS_STYLES[row.status]}]{cells[1]}[/]"
        table.add_row(*cells)
    return table


__all__ = [
    "DEFAULT_MARK",
    "NO_VALUE",
    "MarketplaceRow",
    "Status",
    "marketplace_rows",
    "plain_table",
    "rich_table",
]
