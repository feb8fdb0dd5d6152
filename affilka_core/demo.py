"""Deterministic, realistic Affilka partner-report data, for the demo mode, the mock server and benchmarks.

Every number is a pure function of (seed, date, brand, campaign, column): a counter-based hash
(splitmix64) turns that tuple into uniforms, so any sub-range of dates reproduces exactly the numbers of
the full range, and the mock server can filter by `from`/`to` without regenerating anything. Generation is
vectorised with numpy over (day, brand, campaign); only building the cell dicts is plain Python.

The story the numbers tell: a few big campaigns and a long tail (some with days without a single visit),
busier Fridays to Sundays, and a plausible funnel on every row: visits → registrations → first deposits →
(pre)qualified players, returning depositors, NGR as a share of deposits (occasionally negative), and
partner income as revenue share of NGR plus a CPA per qualified player.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import cycle, repeat
from typing import Any, Literal

import numpy as np

from ._gc import cyclic_gc_paused
from .guide import MONEY_COLUMNS, REQUIRED_COLUMNS

Cell = dict[str, Any]
Row = list[Cell]

DEFAULT_SEED = 20260401
FIRST_CAMPAIGN_ID = 501
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

# Names an affiliate would give campaigns; beyond these, channel × theme combinations take over.
_CAMPAIGN_NAMES: tuple[str, ...] = (
    "Spring banners",
    "Telegram VIP",
    "SEO – slot reviews",
    "Email reactivation",
    "YouTube – big wins",
    "Twitch streamer deal",
    "Google Ads – brand",
    "Push – weekend reload",
    "Facebook – lookalikes",
    "Native – crash games",
    "SEO – bonus codes",
    "Newsletter – free spins",
    "Live casino landing",
    "Instagram stories",
    "Comparison table",
    "Summer tournament",
    "Pop-under – mobile",
    "Discord community",
    "SEO – live dealer guides",
    "Black Friday promo",
    "Welcome bonus page",
    "Podcast sponsorship",
    "Reddit threads",
    "TikTok creators",
    "SMS reactivation",
    "Jackpot tracker",
    "Sportsbook crossover",
    "High-roller VIP",
    "Blog – RTP guides",
    "Review site – top 10",
    "Christmas calendar",
    "WhatsApp channel",
    "Bing Ads – generic",
    "Mobile app store",
    "No-deposit bonus list",
    "Crypto casino guide",
)
_CHANNELS: tuple[str, ...] = (
    "SEO",
    "PPC",
    "Email",
    "Telegram",
    "Push",
    "Display",
    "YouTube",
    "Streamer",
    "Native",
    "Influencer",
    "Forum",
    "Affiliate network",
)
_THEMES: tuple[str, ...] = (
    "welcome bonus",
    "free spins",
    "live casino",
    "jackpots",
    "crash games",
    "high rollers",
    "new slots",
    "cashback",
    "weekend reload",
    "tournaments",
    "mobile",
    "payments guide",
)
# Relative traffic Monday..Sunday: weekends bring the players.
_WEEKDAY_FACTOR = np.array([0.86, 0.84, 0.88, 0.95, 1.12, 1.22, 1.18])
_CPA_EUR = np.array([50, 60, 75, 80, 100, 120, 150])
_REVSHARE = np.array([0.25, 0.30, 0.35, 0.40, 0.45])

DateStyle = Literal["date", "datetime_tz", "datetime"]
MoneyStyle = Literal["object", "string", "number"]
CampaignCell = Literal["campaign_id", "campaign"]
TotalPagesAt = Literal["top", "rows"]


@dataclass(frozen=True, slots=True)
class ReportStyle:
    """Which variant of Affilka's JSON to emit; the parser must accept every one (see affilka-notes.md).

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


# --- Counter-based randomness -------------------------------------------------------------------------


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a bijective, well-spread scramble of uint64 (wraps silently on arrays)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _key(text: str) -> int:
    # Python's hash() is salted per process; the data must be the same in every process.
    return zlib.crc32(text.encode("utf-8"))


def _absorb(h: np.ndarray, value: np.ndarray | int) -> np.ndarray:
    if isinstance(value, int):
        value %= 1 << 64  # any Python int seed (negative, huge) maps onto uint64
    return _mix(h ^ np.asarray(value, dtype=np.uint64))


