"""Analysis within its budgets: dates far apart cost what the rows cost, never the calendar between the
first and the last, and are said by `dates.range` and `data.date_bounds`; figures that are not finite
numbers are said by `data.non_finite`, never shown as 0."""

from __future__ import annotations

import datetime as dt
import json
import resource
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from affilka_core.analysis import insights, metrics
from affilka_core.catalogue import CheckId
from affilka_core.checks.model import Status
from affilka_core.checks.url_result import check_url
from affilka_core.dates import previous_period
from affilka_core.diagnosis import diagnose_report, diagnose_url
from affilka_core.load import load_file
from affilka_core.outputs import charts
from affilka_core.report.periods import missing_periods
from affilka_core.url.parse import parse_url
from affilka_core.url.suggest import suggest_url
from affilka_mock.mock_server import MockAffilka
from tests.support import GUIDE_URL, TOKEN, fast_settings, overflowing_report, redated_report

FAR_APART = redated_report("0001-01-01", "9999-12-31")
YEAR_1 = dt.date(1, 1, 1)
YEAR_9999 = dt.date(9999, 12, 31)


def cost(work: Callable[[], Any]) -> tuple[float, int, Any]:
    """CPU seconds and peak bytes allocated by `work()`, and what it returned."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    tracemalloc.start()
    try:
        result = work()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return cpu, peak, result


def check(diagnosis, check_id: str):
    return next(c for c in diagnosis.checks if c.id == check_id)


# --- Dates far apart --------------------------------------------------------------------------------------


def test_rows_dated_year_1_and_9999_fail_a_data_check_naming_their_dates():
    found = check(diagnose_report(FAR_APART), CheckId.DATA_DATE_BOUNDS)
    assert found.status == Status.FAIL and found.title == "2 rows dated outside 2000–2100"
    assert "0001-01-01 (1 row), 9999-12-31 (1 row)" in found.detail
    assert "Export the report again" in found.fix


def test_rows_dated_2000_to_2100_pass_the_date_bounds():
    found = check(diagnose_report(redated_report("2000-01-01", "2100-12-31")), CheckId.DATA_DATE_BOUNDS)
    assert found.status == Status.PASS


def test_a_report_dated_year_1_and_9999_costs_what_its_rows_cost():
    cpu, peak, diagnosis = cost(lambda: diagnose_report(FAR_APART))
    # Walking the 3.65 million days between them took 15-60 s of CPU and 1.36 GiB per campaign × day grid.
    assert cpu < 10 and peak < 10 * len(FAR_APART) + 300 * 2**20
    coverage = check(diagnosis, CheckId.DATA_DATE_COVERAGE)
    assert coverage.title == "3,652,047 of 3,652,059 days have no rows"
    assert "0001-01-02, 0001-01-03, 0001-01-04, 0001-01-05, 0001-01-06 and 3,652,042 more" in coverage.detail
    days_off = next(f for f in diagnosis.insights if f.id == "days_without_data")
    assert days_off.title == "3,652,047 days with no data" and days_off.date_to == "9999-12-30"


def test_findings_grids_hold_the_rows_own_days_never_the_calendar_between():
    frame = load_file(FAR_APART, "far.json").frame
    days = pd.DatetimeIndex(frame["date"].unique()).sort_values()
    grid = insights._grid(frame, "campaign", "visits_count", days)
    assert grid is not None and grid.shape == (3, 12)  # 3 campaigns × the 12 days that have rows


def test_days_without_rows_between_year_1_and_9999_are_counted_from_their_runs():
    dates = pd.Series(np.array([YEAR_1, dt.date(2026, 4, 1), YEAR_9999], dtype="datetime64[us]"))
    missing, periods = missing_periods(dates, YEAR_1, YEAR_9999)
    assert (len(missing), periods, len(missing.runs)) == (3_652_056, 3_652_059, 2)
    assert missing[:2] == [pd.Period("0001-01-02", "D"), pd.Period("0001-01-03", "D")]
    assert missing[-1] == pd.Period("9999-12-30", "D")


def test_by_day_over_year_1_to_9999_holds_the_rows_days_and_where_each_gap_starts():
    frame = load_file(FAR_APART, "far.json").frame
    daily = metrics.by_day(frame, span=(YEAR_1, YEAR_9999))
    runs = metrics.gaps(frame, (YEAR_1, YEAR_9999)).runs
    assert len(daily) == 12 + len(runs) and len(runs) == 2
    assert daily["visits_count"].sum() == frame["visits_count"].sum()


def test_gaps_at_the_edges_of_the_calendar_are_shaded_within_it():
    table = pd.DataFrame({"date": pd.to_datetime(["2026-04-01"]), "visits_count": [5]})
    gaps = metrics.gaps(pd.DataFrame({"date": pd.Series([YEAR_1, YEAR_9999], dtype="datetime64[us]")}))
    spec = json.loads(charts.daily_figure(table, ["visits_count"], gaps=gaps).to_json())
    rect = next(s for s in spec["layout"]["shapes"] if s["type"] == "rect")
    assert (rect["x0"], rect["x1"]) == ("0001-01-01 12:00:00", "9999-12-30 12:00:00")


@pytest.mark.parametrize(
    ("start", "end", "why"),
    [
        (YEAR_1, dt.date(2026, 4, 21), "not a range an Affilka report covers"),
        (dt.date(2000, 1, 1), dt.date(2000, 1, 31), "would begin before 2000-01-01"),
        (dt.date(2020, 1, 1), dt.date(2026, 1, 1), "not a range an Affilka report covers"),
    ],
)
def test_the_previous_period_of_a_range_no_report_covers_is_refused_saying_why(start, end, why):
    with pytest.raises(ValueError, match=why):
        previous_period(start, end)


def far_url(start: str, end: str) -> str:
    return GUIDE_URL.replace("from=2026-04-01", f"from={start}").replace("&to=2026-04-21", f"&to={end}")


def test_a_url_asking_for_year_1_to_9999_fails_its_date_range():
    found = check(check_url(far_url("0001-01-01", "9999-12-31")), CheckId.DATES_RANGE)
    assert found.status == Status.FAIL and found.title == "Date range outside the years a report covers"
    assert found.detail == (
        "from=0001-01-01 and to=9999-12-31 are outside 2000-01-01 → 2100-12-31: no Affilka report holds such "
        "days."
    )


def test_a_url_asking_for_more_than_five_years_fails_its_date_range_saying_how_long():
    found = check(check_url(far_url("2020-01-01", "2025-01-01")), CheckId.DATES_RANGE)
    assert found.status == Status.FAIL and found.title == "Date range longer than 5 years"
    assert found.detail.startswith("2020-01-01 → 2025-01-01 is 1,828 days; a report covers at most 5 years")
    assert check(check_url(far_url("2020-01-02", "2025-01-01")), CheckId.DATES_RANGE).status == Status.PASS


def test_the_suggested_url_for_dates_no_report_covers_asks_for_the_last_30_days():
    suggested = parse_url(
        suggest_url(parse_url(far_url("0001-01-01", "9999-12-31")), today=dt.date(2026, 5, 1))
    )
    assert suggested.date_span() == (dt.date(2026, 4, 1), dt.date(2026, 4, 30))


def test_fetching_year_1_to_9999_is_bounded_and_fails_only_the_date_range():
    with MockAffilka(token=TOKEN, days=10, campaigns=3, end_date=dt.date(2026, 4, 21)) as mock:
        url = mock.report_url(date_from="0001-01-01", date_to="9999-12-31")
        cpu, _, diagnosis = cost(lambda: diagnose_url(url, settings=fast_settings(mock.host_port)))
    assert cpu < 10
    assert [c.id for c in diagnosis.checks if c.status == Status.FAIL] == [CheckId.DATES_RANGE]
    assert check(diagnosis, CheckId.DATA_DATE_COVERAGE).title == "3,652,049 of 3,652,059 days have no rows"


# --- Figures that are not finite numbers ------------------------------------------------------------------


def test_sums_past_what_a_number_holds_fail_the_data_naming_each_metric_and_row():
    diagnosis = diagnose_report(overflowing_report(visits_count="1e308", ngr="inf"))
    found = check(diagnosis, CheckId.DATA_NON_FINITE)
    assert found.status == Status.FAIL and found.title == "2 metrics not a finite number"
    assert found.detail.startswith(
        "visits_count: the rows add up to more than a number can hold; ngr: 2 rows infinite (rows 1, 2)."
    )
    assert diagnosis.verdict.code == "fix"
    assert diagnosis.data["totals"]["visits_count"] is None and diagnosis.data["totals"]["ngr"] is None


def test_a_count_whose_sum_passes_64_bits_is_not_a_finite_number():
    frame = pd.DataFrame({"visits_count": np.array([2**62, 2**62, 2**62], dtype=np.int64)})
    assert metrics.totals(frame) == {"visits_count": None}
    assert check(
        diagnose_report(overflowing_report(visits_count=str(2**62))), CheckId.DATA_NON_FINITE
    ).detail == (
        "visits_count: the rows add up to more than a count can hold. Such figures cannot be shown or added "
        "up: the cards show — for them."
    )


def test_a_report_of_finite_figures_passes():
    assert check(diagnose_report(redated_report()), CheckId.DATA_NON_FINITE).status == Status.PASS


def test_kpis_of_sums_that_are_not_numbers_are_unknown_with_the_reason_never_zero():
    frame = load_file(overflowing_report(visits_count="1e308", ngr="inf"), "x.json").frame
    kpis = {k.key: k for k in metrics.kpis(frame)}
    assert kpis["visits_count"].value is None and kpis["ngr"].value is None and kpis["epc"].value is None
    assert kpis["visits_count"].help.endswith(
        "not a finite number: the report's visits_count cells are infinite or add up to more than a number "
        "holds"
    )
    assert "the report's visits_count cells" in kpis["registration_rate"].help
    assert kpis["registrations_count"].value == metrics.totals(frame)["registrations_count"] > 0
    assert [stage for stage, _ in metrics.funnel(frame)] == ["Registrations", "FTDs", "Qualified"]


def test_findings_never_rest_on_sums_that_are_not_numbers():
    frame = load_file(
        overflowing_report(visits_count="inf", ngr="-inf", partner_income="inf"), "x.json"
    ).frame
    found = insights.find_insights(frame)
    assert not [f for f in found if f.id in ("traffic_spike", "negative_ngr", "income_concentration")]
