"""Product reports: ASA2's e-mail notifications as a file or a CI check (``asa2render report``).

For every product a site uses (or every stored and cached product), the report says which rules
match — unavailable, out of stock, price changed by more than N % since the last report, replaced,
stale beyond the 24 h rule, MAP-hidden — and which pages use it. Rules come from ``[[report.rules]]``
(see :mod:`asa2render.config.rules`); without any, one rule per condition is used. The prices seen
are remembered in a small JSON file (amount and currency per product, nothing else) so the next
report can tell how they changed.
"""

from __future__ import annotations

import fnmatch
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..config.model import MAX_CACHE_AGE, Config, ReportRule
from ..config.rules import Condition, Term, parse_condition
from ..files import atomic_write
from .models import ProductKey, Resolved

log = logging.getLogger("asa2render.products.report")
STATE_FILENAME = "report-state.json"
DEFAULT_RULES = (
    ReportRule(name="unavailable", condition="unavailable"),
    ReportRule(name="out-of-stock", condition="out_of_stock"),
    ReportRule(name="price-changed", condition="price_changed > 10%"),
    ReportRule(name="replaced", condition="replaced"),
    ReportRule(name="stale", condition="stale > 24h"),
    ReportRule(name="map-hidden", condition="map_hidden"),
)


@dataclass
class Finding:
    """One product, what is known about it now, and the rules it matches."""

    key: str
    title: str | None
    state: str
    pages: list[str]
    availability: str | None = None
    price: str | None = None
    previous_price: str | None = None
    price_change_percent: float | None = None
    unavailable: str | None = None
    replaced_by: str | None = None
    age_hours: float | None = None
    map_hidden: bool = False
    rules: list[str] = field(default_factory=list)

    def details(self) -> str:
        parts = []
        if self.unavailable:
            parts.append(self.unavailable)
        elif self.availability and self.availability not in {"IN_STOCK", "UNKNOWN"}:
            parts.append(self.availability.lower().replace("_", " "))
        if self.replaced_by:
            parts.append(f"replaced by {self.replaced_by}")
        if self.price_change_percent is not None:
            parts.append(f"price {self.price_change_percent:+.1f} % ({self.previous_price} → {self.price})")
        if self.map_hidden:
            parts.append("price hidden (MAP)")
        if self.age_hours is not None and self.age_hours >= MAX_CACHE_AGE / 3600:
            parts.append(f"data {self.age_hours:.0f} h old")
        if self.state == "fallback" and not self.unavailable:
            parts.append("no current data (fallback link shown)")
        return "; ".join(parts) or self.state


@dataclass
class ProductReport:
    """The findings of one run, ready to print in three formats."""

    generated_at: datetime
    checked: int
    rules: list[ReportRule]
    findings: list[Finding]

    def matches(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if rule in f.rules]

    def to_json(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at.isoformat(),
            "checked": self.checked,
            "rules": [
                {
                    "name": r.name,
                    "condition": r.condition,
                    "pages": list(r.pages),
                    "matches": len(self.matches(r.name)),
                }
                for r in self.rules
            ],
            "products": [asdict(f) for f in self.findings],
        }

    def text(self) -> str:
        lines = [f"asa2render report: {self.checked} product(s) checked, {len(self.findings)} matched a rule"]
        for rule in self.rules:
            lines.append(f"  {rule.name} ({rule.condition}): {len(self.matches(rule.name))}")
        for finding in self.findings:
            title = f' "{finding.title}"' if finding.title else ""
            lines.append(f"{finding.key}{title} [{', '.join(finding.rules)}]")
            lines.append(f"  {finding.details()}")
            if finding.pages:
                lines.append(f"  pages: {', '.join(finding.pages)}")
        return "\n".join(lines) + "\n"

    def markdown(self) -> str:
        lines = [
            "# Product report",
            "",
            f"{self.checked} product(s) checked on {self.generated_at:%Y-%m-%d %H:%M} UTC, "
            f"{len(self.findings)} matched a rule.",
            "",
            "| Rule | Condition | Products |",
            "| --- | --- | --- |",
            *(f"| {r.name} | `{r.condition}` | {len(self.matches(r.name))} |" for r in self.rules),
        ]
        if self.findings:
            lines += ["", "| Product | Rules | Details | Pages |", "| --- | --- | --- | --- |"]
            for f in self.findings:
                title = f"{f.key} {_cell(f.title or '')}".strip()
                pages = "<br>".join(_cell(p) for p in f.pages) or "–"
                lines.append(f"| {title} | {', '.join(f.rules)} | {_cell(f.details())} | {pages} |")
        return "\n".join(lines) + "\n"

    def render(self, fmt: str) -> str:
        if fmt == "json":
            return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
        return self.markdown() if fmt == "markdown" else self.text()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report_rules(config: Config) -> list[ReportRule]:
    """The configured rules, or one rule per condition when none are configured."""
    return list(config.report.rules or DEFAULT_RULES)