def _uniform(h: np.ndarray, stream: str) -> np.ndarray:
    """A uniform in [0, 1) per element, independent per named stream."""
    bits = _absorb(h, _key(stream)) >> np.uint64(11)
    return bits.astype(np.float64) * (1.0 / (1 << 53))


def _normal(h: np.ndarray, stream: str) -> np.ndarray:
    """A standard normal per element (Box–Muller on two streams)."""
    u1 = 1.0 - _uniform(h, stream + ":1")  # (0, 1]: log stays finite
    u2 = _uniform(h, stream + ":2")
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def _poisson(mean: np.ndarray, h: np.ndarray, stream: str) -> np.ndarray:
    """Poisson counts: exact inverse CDF for small means (so zeros happen), normal beyond."""
    mean = np.maximum(mean, 0.0)
    out = np.rint(mean + np.sqrt(mean) * _normal(h, stream)).clip(0, None).astype(np.int64)
    small = mean < 30.0
    if small.any():
        m, u = mean[small], _uniform(h, stream + ":u")[small]
        k = np.zeros(m.shape, dtype=np.int64)
        pmf = np.exp(-m)
        cdf = pmf.copy()
        for i in range(1, 80):
            k += u > cdf
            pmf = pmf * m / i
            cdf += pmf
        out[small] = k
    return out


def _binomial(n: np.ndarray, p: np.ndarray, h: np.ndarray, stream: str) -> np.ndarray:
    """Binomial counts, never more than n: exact inverse CDF for small n, normal beyond."""
    p = np.clip(p, 1e-6, 1 - 1e-6)
    mean = n * p
    out = np.rint(mean + np.sqrt(mean * (1 - p)) * _normal(h, stream)).astype(np.int64)
    small = n <= 40
    if small.any():
        ns, ps, u = n[small], p[small], _uniform(h, stream + ":u")[small]
        k = np.zeros(ns.shape, dtype=np.int64)
        pmf = (1 - ps) ** ns
        cdf = pmf.copy()
        odds = ps / (1 - ps)
        for i in range(40):
            k += u > cdf
            pmf = pmf * np.maximum(ns - i, 0) / (i + 1) * odds
            cdf += pmf
        out[small] = k
    return np.clip(out, 0, n)


# --- Campaigns -----------------------------------------------------------------------------------------


def _grid_names() -> tuple[str, ...]:
    # Stride through channel × theme so neighbouring campaigns differ in both; skip curated clashes.
    size = len(_CHANNELS) * len(_THEMES)
    cells = ((i * 7) % size for i in range(size))
    names = (f"{_CHANNELS[c % len(_CHANNELS)]} – {_THEMES[c // len(_CHANNELS)]}" for c in cells)
    return tuple(n for n in names if n not in _CAMPAIGN_NAMES)


_ALL_NAMES: tuple[str, ...] = _CAMPAIGN_NAMES + _grid_names()


def campaign_name(index: int) -> str:
    """The name of the `index`-th campaign (0-based; id 501 + index): stable, unique, realistic."""
    if 0 <= index < len(_ALL_NAMES):
        return _ALL_NAMES[index]
    return f"Campaign {FIRST_CAMPAIGN_ID + index}"


@dataclass(frozen=True, slots=True)
class _Campaigns:
    """Per-campaign traits, each a pure function of (seed, campaign id)."""

    ids: np.ndarray
    strategy: list[str]
    visits: np.ndarray  # mean daily visits before brand, weekday and season
    reg_rate: np.ndarray
    ftd_rate: np.ndarray
    prequal_rate: np.ndarray
    qual_rate: np.ndarray
    returning: np.ndarray  # returning depositors per expected first deposit
    first_deposit_eur: np.ndarray
    repeat_factor: np.ndarray
    revshare: np.ndarray
    cpa_eur: np.ndarray
    off_rate: np.ndarray  # chance of a day without traffic
    trend_period: np.ndarray
    trend_phase: np.ndarray
    trend_depth: np.ndarray


