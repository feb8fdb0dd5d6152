"""What CasinoFlux's Affilka setup guide asks for, as data.

Every check and diagnostic points at one of the guide's seven steps, so a user can follow along in the
Affilka dashboard. Step names and menu paths are the guide's; explanations elsewhere are our own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from affilka_core.catalogue import CheckId

REPORT_PATH = "/api/client/partner/report.json"
CUSTOMER_API_PREFIX = "/api/customer/"

REQUIRED_COLUMNS: tuple[str, ...] = (
    "visits_count",
    "registrations_count",
    "depositing_players_count",
    "first_deposits_count",
    "first_deposits_sum",
    "deposits_sum",
    "ngr",
    "partner_income",
    "fixed_per_player",
    "prequalified_players_count",
    "qualified_players_count",
)

MONEY_COLUMNS: frozenset[str] = frozenset(
    {"first_deposits_sum", "deposits_sum", "ngr", "partner_income", "fixed_per_player"}
)

# Columns Affilka knows besides the required ones; used for "did you mean" on typos.
OTHER_KNOWN_COLUMNS: tuple[str, ...] = (
    "ggr",
    "real_ggr",
    "real_ngr",
    "admin_fee",
    "deposits_count",
    "average_deposit_amount",
    "cashouts_count",
    "cashouts_sum",
    "average_first_deposit_amount",
    "wager",
    "casino_bets_count",
    "duplicated_players_count",
    "self_excluded_players_count",
    "disabled_players_count",
    "chargebacks_count",
    "chargebacks_sum",
    "bonus_issues_sum",
    "additional_deductions_sum",
    "payment_system_fees_sum",
    "clean_net_revenue",
    "net_deposits",
    "fixed",
    "ngr_percent",
    "deposits_sum_percent",
    "wager_percent",
    "payable_ngr",
    "first_deposits_conversion_rate",
)
KNOWN_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OTHER_KNOWN_COLUMNS
# Sportsbook and poker variants exist for many columns; any name with these prefixes is accepted.
KNOWN_COLUMN_PREFIXES: tuple[str, ...] = ("sb_", "poker_")
# Names people and older clients write for Affilka's columns (`ftd_count` is an older name of
# first_deposits_count), with the name Affilka's export uses: "did you mean" goes by meaning for these,
# by spelling only for the rest.
COLUMN_ALIASES: dict[str, str] = {
    "ftd": "first_deposits_count",
    "ftds": "first_deposits_count",
    "ftd_count": "first_deposits_count",
    "ftds_count": "first_deposits_count",
    "first_deposits": "first_deposits_count",
    "ftd_sum": "first_deposits_sum",
    "ftd_amount": "first_deposits_sum",
    "first_deposits_amount": "first_deposits_sum",
    "casino_ngr": "ngr",
    "net_gaming_revenue": "ngr",
    "casino_ggr": "ggr",
    "gross_gaming_revenue": "ggr",
    "deposits": "deposits_sum",
    "deposits_amount": "deposits_sum",
    "deposit_amount": "deposits_sum",
    "total_deposits": "deposits_sum",
    "depositors": "depositing_players_count",
    "depositors_count": "depositing_players_count",
    "visits": "visits_count",
    "clicks": "visits_count",
    "clicks_count": "visits_count",
    "registrations": "registrations_count",
    "signups": "registrations_count",
    "signups_count": "registrations_count",
    "sign_ups_count": "registrations_count",
    "regs": "registrations_count",
    "income": "partner_income",
    "commission": "partner_income",
    "earnings": "partner_income",
    "cpa": "fixed_per_player",
    "qualified": "qualified_players_count",
    "qualified_count": "qualified_players_count",
    "qftd": "qualified_players_count",
    "qftd_count": "qualified_players_count",
    "prequalified": "prequalified_players_count",
    "prequalified_count": "prequalified_players_count",
}

REQUIRED_GROUP_BY: tuple[str, ...] = ("day", "brand", "campaign")
# Period groupings that replace `day` when chosen in the "Period" selector.
COARSE_PERIODS: tuple[str, ...] = ("week", "month", "year")
OTHER_GROUP_BY: tuple[str, ...] = (
    "year",
    "month",
    "week",
    "promo",
    "strategy",
    "player",
    "player_country",
    "sign_up_at_day",
    "sign_up_at_week",
    "sign_up_at_month",
    "sign_up_at_year",
    "first_deposit_day",
    "first_deposit_week",
    "first_deposit_month",
    "first_deposit_year",
)
DYNAMIC_TAG_PREFIX = "dynamic_tag_"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the guide: its number, its name and where it happens in Affilka."""

    number: int
    name: str
    where: str
    summary: str


