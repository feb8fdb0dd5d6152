"""The demo casino: a deterministic, realistic Affilka partner report, generated without a network.

The story the numbers tell: a few big campaigns and a long tail (some dormant, some with days without a
single visit), busier Fridays to Sundays, a yearly season and a slow trend per campaign, and a plausible
funnel on every row: visits → registrations → first deposits → (pre)qualified players, returning
depositors, NGR as a share of deposits (occasionally negative), and partner income as revenue share of
NGR plus a CPA per qualified player. Each campaign converts at its own rates.

Randomness: numpy Generators, each seeded by a `SeedSequence` whose spawn key names what its numbers are
for: a campaign's traits, a brand's size, a brand × campaign pair, or one block of `BLOCK_DAYS` calendar
days of a brand × campaign. Because the blocks are fixed on the calendar, not on the requested range, a day
has the same numbers whatever window, brands or campaigns are generated with it: the mock server serves
any `from`..`to` from one simulation, and a sub-range of a report is a slice of the full one.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from affilka_core.dates import yesterday
from affilka_core.guide import MONEY_COLUMNS, REQUIRED_COLUMNS
from affilka_core.report.gc import cyclic_gc_paused

Cell = dict[str, Any]
Row = list[Cell]

DEFAULT_SEED = 20260401
FIRST_CAMPAIGN_ID = 501
# Days per random block: long enough that a year takes a few generators per brand × campaign, short
# enough that a one-week window draws little it then throws away.
BLOCK_DAYS = 128

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
_CHANNELS: tuple[str, ...]  # grown by += below
_CHANNELS = ("SEO", "PPC", "Email", "Telegram", "Push", "Display", "YouTube", "Streamer", "Native")
_CHANNELS += ("Influencer", "Forum", "Affiliate network")
_THEMES: tuple[str, ...]
_THEMES = ("welcome bonus", "free spins", "live casino", "jackpots", "crash games", "high rollers")
_THEMES += ("new slots", "cashback", "weekend reload", "tournaments", "mobile", "payments guide")
# Relative traffic Monday..Sunday: weekends bring the players.
_WEEKDAY_FACTOR = np.array([0.86, 0.84, 0.88, 0.95, 1.12, 1.22, 1.18])
_CPA_EUR = (50, 60, 75, 80, 100, 120, 150)
_REVSHARE = (0.25, 0.30, 0.35, 0.40, 0.45)
# What a generator's numbers are for: the first part of its spawn key.
_TRAITS, _BRAND, _PAIR, _DAYS = range(4)


def _rng(seed: int, *key: int) -> np.random.Generator:
    """An independent generator for `key` under `seed`, the same in every process and on every machine."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def _name_key(text: str) -> int:
    # Python's hash() is salted per process; a brand's numbers must be the same in every process.
    return zlib.crc32(text.encode("utf-8"))


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
class _Campaign:
    """One campaign's traits, drawn from its own generator: the same however many campaigns there are."""

    id: int
    strategy: str  # "revshare", "cpa" or "hybrid"
    visits: float  # mean daily visits before brand, weekday, season and trend
    off_rate: float  # chance of a day without traffic
    reg_rate: float
    ftd_rate: float
    prequal_rate: float
    qual_rate: float
    returning: float  # returning depositors per expected first deposit
    first_deposit_eur: float
    repeat_factor: float
    revshare: float
    cpa_eur: float
    trend_period: float
    trend_phase: float
    trend_depth: float


def _campaign(seed: int, index: int) -> _Campaign:
    campaign_id = FIRST_CAMPAIGN_ID + index
    rng = _rng(seed, _TRAITS, campaign_id)
    size = rng.standard_normal()
    dormant, kind, share, cpa, reg, ftd, prequal, qual, returning, fd, repeat, period, phase, depth = (
        rng.random(14).tolist()
    )
    # Zipf by age: the oldest campaigns are the big ones, jitter reshuffles neighbours, a few sleep.
    visits = 2600.0 * (index + 1) ** -1.15 * np.exp(0.55 * size)
    if dormant < 0.12 and index >= 3:
        visits *= 0.03
    strategy = "revshare" if kind < 0.5 else "cpa" if kind < 0.72 else "hybrid"
    revshare = _REVSHARE[int(share * len(_REVSHARE))]
    return _Campaign(
        id=campaign_id,
        strategy=strategy,
        visits=float(visits),
        off_rate=float(np.clip(0.5 - 0.1 * np.log(max(visits, 1.0)), 0.0, 0.45)),
        reg_rate=0.05 + 0.08 * reg,
        ftd_rate=0.24 + 0.16 * ftd,
        prequal_rate=0.55 + 0.3 * prequal,
        qual_rate=0.6 + 0.3 * qual,
        returning=1.0 + 2.5 * returning,
        first_deposit_eur=28.0 + 50.0 * fd,
        repeat_factor=1.2 + 1.2 * repeat,
        revshare={"revshare": revshare, "cpa": 0.0, "hybrid": min(revshare, 0.3)}[strategy],
        cpa_eur=0.0 if strategy == "revshare" else float(_CPA_EUR[int(cpa * len(_CPA_EUR))]),
        trend_period=60.0 + 180.0 * period,
        trend_phase=2 * np.pi * phase,
        trend_depth=0.3 * depth,
    )