def _campaign_traits(count: int, seed: int) -> _Campaigns:
    ids = np.arange(FIRST_CAMPAIGN_ID, FIRST_CAMPAIGN_ID + count, dtype=np.int64)
    h = _absorb(_absorb(_absorb(np.zeros(count, dtype=np.uint64), seed), _key("campaign")), ids)
    rank = np.arange(1, count + 1, dtype=np.float64)
    # Zipf by age: the oldest campaigns are the big ones; hash jitter reshuffles neighbours.
    visits = 2600.0 * rank**-1.15 * np.exp(0.55 * _normal(h, "size"))
    dormant = _uniform(h, "dormant") < 0.12
    visits = np.where(dormant & (rank > 3), visits * 0.03, visits)
    kind = _uniform(h, "strategy")
    strategy = np.where(kind < 0.5, "revshare", np.where(kind < 0.72, "cpa", "hybrid"))
    revshare = _REVSHARE[(_uniform(h, "revshare") * len(_REVSHARE)).astype(int)]
    revshare = np.where(
        strategy == "cpa", 0.0, np.where(strategy == "hybrid", np.minimum(revshare, 0.3), revshare)
    )
    cpa = _CPA_EUR[(_uniform(h, "cpa") * len(_CPA_EUR)).astype(int)].astype(np.float64)
    cpa = np.where(strategy == "revshare", 0.0, cpa)
    return _Campaigns(
        ids=ids,
        strategy=[str(s) for s in strategy],
        visits=visits,
        reg_rate=0.05 + 0.08 * _uniform(h, "reg"),
        ftd_rate=0.24 + 0.16 * _uniform(h, "ftd"),
        prequal_rate=0.55 + 0.3 * _uniform(h, "prequal"),
        qual_rate=0.6 + 0.3 * _uniform(h, "qual"),
        returning=1.0 + 2.5 * _uniform(h, "returning"),
        first_deposit_eur=28.0 + 50.0 * _uniform(h, "fd_eur"),
        repeat_factor=1.2 + 1.2 * _uniform(h, "repeat"),
        revshare=revshare,
        cpa_eur=cpa,
        off_rate=np.clip(0.5 - 0.1 * np.log(np.maximum(visits, 1.0)), 0.0, 0.45),
        trend_period=60.0 + 180.0 * _uniform(h, "trend_period"),
        trend_phase=2 * np.pi * _uniform(h, "trend_phase"),
        trend_depth=0.3 * _uniform(h, "trend_depth"),
    )