STEPS: tuple[Step, ...] = (
    Step(
        1,
        "Go to Reports → Statistics",
        "Reports → Statistics",
        "The report CasinoFlux reads is the Statistics report, exported from the partner dashboard.",
    ),
    Step(
        2,
        "Verify required columns are selected",
        "Reports → Statistics → Columns",
        "Eleven columns must be selected; if one is not offered, the Affiliate Manager can enable it.",
    ),
    Step(
        3,
        "Configure Group by",
        "Reports → Statistics → Group by",
        "Period — Day, Brand ON and Campaign ON, so every row is one day of one campaign of one brand.",
    ),
    Step(
        4,
        "Set the brand filter",
        "Reports → Statistics → Filters",
        "Pick the one brand this Offer is for; without it, data from several casinos mixes.",
    ),
    Step(
        5,
        "Apply the filter",
        "Reports → Statistics → Filter button",
        "Run the report with these settings: a custom period, a date range, one currency.",
    ),
    Step(
        6,
        "Export as JSON",
        "Export report → JSON",
        "The export opens a new browser tab that shows the report as JSON.",
    ),
    Step(
        7,
        "Copy the browser URL into CasinoFlux",
        "Address bar of the JSON tab → CasinoFlux API Setup",
        "Copy the whole URL, token and page included, and paste it into the Offer's API URL field.",
    ),
)
STEP_BY_NUMBER: dict[int, Step] = {s.number: s for s in STEPS}


@dataclass(frozen=True, slots=True)
class Trouble:
    """A troubleshooting entry of the guide and the check ids that detect it."""

    title: str
    advice: str
    check_ids: tuple[CheckId, ...]


TROUBLESHOOTING: tuple[Trouble, ...] = (
    Trouble(
        "JSON tab opens but data is empty",
        "Confirm every required column is enabled and the brand filter is set, then click Filter again "
        "and re-export the JSON.",
        (CheckId.DATA_EMPTY, CheckId.COLUMNS_REQUIRED, CheckId.BRAND_FILTER),
    ),
    Trouble(
        "API sync fails in CasinoFlux",
        "The URL must group by day, brand and campaign; without them the report is not usable.",
        (
            CheckId.GROUP_BY_REQUIRED,
            CheckId.ENDPOINT,
            CheckId.FORMAT_JSON,
            CheckId.URL_ENCODING,
            CheckId.FETCH_NOT_JSON,
        ),
    ),
    Trouble(
        "Missing metrics",
        "Ask your Affiliate Manager to enable every required column on your account.",
        (CheckId.COLUMNS_REQUIRED, CheckId.DATA_COLUMNS_MISSING),
    ),
    Trouble(
        "Token expired",
        "Tokens expire. Log back in to Affilka, run the export again and copy the new URL with its fresh "
        "token.",
        (CheckId.TOKEN_PRESENT, CheckId.FETCH_UNAUTHORIZED),
    ),
)


def is_known_column(name: str) -> bool:
    """Whether Affilka knows a column of this name (required, other, or a sportsbook/poker variant)."""
    return name in KNOWN_COLUMNS or name.startswith(KNOWN_COLUMN_PREFIXES)
