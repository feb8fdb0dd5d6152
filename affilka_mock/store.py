"""The mock's data and how it answers a report query: Affilka's parameters read, rows filtered by date and
brand, summed by period, brand or campaign as `group_by[]` asks, then split into pages."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from affilka_core.demo import Row, relation_campaigns_for, simulate
from affilka_core.guide import REQUIRED_COLUMNS

from .reports import brand_names, build_rows, paginate, with_nulls
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
        self.data = simulate(
            self.date_from, self.date_to, brands=self.brands, campaigns=settings.campaigns, seed=settings.seed
        )
        self.relations = relation_campaigns_for(settings.campaigns, settings.seed)
        self.names = {int(c["id"]): str(c["name"]) for c in self.relations}
        self.columns = tuple(c for c in REQUIRED_COLUMNS if c not in settings.drop_columns)
        gap = settings.gap_days
        self.day_open = np.array([not (gap and (i + 1) % gap == 0) for i in range(settings.days)], dtype=bool)
        self._cache: OrderedDict[Query, list[list[Row]]] = OrderedDict()
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

    def pages(self, query: Query) -> list[list[Row]]:
        """The answer to `query`, split into pages of `page_size` rows (at least one page)."""
        with self._lock:
            if query in self._cache:
                self._cache.move_to_end(query)
                return self._cache[query]
        pages = paginate([] if self.settings.empty else self._build(query), self.settings.page_size)
        with self._lock:
            self._cache[query] = pages
            while len(self._cache) > 32:
                self._cache.popitem(last=False)
        return pages

    def _build(self, q: Query) -> list[Row]:
        start = max((q.date_from - self.date_from).days, 0)
        stop = min((q.date_to - self.date_from).days + 1, len(self.data.days))
        day_idx = np.array([i for i in range(start, stop) if self.day_open[i]], dtype=np.int64)
        wanted = {b.casefold() for b in q.brands} if q.brands else None
        brand_idx = np.array(
            [i for i, b in enumerate(self.brands) if wanted is None or b.casefold() in wanted], dtype=np.int64
        )
        if not len(day_idx) or not len(brand_idx):
            return []
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
        return build_rows(
            columns=q.columns,
            values=values,
            dates=[p for p in periods for _ in range(n_brands * n_campaigns)] if periods else None,
            brands=(
                [self.brands[i] for i in np.tile(np.repeat(brand_idx, n_campaigns), n_periods)]
                if q.by_brand
                else None
            ),
            campaign_ids=campaign_ids.tolist() * (n // len(campaign_ids)) if q.by_campaign else None,
            campaign_names=self.names,
            currencies=self.settings.currencies,
            style=self.settings.style,
        )
