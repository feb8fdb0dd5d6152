"""Every metric and rate once: its key, label, short label, kind, formula and help text.

Charts, KPI cards, findings, the Offer's table, exports and the ticket read their words and their kind
from here, so "FTD" or "EPC" means the same thing on every face. Kinds: "count" (whole numbers),
"money" (in the report's currency), "rate" (a share, shown as a percentage). A rate or a money ratio has
a formula: numerator / denominator, both summed first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["count", "money", "rate"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Metric:
    """One metric of the report (a column) or one derived from two of them (`numerator` / `denominator`)."""

    key: str
    label: str
    short: str
    kind: Kind
    help: str
    numerator: str | None = None
    denominator: str | None = None

    @property
    def derived(self) -> bool:
        """Whether the metric is computed from two columns rather than read from one."""
        return self.numerator is not None


def _column(key: str, label: str, short: str, kind: Kind, help: str) -> Metric:
    return Metric(key=key, label=label, short=short, kind=kind, help=help)


def _ratio(key: str, label: str, kind: Kind, numerator: str, denominator: str, help: str) -> Metric:
    return Metric(
        key=key, label=label, short=label, kind=kind, help=help, numerator=numerator, denominator=denominator
    )


METRICS: tuple[Metric, ...] = (
    _column("visits_count", "Visits", "Visits", "count", "Visits (clicks) on the affiliate's links"),
    _column("registrations_count", "Registrations", "Registrations", "count", "Players who signed up"),
    _column("depositing_players_count", "Depositing players", "Depositors", "count", "Players who deposited"),
    _column("first_deposits_count", "First deposits (FTD)", "FTDs", "count", "Players' first deposits"),
    _column("first_deposits_sum", "First deposits sum", "FTD sum", "money", "Amount of first deposits"),
    _column("deposits_sum", "Deposits sum", "Deposits", "money", "Amount of every deposit"),
    _column("ngr", "NGR", "NGR", "money", "Net gaming revenue: the casino's take after wins and bonuses"),
    _column("partner_income", "Partner income", "Partner income", "money", "What the affiliate earns"),
    _column("fixed_per_player", "Fixed per player (CPA)", "CPA", "money", "Fixed pay per qualified player"),
    _column(
        "prequalified_players_count", "Prequalified players", "Prequalified", "count", "Near the CPA bar"
    ),
    _column("qualified_players_count", "Qualified players", "Qualified", "count", "Players past the CPA bar"),
    _ratio(
        "registration_rate",
        "Registration rate",
        "rate",
        "registrations_count",
        "visits_count",
        "Registrations / visits",
    ),
    _ratio(
        "ftd_rate",
        "FTD rate",
        "rate",
        "first_deposits_count",
        "registrations_count",
        "First deposits / registrations",
    ),
    _ratio(
        "qualification_rate",
        "Qualification rate",
        "rate",
        "qualified_players_count",
        "first_deposits_count",
        "Qualified players / first deposits",
    ),
    _ratio(
        "avg_first_deposit",
        "Avg first deposit",
        "money",
        "first_deposits_sum",
        "first_deposits_count",
        "First deposits sum / first deposits",
    ),
    _ratio(
        "epc", "EPC", "money", "partner_income", "visits_count", "Earnings per click: partner income / visits"
    ),
)
BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
DERIVED: tuple[Metric, ...] = tuple(m for m in METRICS if m.derived)

# The headline figures, in the order the cards show them.
KPI_KEYS: tuple[str, ...] = (
    "visits_count",
    "registrations_count",
    "first_deposits_count",
    "deposits_sum",
    "ngr",
    "partner_income",
    "registration_rate",
    "ftd_rate",
    "qualification_rate",
    "avg_first_deposit",
    "epc",
)
# Visits → registrations → first deposits → qualified.
FUNNEL_KEYS: tuple[str, ...] = (
    "visits_count",
    "registrations_count",
    "first_deposits_count",
    "qualified_players_count",
)
# The metrics the day × campaign heat map offers: the ones that show a campaign that stopped converting.
HEATMAP_KEYS: tuple[str, ...] = (
    "registration_rate",
    "ftd_rate",
    "first_deposits_count",
    "registrations_count",
    "visits_count",
    "partner_income",
    "ngr",
    "qualification_rate",
)


def metric(key: str) -> Metric:
    """The metric of a key; a column the registry does not know is a count labelled from its key."""
    found = BY_KEY.get(key)
    if found is not None:
        return found
    label = key.replace("_", " ").capitalize()
    return Metric(key=key, label=label, short=label, kind="count", help=label)


def label(key: str) -> str:
    """The display name of a metric or rate."""
    return metric(key).label


def kind(key: str) -> Kind:
    """count, money or rate: decides how a metric is formatted and which axis it is drawn on."""
    return metric(key).kind
