"""The demo's numbers in every shape Affilka has been seen to send, split into pages; the benchmark report.

`affilka_core.demo` makes the one report shape the app's demo needs. The mock server, the parser's tests
and the benchmarks also need the variants (money as strings or numbers, campaign names instead of ids,
datetime dates, nulls, `total_pages` inside `rows`, no `relations`), rows summed by week or month, and a
year-long report. The numbers are the demo's (`affilka_core.demo.simulate`); only their dress changes.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import cycle, repeat
from typing import Any, Literal

import numpy as np

from affilka_core.demo import (
    DEFAULT_SEED,
    FIRST_CAMPAIGN_ID,
    Cell,
    Row,
    campaign_name,
    format_amount,
    generate_rows,
    relation_campaigns_for,
    report_document,
    simulate,
)
from affilka_core.guide import MONEY_COLUMNS, REQUIRED_COLUMNS
from affilka_core.report.gc import cyclic_gc_paused

BRAND_NAMES: tuple[str, ...] = (
    "Casino Alpha",
    "Casino Beta",
    "Casino Gamma",
    "Casino Delta",
    "Casino Epsilon",
    "Casino Zeta",
    "Casino Eta",
    "Casino Theta",
)
BENCHMARK_FROM = dt.date(2025, 1, 1)
BENCHMARK_TO = dt.date(2025, 12, 31)
BENCHMARK_BRANDS: tuple[str, ...] = ("Casino Alpha", "Casino Beta")
BENCHMARK_CAMPAIGNS = 70

DateStyle = Literal["date", "datetime_tz", "datetime"]
MoneyStyle = Literal["object", "string", "number"]
CampaignCell = Literal["campaign_id", "campaign"]
TotalPagesAt = Literal["top", "rows"]
TotalsAt = Literal["top", "rows", "none"]


def brand_names(count: int) -> tuple[str, ...]:
    """The first `count` brand names: Casino Alpha, Casino Beta, … (then Casino 9, Casino 10, …)."""
    return tuple(BRAND_NAMES[i] if i < len(BRAND_NAMES) else f"Casino {i + 1}" for i in range(count))


@dataclass(frozen=True, slots=True)
class ReportStyle:
    """Which variant of Affilka's JSON to emit; the parser must accept every one.

    - `money`: "object" (`{"amount", "amount_cents", "currency"}`), "string" ("12.34") or "number" (12.34).
    - `campaign_cell`: "campaign_id" (the id) or "campaign" (the campaign's name).
    - `dates`: "date" ("2026-04-01"), "datetime_tz" ("2026-04-01T00:00:00+00:00") or
      "datetime" ("2026-04-01 00:00:00").
    - `null_fraction`: share of column cells (never date/brand/campaign) whose value is null.
    - `total_pages_at`: "top" (top-level `total_pages`) or "rows" (`rows.total_pages`).
    - `relations`: whether `relations.campaigns` is present.
    """

    money: MoneyStyle = "object"
    campaign_cell: CampaignCell = "campaign_id"
    dates: DateStyle = "date"
    null_fraction: float = 0.0
    total_pages_at: TotalPagesAt = "top"
    relations: bool = True

    def __post_init__(self) -> None:
        allowed = {
            "money": ("object", "string", "number"),
            "campaign_cell": ("campaign_id", "campaign"),
            "dates": ("date", "datetime_tz", "datetime"),
            "total_pages_at": ("top", "rows"),
        }
        for name, options in allowed.items():
            if getattr(self, name) not in options:
                raise ValueError(f"ReportStyle.{name} must be one of {options}, not {getattr(self, name)!r}")
        if not 0.0 <= self.null_fraction <= 1.0:
            raise ValueError("ReportStyle.null_fraction must be between 0 and 1")


DEFAULT_STYLE = ReportStyle()


# --- Cells ---------------------------------------------------------------------------------------------


def format_date(day: dt.date, style: DateStyle = "date") -> str:
    """A date as Affilka writes it in the given style."""
    if style == "datetime_tz":
        return f"{day.isoformat()}T00:00:00+00:00"
    if style == "datetime":
        return f"{day.isoformat()} 00:00:00"
    return day.isoformat()


def _money_cells(
    name: str, cents: Sequence[int | None], currencies: Iterator[str], style: MoneyStyle
) -> list[Cell]:
    if style == "string":
        return [
            {"name": name, "value": None if c is None else format_amount(c), "type": "money"} for c in cents
        ]
    if style == "number":
        return [{"name": name, "value": None if c is None else c / 100, "type": "money"} for c in cents]
    return [
        {
            "name": name,
            "value": None
            if c is None
            else {"amount": format_amount(c), "amount_cents": str(c), "currency": cur},
            "type": "money",
        }
        for c, cur in zip(cents, currencies, strict=False)
    ]


def with_nulls(
    column: str, values: Sequence[int], fraction: float, seed: int = DEFAULT_SEED
) -> list[int | None]:
    """`values` with about `fraction` of them replaced by None, at positions fixed by (seed, column)."""
    if fraction <= 0:
        return list(values)
    # crc32, not hash(): the positions must be the same in every process.
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(column.encode()),)))
    nulls = (rng.random(len(values)) < fraction).tolist()
    return [None if null else v for v, null in zip(values, nulls, strict=True)]


def build_rows(
    *,
    columns: Sequence[str],
    values: Mapping[str, Sequence[int | None]],
    dates: Sequence[dt.date] | None = None,
    brands: Sequence[str] | None = None,
    campaign_ids: Sequence[int] | None = None,
    campaign_names: Mapping[int, str] | None = None,
    currencies: Sequence[str] = ("EUR",),
    currency_cell: bool = False,
    style: ReportStyle = DEFAULT_STYLE,
) -> list[Row]:
    """Affilka rows from flat per-row sequences: dimension cells (those given), a row-level `currency`
    cell if `currency_cell`, then one cell per column.

    `values[column]` holds one number per row (money in cents) or None for a null. Currencies are
    cycled row by row, so more than one gives a multi-currency report.
    """
    parts: list[list[Cell]] = []
    with cyclic_gc_paused():
        if dates is not None:
            text = {d: format_date(d, style.dates) for d in set(dates)}
            parts.append([{"name": "date", "value": text[d], "type": "date"} for d in dates])
        if brands is not None:
            parts.append([{"name": "brand", "value": b, "type": "string"} for b in brands])
        if campaign_ids is not None and style.campaign_cell == "campaign":
            names = campaign_names or {}
            parts.append(
                [
                    {
                        "name": "campaign",
                        "value": names.get(i) or campaign_name(i - FIRST_CAMPAIGN_ID),
                        "type": "string",
                    }
                    for i in campaign_ids
                ]
            )
        elif campaign_ids is not None:
            parts.append([{"name": "campaign_id", "value": i, "type": "integer"} for i in campaign_ids])
        if currency_cell:
            n_rows = max((len(v) for v in (*parts, *values.values())), default=0)
            row_currencies = [cur for cur, _ in zip(cycle(currencies), range(n_rows), strict=False)]
            parts.append([{"name": "currency", "value": cur, "type": "string"} for cur in row_currencies])
        for column in columns:
            if column in MONEY_COLUMNS:
                money = cycle(currencies) if len(currencies) > 1 else repeat(currencies[0])
                parts.append(_money_cells(column, values[column], money, style.money))
            else:
                parts.append([{"name": column, "value": v, "type": "integer"} for v in values[column]])
        return [list(row) for row in zip(*parts, strict=True)] if parts else []


def split_by_currency(values: Sequence[int | None], parts: int) -> list[int | None]:
    """Each value split into `parts` integer shares (the first currency's the largest), row after row:
    the shares of a value add up to it exactly; a null stays null in every share."""
    weights = list(range(parts, 0, -1))
    whole = sum(weights)
    out: list[int | None] = []
    for v in values:
        if v is None:
            out.extend([None] * parts)
            continue
        rest = [v * w // whole for w in weights[1:]]
        out.append(v - sum(rest))
        out.extend(rest)
    return out


def totals_rows(
    columns: Sequence[str],
    values: Mapping[str, Sequence[int | None]],
    *,
    currencies: Sequence[str] = ("EUR",),
    currency_cell: bool = False,
    style: ReportStyle = DEFAULT_STYLE,
    skew: Mapping[str, float] | None = None,
) -> list[Row]:
    """Affilka's totals rows for the rows `build_rows` makes from the same `values` and `currencies`.

    One totals row per currency present (rows take the currencies in turn), holding a cell per column
    shaped like the rows' cells: the sum of that currency's non-null values. A report without rows has
    one row of zeros. `skew` puts a metric's totals off by that fraction (at least one unit or cent),
    so they disagree with the rows.
    """
    n_rows = max((len(v) for v in values.values()), default=0)
    present = currencies[: max(1, min(n_rows, len(currencies)))]
    step = len(currencies)
    totals: list[Row] = []
    for j, currency in enumerate(present):
        row: Row = []
        if currency_cell:
            row.append({"name": "currency", "value": currency, "type": "string"})
        for column in columns:
            total = sum(v for v in values[column][j::step] if v is not None)
            fraction = (skew or {}).get(column, 0.0)
            if fraction:
                unit = 100 if column in MONEY_COLUMNS else 1
                total += round(total * fraction) or int(unit if fraction > 0 else -unit)
            if column in MONEY_COLUMNS:
                row += _money_cells(column, [total], iter([currency]), style.money)
            else:
                row.append({"name": column, "value": total, "type": "integer"})
        totals.append(row)
    return totals


# --- Reports -------------------------------------------------------------------------------------------


def styled_rows(
    date_from: dt.date,
    date_to: dt.date,
    *,
    brands: Sequence[str] = ("Casino Alpha",),
    campaigns: int = 12,
    seed: int = DEFAULT_SEED,
    columns: Sequence[str] = REQUIRED_COLUMNS,
    currency: str = "EUR",
    style: ReportStyle = DEFAULT_STYLE,
) -> tuple[list[Row], list[dict[str, Any]]]:
    """The demo's rows (`affilka_core.demo.generate_rows`) with only `columns`, in that order, in `style`.

    Only the required columns can be generated.
    """
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS]
    if unknown:
        raise ValueError(f"cannot generate columns {unknown}; known: {', '.join(REQUIRED_COLUMNS)}")
    data = simulate(date_from, date_to, brands=brands, campaigns=campaigns, seed=seed)
    relations = relation_campaigns_for(campaigns, seed)
    n_days, n_brands, n_campaigns = data.shape
    rows = build_rows(
        columns=columns,
        values={
            c: with_nulls(c, data.values[c].ravel().tolist(), style.null_fraction, seed) for c in columns
        },
        dates=[d for d in data.days for _ in range(n_brands * n_campaigns)],
        brands=[b for b in data.brands for _ in range(n_campaigns)] * n_days,
        campaign_ids=list(data.campaign_ids) * (n_days * n_brands),
        campaign_names={int(r["id"]): str(r["name"]) for r in relations},
        currencies=(currency,),
        style=style,
    )
    return rows, relations


def styled_document(
    rows: Sequence[Row],
    relation_campaigns: Sequence[Mapping[str, Any]],
    *,
    page: int = 1,
    total_pages: int = 1,
    style: ReportStyle = DEFAULT_STYLE,
    totals: Sequence[Row] | None = None,
    totals_at: TotalsAt = "top",
) -> dict[str, Any]:
    """The top-level report object (`affilka_core.demo.report_document`) with `total_pages` and
    `relations.campaigns` placed per `style`; relations match campaign ids or names, as the rows hold.
    `totals` (rows of cells), if given, go in `totals.data` ("top") or `rows.totals.data` ("rows")."""
    doc: dict[str, Any] = {"report_type": "partner"}
    if style.total_pages_at == "top":
        doc["total_pages"] = total_pages
    doc["page"] = page
    doc["rows"] = {"data": list(rows)}
    if style.total_pages_at == "rows":
        doc["rows"]["total_pages"] = total_pages
    if totals is not None and totals_at == "rows":
        doc["rows"]["totals"] = {"data": list(totals)}
    elif totals is not None and totals_at == "top":
        doc["totals"] = {"data": list(totals)}
    if style.relations:
        key = "name" if style.campaign_cell == "campaign" else "id"
        present = {cell["value"] for row in rows for cell in row if cell["name"] == style.campaign_cell}
        doc["relations"] = {"campaigns": [dict(c) for c in relation_campaigns if c[key] in present]}
    return doc


def paginate(rows: Sequence[Row], page_size: int) -> list[list[Row]]:
    """Split rows into pages of `page_size`; always at least one page (an empty report has one, empty)."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    pages = [list(rows[i : i + page_size]) for i in range(0, len(rows), page_size)]
    return pages or [[]]


def benchmark_report() -> bytes:
    """The speed benchmarks' report: 2025-01-01..2025-12-31 × Casino Alpha, Casino Beta × 70 campaigns
    (51,100 rows), one page, money as objects, serialised by `json.dumps` with its default separators
    (about 59 MB)."""
    rows, relations = generate_rows(
        BENCHMARK_FROM, BENCHMARK_TO, brands=BENCHMARK_BRANDS, campaigns=BENCHMARK_CAMPAIGNS
    )
    return json.dumps(report_document(rows, relations)).encode("utf-8")