def relation_campaigns_for(campaigns: int, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """`relations.campaigns` entries for campaigns 501 … 500 + `campaigns`: `{id, name, strategy}`."""
    traits = _campaign_traits(campaigns, seed)
    return [
        {"id": int(cid), "name": campaign_name(i), "strategy": traits.strategy[i]}
        for i, cid in enumerate(traits.ids)
    ]


# --- Simulation ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportData:
    """Simulated report values on a (day, brand, campaign) grid; money in integer cents."""

    days: tuple[dt.date, ...]
    brands: tuple[str, ...]
    campaign_ids: tuple[int, ...]
    values: dict[str, np.ndarray] = field(repr=False)  # column → int64 array of shape (D, B, C)
    seed: int = DEFAULT_SEED

    @property
    def shape(self) -> tuple[int, int, int]:
        """(days, brands, campaigns)."""
        return len(self.days), len(self.brands), len(self.campaign_ids)


def _brand_hash(seed: int, brands: Sequence[str]) -> np.ndarray:
    seed_h = _absorb(np.zeros(1, dtype=np.uint64), seed)
    return _absorb(seed_h, np.array([_key("brand:" + b) for b in brands], dtype=np.uint64))


def _grid_hash(seed: int, ordinals: np.ndarray, brands: Sequence[str], ids: np.ndarray) -> np.ndarray:
    """One uint64 per (day, brand, campaign): the root of every per-row random stream."""
    brand_h = _brand_hash(seed, brands)
    return _absorb(_absorb(brand_h[None, :, None], ordinals[:, None, None]), ids[None, None, :])


def simulate(
    date_from: dt.date,
    date_to: dt.date,
    *,
    brands: Sequence[str] = ("Casino Alpha",),
    campaigns: int = 12,
    seed: int = DEFAULT_SEED,
) -> ReportData:
    """Every required column for every (day, brand, campaign), as numpy arrays (money in cents)."""
    if date_to < date_from:
        raise ValueError(f"date_to ({date_to}) is before date_from ({date_from})")
    if campaigns < 0:
        raise ValueError("campaigns must be zero or more")
    n_days = (date_to - date_from).days + 1
    days = tuple(date_from + dt.timedelta(days=i) for i in range(n_days))
    ordinals = np.arange(date_from.toordinal(), date_from.toordinal() + n_days, dtype=np.int64)
    c = _campaign_traits(campaigns, seed)

    brand_h = _brand_hash(seed, brands)
    h = _grid_hash(seed, ordinals, brands, c.ids)
    bc = _absorb(brand_h[:, None], c.ids[None, :])  # per (brand, campaign), constant over days

    brand_factor = np.exp(0.45 * _normal(brand_h, "brand_size"))
    pair_factor = np.exp(0.35 * _normal(bc, "pair_size"))
    weekday = _WEEKDAY_FACTOR[(ordinals - 1) % 7]  # date.fromordinal(1) is a Monday
    season = 1.0 + 0.12 * np.cos(2 * np.pi * (ordinals - dt.date(2000, 1, 15).toordinal()) / 365.25)
    trend = 1.0 + c.trend_depth * np.sin(2 * np.pi * ordinals[:, None] / c.trend_period + c.trend_phase)
    expected = (
        c.visits[None, None, :]
        * brand_factor[None, :, None]
        * pair_factor[None, :, :]
        * (weekday * season)[:, None, None]
        * trend[:, None, :]
    )
    daily = expected * np.exp(0.2 * _normal(h, "visits_noise"))
    on = _uniform(h, "off") >= c.off_rate[None, None, :]
    visits = np.where(on, _poisson(daily, h, "visits"), 0)

    def jitter(rate: np.ndarray, stream: str, lo: float, hi: float) -> np.ndarray:
        return np.clip(rate[None, None, :] * np.exp(0.15 * _normal(h, stream)), lo, hi)

    registrations = _binomial(visits, jitter(c.reg_rate, "reg_noise", 0.04, 0.15), h, "reg")
    ftd = _binomial(registrations, jitter(c.ftd_rate, "ftd_noise", 0.2, 0.45), h, "ftd")
    prequalified = _binomial(ftd, np.broadcast_to(c.prequal_rate, ftd.shape), h, "prequal")
    qualified = _binomial(prequalified, np.broadcast_to(c.qual_rate, ftd.shape), h, "qual")
    # Players won on earlier days keep depositing, traffic or not: expected, not actual, FTDs drive them.
    base_ftd = expected * (c.reg_rate * c.ftd_rate * c.returning)[None, None, :]
    returning = _poisson(base_ftd, h, "returning")
    depositing = ftd + returning

    fd_eur = np.clip(c.first_deposit_eur[None, None, :] * np.exp(0.2 * _normal(h, "fd_eur")), 20.0, 120.0)
    first_deposits_sum = np.rint(ftd * fd_eur * 100).astype(np.int64)
    repeat_eur = np.clip(
        (c.first_deposit_eur * c.repeat_factor)[None, None, :] * np.exp(0.35 * _normal(h, "repeat_eur")),
        10.0,
        2000.0,
    )
    deposits_sum = first_deposits_sum + np.rint(returning * repeat_eur * 100).astype(np.int64)
    # Mostly a 25–60 % hold; now and then a player's big win turns the day negative.
    margin = np.where(
        _uniform(h, "loss_day") < 0.06,
        -0.05 - 0.75 * _uniform(h, "loss"),
        0.25 + 0.35 * _uniform(h, "margin"),
    )
    ngr = np.rint(deposits_sum * margin).astype(np.int64)
    fixed_per_player = qualified * np.rint(c.cpa_eur * 100).astype(np.int64)[None, None, :]
    partner_income = np.rint(ngr * c.revshare[None, None, :]).astype(np.int64) + fixed_per_player

    values = {
        "visits_count": visits,
        "registrations_count": registrations,
        "depositing_players_count": depositing,
        "first_deposits_count": ftd,
        "first_deposits_sum": first_deposits_sum,
        "deposits_sum": deposits_sum,
        "ngr": ngr,
        "partner_income": partner_income,
        "fixed_per_player": fixed_per_player,
        "prequalified_players_count": prequalified,
        "qualified_players_count": qualified,
    }
    values = {k: np.ascontiguousarray(v, dtype=np.int64) for k, v in values.items()}
    return ReportData(days, tuple(brands), tuple(int(i) for i in c.ids), values, seed)


# --- Cells ---------------------------------------------------------------------------------------------


def _amount(cents: int) -> str:
    # Floor division would turn -1234 into "-13.66"; format the magnitude and prefix the sign.
    if cents < 0:
        return f"-{-cents // 100}.{-cents % 100:02d}"
    return f"{cents // 100}.{cents % 100:02d}"


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
        return [{"name": name, "value": None if c is None else _amount(c), "type": "money"} for c in cents]
    if style == "number":
        return [{"name": name, "value": None if c is None else c / 100, "type": "money"} for c in cents]
    return [
        {
            "name": name,
            "value": None if c is None else {"amount": _amount(c), "amount_cents": str(c), "currency": cur},
            "type": "money",
        }
        for c, cur in zip(cents, currencies, strict=False)
    ]


def build_rows(
    *,
    columns: Sequence[str],
    values: Mapping[str, Sequence[int | None]],
    dates: Sequence[dt.date] | None = None,
    brands: Sequence[str] | None = None,
    campaign_ids: Sequence[int] | None = None,
    campaign_names: Mapping[int, str] | None = None,
    currencies: Sequence[str] = ("EUR",),
    style: ReportStyle | None = None,
) -> list[Row]:
    """Affilka rows from flat per-row sequences: dimension cells (those given) then one cell per column.

    `values[column]` holds one number per row (money in cents) or None for a null. Currencies are
    cycled row by row, so more than one gives a multi-currency report.
    """
    style = style or DEFAULT_STYLE
    with cyclic_gc_paused():
        return _build_rows(columns, values, dates, brands, campaign_ids, campaign_names, currencies, style)


def _build_rows(
    columns: Sequence[str],
    values: Mapping[str, Sequence[int | None]],
    dates: Sequence[dt.date] | None,
    brands: Sequence[str] | None,
    campaign_ids: Sequence[int] | None,
    campaign_names: Mapping[int, str] | None,
    currencies: Sequence[str],
    style: ReportStyle,
) -> list[Row]:
    parts: list[list[Cell]] = []
    if dates is not None:
        text = {d: format_date(d, style.dates) for d in set(dates)}
        parts.append([{"name": "date", "value": text[d], "type": "date"} for d in dates])
    if brands is not None:
        parts.append([{"name": "brand", "value": b, "type": "string"} for b in brands])
    if campaign_ids is not None:
        if style.campaign_cell == "campaign":
            names = campaign_names or {}
            parts.append(
                [
                    {
                        "name": "campaign",
                        "value": names.get(i, campaign_name(i - FIRST_CAMPAIGN_ID)),
                        "type": "string",
                    }
                    for i in campaign_ids
                ]
            )
        else:
            parts.append([{"name": "campaign_id", "value": i, "type": "integer"} for i in campaign_ids])
    for column in columns:
        column_values = values[column]
        if column in MONEY_COLUMNS:
            money = cycle(currencies) if len(currencies) > 1 else repeat(currencies[0])
            parts.append(_money_cells(column, column_values, money, style.money))
        else:
            parts.append([{"name": column, "value": v, "type": "integer"} for v in column_values])
    if not parts:
        return []
    return [list(row) for row in zip(*parts, strict=True)]


def _with_nulls(data: ReportData, column: str, fraction: float) -> list[int | None]:
    flat = data.values[column].ravel().tolist()
    if fraction <= 0:
        return flat
    ordinals = np.array([day.toordinal() for day in data.days], dtype=np.int64)
    h = _grid_hash(data.seed, ordinals, data.brands, np.array(data.campaign_ids, dtype=np.int64))
    nulls = (_uniform(h, "null:" + column) < fraction).ravel().tolist()
    return [None if null else v for v, null in zip(flat, nulls, strict=True)]


def generate_rows(
    date_from: dt.date,
    date_to: dt.date,
    *,
    brands: Sequence[str] = ("Casino Alpha",),
    campaigns: int = 12,
    seed: int = DEFAULT_SEED,
    columns: Sequence[str] = REQUIRED_COLUMNS,
    currency: str = "EUR",
    style: ReportStyle | None = None,
) -> tuple[list[Row], list[dict[str, Any]]]:
    """Rows of an Affilka report grouped by day, brand and campaign, and the `relations.campaigns` list.

    One row per (day, brand, campaign): days ascending, then brands in the given order, then campaigns
    501, 502, …. Each row holds `date`, `brand`, `campaign_id` (or `campaign`, per `style`) and one cell
    per requested column, in the requested order. Only the required columns can be generated.
    """
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS]
    if unknown:
        raise ValueError(f"cannot generate columns {unknown}; known: {', '.join(REQUIRED_COLUMNS)}")
    style = style or DEFAULT_STYLE
    data = simulate(date_from, date_to, brands=brands, campaigns=campaigns, seed=seed)
    relations = relation_campaigns_for(campaigns, seed)
    rows = rows_from_data(data, columns, currencies=(currency,), style=style, relations=relations)
    return rows, relations


