"""Demo scenarios: a healthy report and the ways a connection goes wrong, for sales to show a problem and
its diagnosis and for support to train on. No network: each scenario is a generated report (or the
failure the fetcher raises) sent through the same parse and diagnose path as a live fetch.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from affilka_core.dates import yesterday
from affilka_core.demo import demo_report
from affilka_core.errors import AffilkaError, RateLimited, Unauthorized
from affilka_core.guide import REPORT_PATH, REQUIRED_COLUMNS

if TYPE_CHECKING:
    from affilka_core.diagnosis import Diagnosis

# Never fetched: `.invalid` cannot resolve (RFC 2606), and scenarios never reach the fetcher.
DEMO_HOST = "demo-program.affilka.invalid"
DEMO_TOKEN = "d7e4a1b09c3f4e2a8b6c5d4e3f2a1b0c"
DAYS = 30
STOPPED_CAMPAIGN_INDEX = 1  # the second campaign (by id) stops converting
STOPPED_FOR_DAYS = 9


@dataclass(frozen=True, slots=True)
class Scenario:
    """One scenario: what it is called, what it shows, and how it is built."""

    key: str
    label: str
    shows: str
    build: Callable[[dt.date], bytes | AffilkaError]
    url_columns: tuple[str, ...] = REQUIRED_COLUMNS


def scenario_url(scenario: Scenario, end: dt.date) -> str:
    """The URL the scenario's affiliate would have pasted (a demo host and token, never fetched)."""
    start = end - dt.timedelta(days=DAYS - 1)
    params = [
        f"from={start}",
        f"to={end}",
        "period=custom",
        f"exchange_rates_date={end}",
        "convert_all_currencies=true",
        "conversion_currency=EUR",
        *(f"columns%5B%5D={c}" for c in scenario.url_columns),
        "group_by%5B%5D=day",
        "group_by%5B%5D=brand",
        "group_by%5B%5D=campaign",
        "name=",
        f"token={DEMO_TOKEN}",
        "page=1",
    ]
    return f"https://{DEMO_HOST}{REPORT_PATH}?" + "&".join(params)


def _report(end: dt.date, **options: Any) -> dict[str, Any]:
    return json.loads(demo_report(DAYS, end=end, **options))


def _encode(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, separators=(",", ":")).encode("utf-8")


def _healthy(end: dt.date) -> bytes:
    return demo_report(DAYS, end=end)


def _several_brands(end: dt.date) -> bytes:
    return demo_report(DAYS, end=end, brands=("Casino Alpha", "Casino Beta", "Casino Gamma"))


_MISSING = ("ngr", "partner_income")


def _missing_columns(end: dt.date) -> bytes:
    doc = _report(end)
    for row in doc["rows"]["data"]:
        row[:] = [cell for cell in row if cell.get("name") not in _MISSING]
    return _encode(doc)


def _empty(end: dt.date) -> bytes:
    doc = _report(end)
    doc["rows"]["data"] = []
    doc["total_pages"] = 1
    return _encode(doc)


def _cell(row: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    return next((c for c in row if c.get("name") == name), None)


def _stopped_converting(end: dt.date) -> bytes:
    doc = _report(end)
    rows = doc["rows"]["data"]
    ids = sorted({(_cell(r, "campaign_id") or {}).get("value") for r in rows} - {None}, key=str)
    stopped = ids[min(STOPPED_CAMPAIGN_INDEX, len(ids) - 1)]
    since = (end - dt.timedelta(days=STOPPED_FOR_DAYS - 1)).isoformat()
    for row in rows:
        day, campaign = _cell(row, "date"), _cell(row, "campaign_id")
        if campaign and campaign.get("value") == stopped and day and str(day.get("value"))[:10] >= since:
            for name in ("first_deposits_count", "qualified_players_count", "prequalified_players_count"):
                if (cell := _cell(row, name)) is not None:
                    cell["value"] = 0
            if (cell := _cell(row, "first_deposits_sum")) is not None:
                value = cell.get("value")
                cell["value"] = (
                    {**value, "amount": "0.00", "amount_cents": "0"} if isinstance(value, dict) else 0
                )
    return _encode(doc)


def _expired_token(end: dt.date) -> AffilkaError:
    # The words the fetcher uses when Affilka redirects to its sign-in page.
    return Unauthorized(
        f"Affilka redirected to its sign-in page (https://{DEMO_HOST}/users/sign_in) instead of sending the "
        "report: the token is not accepted.",
        url=f"https://{DEMO_HOST}{REPORT_PATH}",
        status=302,
    )


def _rate_limited(end: dt.date) -> AffilkaError:
    return RateLimited(
        "Affilka answered 429 Too Many Requests on page 1, still after 3 retries (it asked to wait 60 s).",
        url=f"https://{DEMO_HOST}{REPORT_PATH}",
        status=429,
        retry_after=60,
    )


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("healthy", "Healthy", "A casino report CasinoFlux can use as it is.", _healthy),
    Scenario(
        "several_brands",
        "Several brands",
        "The brand filter was left unset: three casinos mixed in one report (guide step 4).",
        _several_brands,
    ),
    Scenario(
        "missing_columns",
        "Missing columns",
        "ngr and partner_income are not selected, and the account does not return them (guide step 2).",
        _missing_columns,
        tuple(c for c in REQUIRED_COLUMNS if c not in _MISSING),
    ),
    Scenario(
        "expired_token", "Expired token", "Affilka sends its sign-in page: the token expired.", _expired_token
    ),
    Scenario(
        "empty_report",
        "Empty report",
        "Affilka answers with no rows: the filters match nothing (guide troubleshooting).",
        _empty,
    ),
    Scenario(
        "stopped_converting",
        "A campaign stopped converting",
        f"One campaign's first deposits stop for the last {STOPPED_FOR_DAYS} days while its traffic goes on.",
        _stopped_converting,
    ),
    Scenario(
        "rate_limited",
        "Rate limited",
        "Affilka is limiting requests (429): the URL may be fine, try again later.",
        _rate_limited,
    ),
)
SCENARIO_BY_KEY: dict[str, Scenario] = {s.key: s for s in SCENARIOS}


def diagnose_scenario(key: str, *, end: dt.date | None = None) -> Diagnosis:
    """The diagnosis of a scenario through the same path as a fetched report, with no network: the URL
    checks of its URL, then the data checks of its parsed report, or the check of the failure it
    stands for. `end` is the report's last day (default yesterday). Raises KeyError for an unknown key."""
    from affilka_core.checks.url_result import check_url
    from affilka_core.diagnosis import diagnose_failure, diagnose_loaded
    from affilka_core.load import load_bytes

    scenario = SCENARIO_BY_KEY[key]
    end = end or yesterday()
    result = check_url(scenario_url(scenario, end))
    built = scenario.build(end)
    if isinstance(built, AffilkaError):
        return diagnose_failure(built, result)
    try:
        # The day after the report's last is "today": the data is as fresh as a real export would be.
        report = load_bytes(
            built, "demo", f"Demo: {scenario.label}", result.url, today=end + dt.timedelta(days=1)
        )
    except AffilkaError as exc:
        return diagnose_failure(exc, result)
    return diagnose_loaded(report, result)