def relation_campaigns_for(campaigns: int, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """`relations.campaigns` entries for campaigns 501 … 500 + `campaigns`: `{id, name, strategy}`."""
    traits = (_campaign(seed, i) for i in range(campaigns))
    return [{"id": c.id, "name": campaign_name(i), "strategy": c.strategy} for i, c in enumerate(traits)]


# --- Simulation ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportData:
    """Simulated report values on a (day, brand, campaign) grid; money in integer cents."""

    days: tuple[dt.date, ...]
    brands: tuple[str, ...]
    campaign_ids: tuple[int, ...]
    values: dict[str, np.ndarray] = field(repr=False)  # column → int64 array of shape (D, B, C)

    @property
    def shape(self) -> tuple[int, int, int]:
        """(days, brands, campaigns)."""
        return len(self.days), len(self.brands), len(self.campaign_ids)


def _expected_visits(ordinals: np.ndarray, c: _Campaign, size: float) -> np.ndarray:
    weekday = _WEEKDAY_FACTOR[(ordinals - 1) % 7]  # date.fromordinal(1) is a Monday
    season = 1.0 + 0.12 * np.cos(2 * np.pi * (ordinals - dt.date(2000, 1, 15).toordinal()) / 365.25)
    trend = 1.0 + c.trend_depth * np.sin(2 * np.pi * ordinals / c.trend_period + c.trend_phase)
    return c.visits * size * weekday * season * trend


def _block(rng: np.random.Generator, expected: np.ndarray, c: _Campaign) -> dict[str, np.ndarray]:
    """Every column for consecutive days of one brand × campaign, given the visits each day expects.

    The draws come in a fixed order and always for a whole block, so a day's numbers never depend on
    which of its neighbours were asked for.
    """
    n = len(expected)

    def jitter(rate: float, lo: float, hi: float) -> np.ndarray:
        return np.clip(rate * np.exp(0.15 * rng.standard_normal(n)), lo, hi)

    daily = expected * np.exp(0.2 * rng.standard_normal(n))
    on = rng.random(n) >= c.off_rate
    visits = np.where(on, rng.poisson(daily), 0)
    registrations = rng.binomial(visits, jitter(c.reg_rate, 0.04, 0.15))
    ftd = rng.binomial(registrations, jitter(c.ftd_rate, 0.2, 0.45))
    prequalified = rng.binomial(ftd, c.prequal_rate)
    qualified = rng.binomial(prequalified, c.qual_rate)
    # Players won on earlier days keep depositing, traffic or not: expected, not actual, FTDs drive them.
    returning = rng.poisson(expected * c.reg_rate * c.ftd_rate * c.returning)

    fd_eur = np.clip(c.first_deposit_eur * np.exp(0.2 * rng.standard_normal(n)), 20.0, 120.0)
    repeat_eur = c.first_deposit_eur * c.repeat_factor * np.exp(0.35 * rng.standard_normal(n))
    first_deposits_sum = np.rint(ftd * fd_eur * 100)
    deposits_sum = first_deposits_sum + np.rint(returning * np.clip(repeat_eur, 10.0, 2000.0) * 100)
    # Mostly a 25–60 % hold; now and then a player's big win turns the day negative.
    loss_day, loss, hold = rng.random(n) < 0.06, rng.random(n), rng.random(n)
    ngr = np.rint(deposits_sum * np.where(loss_day, -0.05 - 0.75 * loss, 0.25 + 0.35 * hold))
    fixed_per_player = qualified * round(c.cpa_eur * 100)
    return {
        "visits_count": visits,
        "registrations_count": registrations,
        "depositing_players_count": ftd + returning,
        "first_deposits_count": ftd,
        "first_deposits_sum": first_deposits_sum,
        "deposits_sum": deposits_sum,
        "ngr": ngr,
        "partner_income": np.rint(ngr * c.revshare) + fixed_per_player,
        "fixed_per_player": fixed_per_player,
        "prequalified_players_count": prequalified,
        "qualified_players_count": qualified,
    }


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
    first, last = date_from.toordinal(), date_to.toordinal()
    days = tuple(dt.date.fromordinal(o) for o in range(first, last + 1))
    traits = [_campaign(seed, i) for i in range(campaigns)]
    values = {col: np.zeros((len(days), len(brands), campaigns), dtype=np.int64) for col in REQUIRED_COLUMNS}
    for b, brand in enumerate(brands):
        brand_key = _name_key("brand:" + brand)
        brand_size = np.exp(0.45 * _rng(seed, _BRAND, brand_key).standard_normal())
        for c, campaign in enumerate(traits):
            size = brand_size * np.exp(0.35 * _rng(seed, _PAIR, brand_key, campaign.id).standard_normal())
            for block in range(first // BLOCK_DAYS, last // BLOCK_DAYS + 1):
                ordinals = np.arange(block * BLOCK_DAYS, (block + 1) * BLOCK_DAYS)
                rng = _rng(seed, _DAYS, brand_key, campaign.id, block)
                drawn = _block(rng, _expected_visits(ordinals, campaign, size), campaign)
                lo, hi = max(first, ordinals[0]), min(last, ordinals[-1])
                inside = slice(lo - ordinals[0], hi - ordinals[0] + 1)
                for col, column_values in drawn.items():
                    values[col][lo - first : hi - first + 1, b, c] = column_values[inside]
    return ReportData(days, tuple(brands), tuple(c.id for c in traits), values)


# --- Rows and the document -----------------------------------------------------------------------------


def format_amount(cents: int) -> str:
    """Cents as Affilka writes an amount: 123456 → "1234.56", -1234 → "-12.34"."""
    # Floor division would turn -1234 into "-13.66"; format the magnitude and prefix the sign.
    if cents < 0:
        return f"-{-cents // 100}.{-cents % 100:02d}"
    return f"{cents // 100}.{cents % 100:02d}"


def _rows(data: ReportData) -> list[Row]:
    # Built column by column (one comprehension each), then zipped: much faster than row by row.
    n_days, n_brands, n_campaigns = data.shape
    dates = [d.isoformat() for d in data.days for _ in range(n_brands * n_campaigns)]
    brands = [b for b in data.brands for _ in range(n_campaigns)] * n_days
    with cyclic_gc_paused():
        parts: list[list[Cell]] = [
            [{"name": "date", "value": d, "type": "date"} for d in dates],
            [{"name": "brand", "value": b, "type": "string"} for b in brands],
            [
                {"name": "campaign_id", "value": c, "type": "integer"}
                for c in data.campaign_ids * (n_days * n_brands)
            ],
        ]
        for col in REQUIRED_COLUMNS:
            values = data.values[col].ravel().tolist()
            if col in MONEY_COLUMNS:
                cells = [
                    {
                        "name": col,
                        "value": {"amount": format_amount(v), "amount_cents": str(v), "currency": "EUR"},
                        "type": "money",
                    }
                    for v in values
                ]
            else:
                cells = [{"name": col, "value": v, "type": "integer"} for v in values]
            parts.append(cells)
        return [list(row) for row in zip(*parts, strict=True)]


def generate_rows(
    date_from: dt.date,
    date_to: dt.date,
    *,
    brands: Sequence[str] = ("Casino Alpha",),
    campaigns: int = 12,
    seed: int = DEFAULT_SEED,
) -> tuple[list[Row], list[dict[str, Any]]]:
    """Rows of an Affilka report grouped by day, brand and campaign, and the `relations.campaigns` list.

    One row per (day, brand, campaign): days ascending, then brands in the given order, then campaigns
    501, 502, …. Each row holds `date`, `brand`, `campaign_id` and every required column in the guide's
    order, money as `{"amount", "amount_cents", "currency": "EUR"}`.
    """
    data = simulate(date_from, date_to, brands=brands, campaigns=campaigns, seed=seed)
    return _rows(data), relation_campaigns_for(campaigns, seed)


def report_document(
    rows: Sequence[Row],
    relation_campaigns: Sequence[Mapping[str, Any]],
    *,
    page: int = 1,
    total_pages: int = 1,
) -> dict[str, Any]:
    """The top-level report object: `report_type`, `total_pages`, `page`, `rows.data` and
    `relations.campaigns` limited to the campaigns present in `rows`."""
    present = {cell["value"] for row in rows for cell in row[:3] if cell["name"] == "campaign_id"}
    return {
        "report_type": "partner",
        "total_pages": total_pages,
        "page": page,
        "rows": {"data": list(rows)},
        "relations": {"campaigns": [dict(c) for c in relation_campaigns if c["id"] in present]},
    }


def demo_report(
    days: int = 90,
    *,
    end: dt.date | None = None,
    brands: Sequence[str] = ("Casino Alpha",),
    campaigns: int = 14,
    seed: int = DEFAULT_SEED,
) -> bytes:
    """A complete one-page report as compact JSON: `days` days ending `end` (inclusive; default yesterday)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    end = end or yesterday()
    start = end - dt.timedelta(days=days - 1)
    rows, relations = generate_rows(start, end, brands=brands, campaigns=campaigns, seed=seed)
    return json.dumps(report_document(rows, relations), separators=(",", ":")).encode("utf-8")
