"""The data checks on parsed reports built directly: coverage in the URL's own grouping, rows outside the
URL's dates, freshness, and Affilka's own totals against the rows' sums."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from affilka_core.checks.data_checks import data_checks
from affilka_core.checks.fetch_checks import fetched_check
from affilka_core.checks.model import Status
from affilka_core.report.frame import ParsedReport, row_currencies
from affilka_core.report.periods import report_grouping
from affilka_core.text import duration, megabytes
from affilka_core.url.parse import parse_url
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


def parsed(frame: pd.DataFrame, **about) -> ParsedReport:
    """The frame as the parser hands it over: dated by day, the rows' currencies seen in money cells, and
    what `about` says of the report (Affilka's totals, its pages)."""
    about.setdefault("grouping", "day")
    about.setdefault("currencies", tuple(row_currencies(frame)))
    return ParsedReport(frame=frame, **about)


def check(report: ParsedReport | pd.DataFrame, check_id: str, url=URL, **kwargs):
    """The one check `check_id` of the data checks, the report's grouping read as a fetch reads it: the
    URL's date grouper, else the rows' own."""
    if isinstance(report, pd.DataFrame):
        report = parsed(report)
    grouping = report_grouping(url.date_groupers if url is not None else (), report.grouping)
    found = [c for c in data_checks(report, url, grouping=grouping, **kwargs) if c.id == check_id]
    assert len(found) == 1, found
    return found[0]


# fetch.ok ------------------------------------------------------------------------------------------


def test_a_fetch_under_a_second_is_said_in_milliseconds_never_zero_seconds():
    assert duration(0.4) == "400 ms" and duration(0.0001) == "1 ms" and duration(2.345) == "2.3 s"
    assert "in 420 ms." in fetched_check(2, 100, 12_000, 0.42).detail
    assert "0.0 s" not in fetched_check(1, 10, 1_000, 0.01).detail


def test_a_small_report_is_said_in_kilobytes_never_zero_megabytes():
    assert megabytes(20_000) == "20 KB" and megabytes(512) == "512 B" and megabytes(12_345_678) == "11.8 MB"
    assert "1 page, 20 rows, 20 KB in" in fetched_check(1, 20, 20_000, 0.3).detail
    assert "0.0 MB" not in fetched_check(1, 1, 40, 0.01).detail


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
    assert c.status == Status.WARN and c.title == "1 of 4 weeks has no rows"
    assert "week of 2026-04-06" in c.detail


def test_a_day_grouped_report_still_counts_days():
    frame = steady_report(21)
    frame = frame[frame["date"] != pd.Timestamp("2026-04-05")]
    c = check(frame, "data.date_coverage")
    assert c.status == Status.WARN and c.title == "1 of 21 days has no rows" and "2026-04-05" in c.detail


# data.outside_range --------------------------------------------------------------------------------


def test_rows_inside_from_to_pass_outside_range():
    c = check(steady_report(21), "data.outside_range")
    assert c.status == Status.PASS and c.step == 5


def test_a_row_dated_the_day_after_to_warns_naming_the_date_and_saying_it_is_counted():
    frame = steady_report(22)  # 2026-04-01..2026-04-22; the URL stops at 2026-04-21
    c = check(frame, "data.outside_range")
    assert c.status == Status.WARN and c.title == "3 rows dated outside from..to"
    assert "2026-04-22 (3 rows)" in c.detail
    assert "included in the figures" in c.detail
    assert len(frame) == 66  # the check reports; it drops nothing


def test_rows_before_from_are_named_too():
    frame = steady_report(21)
    frame.loc[frame.index[:2], "date"] = pd.Timestamp("2026-03-31")
    c = check(frame, "data.outside_range")
    assert c.status == Status.WARN and "2026-03-31 (2 rows)" in c.detail


def test_outside_range_needs_the_urls_dates():
    assert not [c for c in data_checks(parsed(steady_report(22))) if c.id == "data.outside_range"]


# data.freshness ------------------------------------------------------------------------------------

TODAY = dt.date(2026, 4, 22)


def test_data_up_to_to_is_fresh():
    c = check(steady_report(21), "data.freshness", today=TODAY)
    assert c.status == Status.PASS and "2026-04-21" in c.detail


def test_the_last_day_missing_is_normal_and_said_so():
    c = check(steady_report(20), "data.freshness", today=TODAY)
    assert c.status == Status.PASS and c.title == "Data is a day behind: normal"
    assert "about 24 hours" in c.detail


def test_a_week_missing_is_a_warning():
    c = check(steady_report(14), "data.freshness", today=TODAY)
    assert c.status == Status.WARN and c.title == "Data is 7 days behind"
    assert "2026-04-14" in c.detail and "to (2026-04-21)" in c.detail


def test_freshness_is_measured_against_today_when_to_is_later():
    c = check(steady_report(21), "data.freshness", today=dt.date(2026, 4, 19))
    assert c.status == Status.PASS
    late = check(steady_report(15), "data.freshness", today=dt.date(2026, 4, 19))
    assert late.status == Status.WARN and "before today" in late.detail


# data.totals_mismatch ------------------------------------------------------------------------------

METRICS = ("visits_count", "registrations_count", "first_deposits_count", "ngr", "partner_income")


def with_totals(frame: pd.DataFrame, *, pages: tuple[int, int] = (1, 1), **changes: float) -> ParsedReport:
    """The report with Affilka's totals as the parser reads them: the rows' sums, changed by `changes`;
    `pages` is (pages read, pages the report has)."""
    totals = {c: float(frame[c].sum()) for c in METRICS}
    for column, delta in changes.items():
        totals[column] += delta
    return parsed(frame, totals=totals, pages_read=pages[0], total_pages=pages[1])


def test_rows_that_add_up_to_affilkas_totals_pass():
    c = check(with_totals(steady_report(21)), "data.totals_mismatch")
    assert c.status == Status.PASS and "5 metrics compared" in c.detail


def test_cents_of_rounding_are_not_a_mismatch():
    c = check(with_totals(steady_report(21), ngr=0.01, partner_income=-0.02), "data.totals_mismatch")
    assert c.status == Status.PASS


def test_totals_the_rows_do_not_add_up_to_fail_naming_each_metric_and_both_figures():
    report = with_totals(steady_report(21), visits_count=1200, ngr=-350.0)
    c = check(report, "data.totals_mismatch")
    assert c.status == Status.FAIL and c.title == "Rows do not add up to Affilka's totals (2 metrics)"
    visits = int(report.frame["visits_count"].sum())
    assert f"visits_count: rows add up to {visits:,}, Affilka's total is {visits + 1200:,}" in c.detail
    assert "ngr: rows add up to" in c.detail
    assert "registrations_count" not in c.detail


def test_no_totals_in_the_response_means_no_totals_check():
    assert not [c for c in data_checks(parsed(steady_report(21)), URL) if c.id == "data.totals_mismatch"]


@given(
    visits=st.lists(st.integers(0, 10_000), min_size=1, max_size=60),
    bump_at=st.integers(0, 59),
    bump=st.integers(1, 1_000) | st.integers(-1_000, -1),
)
def test_any_rows_reconcile_with_their_own_totals_and_one_changed_cell_does_not(visits, bump_at, bump):
    frame = pd.DataFrame({"date": pd.Timestamp("2026-04-01"), "visits_count": visits})
    report = parsed(frame, totals={"visits_count": sum(visits)})
    assert check(report, "data.totals_mismatch", url=None).status == Status.PASS
    frame.loc[bump_at % len(frame), "visits_count"] += bump
    assert check(report, "data.totals_mismatch", url=None).status == Status.FAIL


def test_a_saved_page_of_a_longer_report_warns_that_its_totals_cover_every_page():
    report = with_totals(steady_report(21), pages=(1, 5), visits_count=5_000)
    c = check(report, "data.totals_mismatch")
    assert c.status == Status.WARN and c.title == "This file holds 1 of the report's 5 pages"
    assert "Paste the report URL" in c.fix and "Fetch again" not in c.fix


def test_totals_per_currency_are_compared_with_each_currencys_rows():
    frame = pd.concat([steady_report(7).assign(currency="EUR"), steady_report(7).assign(currency="USD")])
    sums = {cur: {"ngr": float(part["ngr"].sum())} for cur, part in frame.groupby("currency")}
    assert check(parsed(frame, totals_by_currency=sums), "data.totals_mismatch").status == Status.PASS
    sums["USD"]["ngr"] += 250.0
    c = check(parsed(frame, totals_by_currency=sums), "data.totals_mismatch")
    assert c.status == Status.FAIL and "USD ngr: rows add up to" in c.detail and "EUR" not in c.detail


# data.multi_currency ----------------------------------------------------------------------------


def two_currencies() -> pd.DataFrame:
    return pd.concat([steady_report(7).assign(currency="EUR"), steady_report(7).assign(currency="USD")])


def test_several_currencies_from_a_url_that_asks_for_conversion_say_affilka_did_not_convert():
    c = check(two_currencies(), "data.multi_currency")
    assert "convert_all_currencies=true" in GUIDE_URL
    assert c.status == Status.WARN and "Affilka did not convert" in c.fix and "turn on" not in c.fix


def test_several_currencies_from_a_url_without_conversion_say_to_turn_it_on():
    url = parse_url(GUIDE_URL.replace("convert_all_currencies=true", "convert_all_currencies=false"))
    c = check(two_currencies(), "data.multi_currency", url=url)
    assert "turn on converting all currencies" in c.fix
