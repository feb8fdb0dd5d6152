"""The data checks on parsed frames built directly: coverage in the URL's own grouping, rows outside the
URL's dates, freshness, and Affilka's own totals against the rows' sums."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from affilka_core.checks import Status
from affilka_core.diagnose import data_checks, duration, fetched_check
from affilka_core.url import parse_url
from tests.core.frames import steady_report
from tests.support import GUIDE_URL

# The guide's URL asks for 2026-04-01..2026-04-21, grouped by day.
URL = parse_url(GUIDE_URL)


def url_with(**params: str):
    """The guide's URL with some parameters replaced (`group_by` takes a comma list)."""
    text = GUIDE_URL
    if "group_by" in params:
        for g in ("day", "brand", "campaign"):
            text = text.replace(f"&group_by%5B%5D={g}", "")
        groups = "".join(f"&group_by%5B%5D={g}" for g in params.pop("group_by").split(","))
        text = text.replace("&name=", groups + "&name=")
    for key, value in params.items():
        key = key.rstrip("_")
        start = text.index(f"{key}=")
        end = text.find("&", start)
        text = text[:start] + f"{key}={value}" + (text[end:] if end != -1 else "")
    return parse_url(text)


def check(frame: pd.DataFrame, check_id: str, url=URL, **kwargs):
    found = [c for c in data_checks(frame, url, **kwargs) if c.id == check_id]
    assert len(found) == 1, found
    return found[0]


# fetch.ok ------------------------------------------------------------------------------------------


def test_a_fetch_under_a_second_is_said_in_milliseconds_never_zero_seconds():
    assert duration(0.4) == "400 ms" and duration(0.0001) == "1 ms" and duration(2.345) == "2.3 s"
    assert "in 420 ms." in fetched_check(2, 100, 12_000, 0.42).detail
    assert "0.0 s" not in fetched_check(1, 10, 1_000, 0.01).detail


# data.date_coverage ------------------------------------------------------------------------------


def weekly_report(weeks: int, start: dt.date = dt.date(2026, 3, 30)) -> pd.DataFrame:
    """A week-grouped report: one row per week, dated the week's Monday."""
    return pd.DataFrame(
        {
            "date": [pd.Timestamp(start + dt.timedelta(weeks=w)) for w in range(weeks)],
            "brand": "Casino Alpha",
            "campaign": "Spring banners",
            "visits_count": 1000,
        }
    )


def test_a_week_grouped_report_is_covered_week_by_week_not_day_by_day():
    c = check(weekly_report(4), "data.date_coverage", url_with(group_by="week,brand,campaign"))
    assert c.status == Status.PASS and c.title == "Every week has rows"


def test_a_missing_week_in_a_week_grouped_report_is_named():
    frame = weekly_report(4).drop(index=1)
    c = check(frame, "data.date_coverage", url_with(group_by="week,brand,campaign"))
    assert c.status == Status.WARN and c.title == "1 of 4 weeks have no rows"
    assert "week of 2026-04-06" in c.detail


def test_a_day_grouped_report_still_counts_days():
    frame = steady_report(21)
    frame = frame[frame["date"] != pd.Timestamp("2026-04-05")]
    c = check(frame, "data.date_coverage")
    assert c.status == Status.WARN and c.title == "1 of 21 days have no rows" and "2026-04-05" in c.detail
