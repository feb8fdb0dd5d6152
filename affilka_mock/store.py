"""The mock's data and how it answers a report query: Affilka's parameters read, rows filtered by date and
brand, summed by period, brand or campaign as `group_by[]` asks, with the whole report's totals, then
served a page at a time."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from affilka_core.demo import Row, relation_campaigns_for, simulate
from affilka_core.guide import REQUIRED_COLUMNS

from .reports import brand_names, build_rows, split_by_currency, totals_rows, with_nulls
from .settings import MockSettings

PERIODS = ("day", "week", "month", "year")
_LIST_KEY = re.compile(r"^(columns|group_by|brands?)(\[\d*\])?$")


class ReportError(Exception):
    """A request the report endpoint answers with 422 and a JSON error."""


@dataclass(frozen=True, slots=True)
class Query:
    """A report request as the store reads it."""

    date_from: dt.date
    date_to: dt.date
    columns: tuple[str, ...]
    period: str | None
    by_brand: bool
    by_campaign: bool
    brands: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Answer:
    """A query's whole report: every row (all pages) and Affilka's totals rows for them."""

    rows: list[Row]
    totals: list[Row]

    def page(self, number: int, size: int) -> list[Row]:
        """Page `number` (from 1) of pages of `size` rows; a page past the end is empty."""
        return self.rows[(number - 1) * size : number * size] if number >= 1 else []

    def total_pages(self, size: int) -> int:
        """How many pages of `size` rows the report takes (an empty report has one, empty)."""
        return max(1, -(-len(self.rows) // size))


def _period_start(day: dt.date, period: str) -> dt.date:
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "year":
        return day.replace(month=1, day=1)
    return day


class Store:
    """The server's data and the pages each distinct request asks for (cached: paging re-asks)."""

    def __init__(self, settings: MockSettings) -> None:
        self.settings = settings
        self.date_to = settings.end_date or dt.date.today() - dt.timedelta(days=1)
        self.date_from = self.date_to - dt.timedelta(days=settings.days - 1)
        self.brands = brand_names(settings.brands)
        # One day more than served, for `extra_day`: the simulation is day by day, so the days before
        # are the same as without it.
        self.data = simulate(
            self.date_from,
            self.date_to + dt.timedelta(days=1),
            brands=self.brands,
            campaigns=settings.campaigns,
            seed=settings.seed,
        )
        self.relations = relation_campaigns_for(settings.campaigns, settings.seed)
        self.names = {int(c["id"]): str(c["name"]) for c in self.relations}
        self.columns = tuple(c for c in REQUIRED_COLUMNS if c not in settings.drop_columns)
        gap = settings.gap_days
        self.day_open = np.array(
            [not (gap and (i + 1) % gap == 0) for i in range(settings.days + 1)], dtype=bool
        )
        self._cache: OrderedDict[Query, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def parse(self, params: Sequence[tuple[str, str]]) -> Query:
        """Read a report query the way Affilka does; raise `ReportError` for what it rejects."""
        single: dict[str, str] = {}
        lists: dict[str, list[str]] = {"columns": [], "group_by": [], "brands": []}
        for key, value in params:
            match = _LIST_KEY.match(key)
            if match:
                name = "brands" if match.group(1).startswith("brand") else match.group(1)
                if value:
                    lists[name].append(value)
            else:
                single.setdefault(key, value)
        date_from = self._date(single, "from", self.date_from)
        date_to = self._date(single, "to", self.date_to)
        if date_from > date_to:
            raise ReportError(f"'from' ({date_from}) is after 'to' ({date_to})")
        if lists["columns"]:
            columns = tuple(c for c in dict.fromkeys(lists["columns"]) if c in self.columns)
        else:
            columns = self.columns
        group_by = lists["group_by"]
        period = next((g for g in group_by if g in PERIODS), None)
        brands = tuple(dict.fromkeys(lists["brands"])) or None
        return Query(date_from, date_to, columns, period, "brand" in group_by, "campaign" in group_by, brands)

    @staticmethod
    def _date(single: Mapping[str, str], key: str, default: dt.date) -> dt.date:
        if key not in single:
            return default
        try:
            return dt.date.fromisoformat(single[key])
        except ValueError:
            raise ReportError(f"'{key}' must be a date as YYYY-MM-DD, got {single[key]!r}") from None

    def answer(self, query: Query) -> Answer:
        """The whole report `query` asks for, with its totals (cached: every page re-asks)."""
        with self._lock:
            if query in self._cache:
                self._cache.move_to_end(query)
                return self._cache[query]
        answer = self._build(query)
        with self._lock:
            self._cache[query] = answer
            while len(self._cache) > 32:
                self._cache.popitem(last=False)
        return answer

    def _build(self, q: Query) -> Answer:
        s = self.settings
        start = max((q.date_from - self.date_from).days, 0)
        # `extra_day`: the day after `to` comes back too (Affilka's "to is exclusive, yet…").
        last = s.days + 1 if s.extra_day else s.days
        stop = min((q.date_to - self.date_from).days + 1 + int(s.extra_day), last)
        day_idx = np.array([i for i in range(start, stop) if self.day_open[i]], dtype=np.int64)
        wanted = {b.casefold() for b in q.brands} if q.brands else None
        brand_idx = np.array(
            [i for i, b in enumerate(self.brands) if wanted is None or b.casefold() in wanted], dtype=np.int64
        )
        if s.empty or not len(day_idx) or not len(brand_idx):
            return self._answer(q.columns, {c: [] for c in q.columns})
        days = [self.data.days[i] for i in day_idx]
        if q.period:
            keys = [_period_start(d, q.period) for d in days]
            starts = [i for i, k in enumerate(keys) if i == 0 or k != keys[i - 1]]
            periods: list[dt.date] | None = [keys[i] for i in starts]
        else:
            starts, periods = [0], None
        campaign_ids = np.array(self.data.campaign_ids)

        def shape(values: np.ndarray) -> np.ndarray:
            grid = values[day_idx][:, brand_idx, :]
            grid = np.add.reduceat(grid, starts, axis=0)
            if not q.by_brand:
                grid = grid.sum(axis=1, keepdims=True)
            if not q.by_campaign:
                grid = grid.sum(axis=2, keepdims=True)
            return grid

        grids = {c: shape(self.data.values[c]) for c in q.columns}
        n_periods, n_brands, n_campaigns = (
            len(starts),
            len(brand_idx) if q.by_brand else 1,
            len(campaign_ids) if q.by_campaign else 1,
        )
        n = n_periods * n_brands * n_campaigns
        values = {c: grids[c].ravel().tolist() for c in q.columns}
        if self.settings.style.null_fraction > 0:
            # Aggregated rows have no (day, brand, campaign) of their own: nulls fall by row position.
            fraction, seed = self.settings.style.null_fraction, self.settings.seed
            values = {c: with_nulls(c, v, fraction, seed) for c, v in values.items()}
        dates = [p for p in periods for _ in range(n_brands * n_campaigns)] if periods else None
        brands = (
            [self.brands[i] for i in np.tile(np.repeat(brand_idx, n_campaigns), n_periods)]
            if q.by_brand
            else None
        )
        ids = campaign_ids.tolist() * (n // len(campaign_ids)) if q.by_campaign else None
        k = self._currency_rows
        if k > 1:
            # One row per currency: each row's dimensions repeated, its figures split between them.
            values = {c: split_by_currency(v, k) for c, v in values.items()}
            dates, brands, ids = (
                None if d is None else [x for x in d for _ in range(k)] for d in (dates, brands, ids)
            )
        return self._answer(q.columns, values, dates=dates, brands=brands, campaign_ids=ids)

    @property
    def _currency_rows(self) -> int:
        return len(self.settings.currencies) if self.settings.currency_rows else 1

    def _answer(
        self, columns: Sequence[str], values: Mapping[str, list[int | None]], **dimensions: Any
    ) -> Answer:
        s = self.settings
        currency_cell = self._currency_rows > 1
        rows = build_rows(
            columns=columns,
            values=values,
            campaign_names=self.names,
            currencies=s.currencies,
            currency_cell=currency_cell,
            style=s.style,
            **dimensions,
        )
        totals = totals_rows(
            columns,
            values,
            currencies=s.currencies,
            currency_cell=currency_cell,
            style=s.style,
            skew=dict.fromkeys(s.wrong_totals, s.wrong_totals_by),
        )
        return Answer(rows, totals)