def state_path(config: Config) -> Path:
    configured = config.resolve_path(config.report.state)
    if configured is not None:
        return configured
    cache = config.resolve_path(config.site.cache_dir)
    assert cache is not None
    return cache / STATE_FILENAME


def load_prices(path: Path) -> dict[str, tuple[Decimal, str]]:
    """The prices the last report saw; a missing or damaged file is an empty memory (logged)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {key: (Decimal(amount), currency) for key, (amount, currency) in data["prices"].items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, InvalidOperation):
        log.warning("%s is unreadable; prices are compared from this report on", path)
        return {}


def save_prices(path: Path, resolved: Mapping[ProductKey, Resolved], now: datetime) -> None:
    """Remember the current price of every product shown as itself (not replaced, not a fallback)."""
    prices = load_prices(path)
    for key, item in resolved.items():
        product = item.product
        if (
            product is not None
            and item.state != "fallback"
            and not item.replaced_by
            and product.price is not None
        ):
            prices[str(key)] = (product.price.amount, product.price.currency)
    payload = {
        "generated_at": now.isoformat(),
        "prices": {key: [str(amount), currency] for key, (amount, currency) in sorted(prices.items())},
    }
    atomic_write(path, json.dumps(payload, indent=1) + "\n", create_parents=True)


def build_report(
    config: Config,
    resolved: Mapping[ProductKey, Resolved],
    usage: Mapping[ProductKey, Iterable[str]],
    previous: Mapping[str, tuple[Decimal, str]],
    now: datetime,
) -> ProductReport:
    """Evaluate every rule for every resolved product; only products that match something are listed."""
    rules = report_rules(config)
    conditions = {rule.name: parse_condition(rule.condition) for rule in rules}
    findings = []
    for key, item in resolved.items():
        finding = _finding(key, item, sorted(set(usage.get(key, ()))), previous, now)
        for rule in rules:
            if _on_pages(rule, finding.pages) and _holds(conditions[rule.name], finding, item):
                finding.rules.append(rule.name)
        if finding.rules:
            findings.append(finding)
    findings.sort(key=lambda f: f.key)
    return ProductReport(now, len(resolved), rules, findings)


def _finding(
    key: ProductKey,
    item: Resolved,
    pages: list[str],
    previous: Mapping[str, tuple[Decimal, str]],
    now: datetime,
) -> Finding:
    product = item.product if item.state != "fallback" else None
    finding = Finding(
        key=str(key),
        title=product.title if product is not None and not item.replaced_by else None,
        state=item.state,
        pages=pages,
        unavailable=item.unavailable,
        replaced_by=item.replaced_by,
    )
    if product is None or item.replaced_by:
        return finding
    finding.availability = product.availability.type
    finding.map_hidden = product.violates_map
    if product.source != "local":  # the user's own data does not age; Amazon's does
        finding.age_hours = round((now - product.fetched_at).total_seconds() / 3600, 1)
    if product.price is not None:
        finding.price = product.price.display
        before = previous.get(str(key))
        if before is not None and before[1] == product.price.currency and before[0] > 0:
            change = float((product.price.amount - before[0]) / before[0] * 100)
            if change:
                finding.previous_price = f"{before[0]} {before[1]}"
                finding.price_change_percent = round(change, 2)
    return finding


def _on_pages(rule: ReportRule, pages: list[str]) -> bool:
    if not rule.pages:
        return True
    paths = [page.split(":", 1)[0] for page in pages]
    return any(fnmatch.fnmatch(path, pattern) for path in paths for pattern in rule.pages)


def _holds(condition: Condition, finding: Finding, item: Resolved) -> bool:
    return any(all(_term(term, finding, item) for term in terms) for terms in condition.alternatives)


def _term(term: Term, finding: Finding, item: Resolved) -> bool:
    return _measure(term, finding, item) != term.negate


def _measure(term: Term, finding: Finding, item: Resolved) -> bool:
    kind, threshold = term.kind, term.threshold or 0.0
    if kind == "unavailable":
        return finding.unavailable is not None
    if kind == "out_of_stock":
        return finding.availability == "OUT_OF_STOCK" or "out of stock" in (finding.unavailable or "")
    if kind == "price_changed":
        return finding.price_change_percent is not None and abs(finding.price_change_percent) > threshold
    if kind == "replaced":
        return finding.replaced_by is not None
    if kind == "stale":
        if item.state == "fallback":
            return not (item.failure is not None and item.failure.permanent)
        return finding.age_hours is not None and finding.age_hours > threshold
    return finding.map_hidden


__all__ = [
    "DEFAULT_RULES",
    "Finding",
    "ProductReport",
    "build_report",
    "load_prices",
    "report_rules",
    "save_prices",
    "state_path",
]
