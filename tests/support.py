"""Shared test data: the guide's example URL, its token, and helpers to build realistic variants."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")

TOKEN = "b7e3f1a2d4c9082e56781234abcd5678"

# The example URL from CasinoFlux's Affilka guide, verbatim.
GUIDE_URL = (
    "https://primetime.partners/api/client/partner/report.json?from=2026-04-01&to=2026-04-21"
    "&period=custom&exchange_rates_date=2026-04-21&convert_all_currencies=true&conversion_currency=EUR"
    "&columns%5B%5D=visits_count&columns%5B%5D=registrations_count&columns%5B%5D=depositing_players_count"
    "&columns%5B%5D=first_deposits_count&columns%5B%5D=first_deposits_sum&columns%5B%5D=deposits_sum"
    "&columns%5B%5D=ngr&columns%5B%5D=partner_income&columns%5B%5D=fixed_per_player"
    "&columns%5B%5D=prequalified_players_count&columns%5B%5D=qualified_players_count"
    "&group_by%5B%5D=day&group_by%5B%5D=brand&group_by%5B%5D=campaign&name=&token=" + TOKEN + "&page=1"
)


def without_param(url: str, param: str) -> str:
    """The URL with every `param` (e.g. 'columns%5B%5D=ngr') removed."""
    return url.replace("&" + param, "").replace(param + "&", "")


def fast_settings(allow: str | None = None, **overrides):
    """Fetch settings for tests: the given `host:port` allowed, quick backoff and timeouts."""
    from affilka_core.fetch.settings import FetchSettings

    base = dict(
        allow_private_hosts=frozenset({allow} if allow else set()),
        backoff=0.01,
        backoff_max=0.05,
        connect_timeout=2,
        read_timeout=5,
    )
    base.update(overrides)
    return FetchSettings(**base)


def diagnosis_ticket(diagnosis, generated=None, **asked) -> str:
    """The support ticket of a `Diagnosis`, as `check --ticket` and the URL check page write it: its
    checks, URL, data summary, masked suggested URL and secrets; `asked` are `brand` and `offer`."""
    from affilka_core.outputs.ticket import ticket_markdown

    result = diagnosis.url_result
    return ticket_markdown(
        diagnosis.checks,
        url=diagnosis.url,
        summary=diagnosis.summary(),
        generated=generated,
        suggested_url=result.masked_suggested() if result else None,
        secrets=diagnosis.secrets,
        **asked,
    )


def redated_report(*days: str, report_days: int = 10, campaigns: int = 3) -> bytes:
    """A generated one-page report (`report_days` days to 2026-04-21) whose first rows are dated `days`
    instead ("0001-01-01", "9999-12-31"): the dates far apart a hostile sender would write."""
    import datetime as dt
    import json

    from affilka_core.demo import demo_report

    doc = json.loads(demo_report(report_days, end=dt.date(2026, 4, 21), campaigns=campaigns))
    for row, day in zip(doc["rows"]["data"], days, strict=False):
        next(cell for cell in row if cell["name"] == "date")["value"] = day
    return json.dumps(doc).encode()


def overflowing_report(**values: str) -> bytes:
    """A generated one-page report (10 days to 2026-04-21, 3 campaigns) whose first two rows hold `values`
    ({column: text}) in place of their figures, e.g. visits_count="1e308" (two of them add up to
    infinity) or ngr="inf"."""
    import datetime as dt
    import json

    from affilka_core.demo import demo_report

    doc = json.loads(demo_report(10, end=dt.date(2026, 4, 21), campaigns=3))
    for row in doc["rows"]["data"][:2]:
        for cell in row:
            if cell["name"] in values:
                text = values[cell["name"]]
                cell["value"] = {**cell["value"], "amount": text} if isinstance(cell["value"], dict) else text
    return json.dumps(doc).encode()