def rows_from_data(
    data: ReportData,
    columns: Sequence[str] = REQUIRED_COLUMNS,
    *,
    currencies: Sequence[str] = ("EUR",),
    style: ReportStyle | None = None,
    relations: Sequence[Mapping[str, Any]] | None = None,
) -> list[Row]:
    """Rows (grouped by day, brand and campaign) for every grid point of simulated data."""
    style = style or DEFAULT_STYLE
    d, b, c = data.shape
    n = d * b * c
    day_index = np.repeat(np.arange(d), b * c).tolist()
    brand_index = np.tile(np.repeat(np.arange(b), c), d).tolist()
    names = {int(r["id"]): str(r["name"]) for r in relations or ()}
    return build_rows(
        columns=columns,
        values={col: _with_nulls(data, col, style.null_fraction) for col in columns},
        dates=[data.days[i] for i in day_index],
        brands=[data.brands[i] for i in brand_index],
        campaign_ids=list(data.campaign_ids) * (n // c) if c else [],
        campaign_names=names,
        currencies=currencies,
        style=style,
    )


# --- Documents -----------------------------------------------------------------------------------------


def _campaigns_present(rows: Sequence[Row]) -> tuple[set[Any], str | None]:
    if not rows:
        return set(), None
    for i, cell in enumerate(rows[0]):
        if cell["name"] in ("campaign_id", "campaign"):
            return {row[i]["value"] for row in rows}, cell["name"]
    return set(), None


def report_document(
    rows: Sequence[Row],
    relation_campaigns: Sequence[Mapping[str, Any]],
    *,
    page: int = 1,
    total_pages: int = 1,
    style: ReportStyle | None = None,
) -> dict[str, Any]:
    """The top-level report object: `report_type`, `total_pages`, `page`, `rows.data` and
    `relations.campaigns` limited to the campaigns present in `rows` (placement per `style`)."""
    style = style or DEFAULT_STYLE
    doc: dict[str, Any] = {"report_type": "partner"}
    if style.total_pages_at == "top":
        doc["total_pages"] = total_pages
    doc["page"] = page
    doc["rows"] = {"data": list(rows)}
    if style.total_pages_at == "rows":
        doc["rows"]["total_pages"] = total_pages
    if style.relations:
        present, kind = _campaigns_present(rows)
        key = "name" if kind == "campaign" else "id"
        doc["relations"] = {"campaigns": [dict(c) for c in relation_campaigns if c[key] in present]}
    return doc


def paginate(rows: Sequence[Row], page_size: int) -> list[list[Row]]:
    """Split rows into pages of `page_size`; always at least one page (an empty report has one, empty)."""
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    pages = [list(rows[i : i + page_size]) for i in range(0, len(rows), page_size)]
    return pages or [[]]


def demo_report(
    days: int = 90,
    *,
    end: dt.date | None = None,
    brands: Sequence[str] = ("Casino Alpha",),
    campaigns: int = 14,
    seed: int = DEFAULT_SEED,
    style: ReportStyle | None = None,
) -> bytes:
    """A complete one-page report as compact JSON: `days` days ending `end` (inclusive; default yesterday)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    end = end or dt.date.today() - dt.timedelta(days=1)
    start = end - dt.timedelta(days=days - 1)
    rows, relations = generate_rows(start, end, brands=brands, campaigns=campaigns, seed=seed, style=style)
    doc = report_document(rows, relations, style=style)
    return json.dumps(doc, separators=(",", ":")).encode("utf-8")


def benchmark_report() -> bytes:
    """The speed benchmarks' report: 2025-01-01..2025-12-31 × Casino Alpha, Casino Beta × 70 campaigns
    (51,100 rows), one page, serialised by `json.dumps` with its default separators (about 60 MB)."""
    rows, relations = generate_rows(
        BENCHMARK_FROM, BENCHMARK_TO, brands=BENCHMARK_BRANDS, campaigns=BENCHMARK_CAMPAIGNS
    )
    return json.dumps(report_document(rows, relations)).encode("utf-8")
