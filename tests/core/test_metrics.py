"""Aggregates and figures: totals, rates, by day, by campaign, the day × campaign grid, the funnel."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
import requests

from affilka_core.analysis import metrics
from affilka_core.demo import demo_report
from affilka_core.outputs import charts
from affilka_core.outputs.formatting import format_value
from affilka_core.report.frame import parse_report
from affilka_mock.mock_server import MockAffilka
from tests.support import TOKEN

END = dt.date(2026, 4, 21)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """30 days × 2 brands × 14 campaigns of generated data."""
    raw = demo_report(30, end=dt.date(2026, 4, 21), brands=("Casino Alpha", "Casino Beta"), campaigns=14)
    return parse_report(raw)


def tiny() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-04-01", "2026-04-01", "2026-04-02"]),
            "brand": pd.Categorical(["A", "A", "A"]),
            "campaign": pd.Categorical(["Spring banners", "Telegram VIP", "Spring banners"]),
            "visits_count": [100, 50, 0],
            "registrations_count": [10, 5, 0],
            "first_deposits_count": [4, 0, 0],
            "qualified_players_count": [2, 0, 0],
            "first_deposits_sum": [200.0, 0.0, 0.0],
            "partner_income": [30.5, 0.0, -2.25],
        }
    )


def test_totals_sum_counts_as_integers_and_money_to_cents():
    sums = metrics.totals(tiny())
    assert sums["visits_count"] == 150 and isinstance(sums["visits_count"], int)
    assert sums["partner_income"] == 28.25


def test_kpis_compute_the_notes_rates():
    kpi = {k.key: k.value for k in metrics.kpis(tiny())}
    assert kpi["registration_rate"] == pytest.approx(15 / 150)
    assert kpi["ftd_rate"] == pytest.approx(4 / 15)
    assert kpi["qualification_rate"] == pytest.approx(2 / 4)
    assert kpi["avg_first_deposit"] == pytest.approx(50.0)
    assert kpi["epc"] == pytest.approx(28.25 / 150)


def test_rates_are_none_when_the_denominator_is_zero_or_missing():
    empty = tiny().iloc[2:]
    kpi = {k.key: k.value for k in metrics.kpis(empty)}
    assert kpi["registration_rate"] is None and kpi["avg_first_deposit"] is None
    no_visits = tiny().drop(columns=["visits_count"])
    assert {k.key: k.value for k in metrics.kpis(no_visits)}["epc"] is None


def test_by_day_has_one_row_per_day_and_rates(frame):
    daily = metrics.by_day(frame)
    assert len(daily) == 30 and daily["date"].is_monotonic_increasing
    assert daily["visits_count"].sum() == frame["visits_count"].sum()
    assert "registration_rate" in daily


def test_by_day_split_by_brand_has_one_row_per_day_and_brand(frame):
    daily = metrics.by_day(frame, split_brand=True)
    assert len(daily) == 60 and set(daily["brand"].astype(str)) == {"Casino Alpha", "Casino Beta"}


def test_by_campaign_keeps_the_top_ten_then_other_with_the_rest(frame):
    table = metrics.by_campaign(frame, "partner_income")
    assert len(table) == 11 and table["campaign"].iloc[-1] == metrics.OTHER
    top = table.iloc[:10]["partner_income"]
    assert top.is_monotonic_decreasing
    assert table["partner_income"].sum() == pytest.approx(frame["partner_income"].sum())


def test_rate_for_other_is_recomputed_from_sums_not_averaged(frame):
    table = metrics.by_campaign(frame, "registration_rate")
    other = table[table["campaign"] == metrics.OTHER].iloc[0]
    assert other["registration_rate"] == pytest.approx(other["registrations_count"] / other["visits_count"])


def test_day_campaign_matrix_is_top_campaigns_by_days(frame):
    matrix = metrics.day_campaign_matrix(frame, "first_deposits_count")
    assert matrix.shape == (10, 30)
    ranking = (
        frame.groupby("campaign", observed=True)["first_deposits_count"].sum().sort_values(ascending=False)
    )
    assert list(matrix.index) == [str(c) for c in ranking.index[:10]]


def test_day_campaign_matrix_switches_to_weeks_for_long_ranges():
    long = parse_report(demo_report(200, end=dt.date(2026, 4, 21), campaigns=4))
    matrix = metrics.day_campaign_matrix(long, "visits_count")
    assert matrix.columns.name == "week" and matrix.shape[1] <= 30


def test_funnel_goes_visits_registrations_ftd_qualified():
    assert metrics.funnel(tiny()) == [
        ("Visits", 150),
        ("Registrations", 15),
        ("FTDs", 4),
        ("Qualified", 2),
    ]


def test_only_filters_brands_and_campaigns(frame):
    part = metrics.only(frame, brands=["Casino Beta"], campaigns=[str(frame["campaign"].iloc[0])])
    assert len(part) == 30 and set(part["brand"].astype(str)) == {"Casino Beta"}
    assert metrics.only(frame) is frame


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (1234567, "count", "1,234,567"),
        (1234.5, "money", "€1,234.50"),
        (-3.2, "money", "-€3.20"),
        (0.0423, "rate", "4.2%"),
        (None, "money", "—"),
    ],
)
def test_values_are_formatted_as_people_read_them(value, kind, expected):
    assert format_value(value, kind, "EUR") == expected


def test_compact_format_shortens_big_numbers_for_cards():
    assert format_value(1_117_304, "count", compact_form=True) == "1.12M"
    assert format_value(10_963_507.77, "money", "EUR", compact_form=True) == "€11.0M"
    assert format_value(753_210, "count", compact_form=True) == "753k"
    assert format_value(999_999, "count", compact_form=True) == "1.00M"
    assert format_value(58.28, "money", "EUR", compact_form=True) == "€58.28"
    assert format_value(68_421.37, "money", "USD", compact_form=True) == "$68,421"


def test_figures_carry_aggregates_only(frame):
    daily = charts.daily_figure(metrics.by_day(frame), ["visits_count", "ngr", "ftd_rate"], currency="EUR")
    assert [len(t.x) for t in daily.data] == [30, 30, 30]
    heat = charts.heatmap_figure(metrics.day_campaign_matrix(frame, "ftd_rate"), "ftd_rate")
    assert len(heat.data[0].z) == 10
    total = sum(len(f.to_json()) for f in (daily, heat))
    assert total < 200_000
    assert json.loads(daily.to_json())["layout"]["yaxis3"]["tickformat"] == ".1%"


# --- money in several currencies, days without rows ---------------------------------------------


def served(**options) -> pd.DataFrame:
    """A 10-day, 3-campaign report as the mock Affilka serves it, parsed."""
    with MockAffilka(token=TOKEN, days=10, campaigns=3, end_date=END, **options) as server:
        return parse_report(requests.get(server.report_url(), timeout=10).content)


@pytest.fixture(scope="module")
def two_currencies() -> pd.DataFrame:
    return served(currencies=("EUR", "USD"))


def test_money_is_summed_apart_for_each_currency(two_currencies):
    by_currency = metrics.money_kpis_by_currency(two_currencies)
    sums = {code: {k.key: k.value for k in kpis} for code, kpis in by_currency.items()}
    assert set(sums) == {"EUR", "USD"}
    for code in ("EUR", "USD"):
        rows = two_currencies[two_currencies["currency"] == code]
        assert sums[code]["ngr"] == round(float(rows["ngr"].sum()), 2)
    assert sums["EUR"]["ngr"] != sums["USD"]["ngr"]


def test_kpis_never_add_money_across_currencies(two_currencies):
    kpi = {k.key: k for k in metrics.kpis(two_currencies)}
    for key in ("deposits_sum", "ngr", "partner_income", "avg_first_deposit", "epc"):
        assert kpi[key].value is None and metrics.MIXED in kpi[key].help
    assert kpi["visits_count"].value == int(two_currencies["visits_count"].sum())  # counts still add up


def test_money_kpis_by_currency_come_from_each_currencys_own_rows(two_currencies):
    by_currency = metrics.money_kpis_by_currency(two_currencies)
    usd = two_currencies[two_currencies["currency"] == "USD"]
    figures = {k.key: k.value for k in by_currency["USD"]}
    assert figures["partner_income"] == round(float(usd["partner_income"].sum()), 2)
    assert figures["epc"] == pytest.approx(usd["partner_income"].sum() / usd["visits_count"].sum())


def test_one_currency_keeps_money_kpis_whole():
    kpi = {k.key: k.value for k in metrics.kpis(served())}
    assert kpi["ngr"] is not None and kpi["epc"] is not None


@pytest.fixture(scope="module")
def with_gaps() -> pd.DataFrame:
    return served(gap_days=4)  # days 4 and 8 of 10 have no rows


def test_gaps_lists_the_days_without_rows(with_gaps):
    gaps = metrics.gaps(with_gaps, (dt.date(2026, 4, 12), END))
    assert list(gaps) == [dt.date(2026, 4, 15), dt.date(2026, 4, 19)] and len(gaps) == 2
    assert gaps.runs == [(dt.date(2026, 4, 15),) * 2, (dt.date(2026, 4, 19),) * 2]


def test_gaps_count_days_before_the_first_row_of_the_span(with_gaps):
    assert dt.date(2026, 4, 10) in metrics.gaps(with_gaps, (dt.date(2026, 4, 10), END))


def test_by_day_with_a_span_gives_days_without_rows_an_empty_row(with_gaps):
    daily = metrics.by_day(with_gaps, span=(dt.date(2026, 4, 12), END))
    assert len(daily) == 10
    gap = daily[daily["date"] == pd.Timestamp("2026-04-15")]
    assert gap["visits_count"].isna().all() and gap["ftd_rate"].isna().all()
    assert daily["visits_count"].sum() == with_gaps["visits_count"].sum()


def test_by_day_split_by_brand_with_a_span_gives_each_brand_every_day():
    frame = served(brands=2, gap_days=5)
    daily = metrics.by_day(frame, split_brand=True, span=(dt.date(2026, 4, 12), END))
    assert len(daily) == 10 * 2
    assert daily[daily["date"] == pd.Timestamp("2026-04-16")]["visits_count"].isna().all()


def test_day_campaign_matrix_keeps_days_without_rows_as_empty_columns(with_gaps):
    matrix = metrics.day_campaign_matrix(with_gaps, "visits_count")
    assert len(matrix.columns) == 10
    assert matrix[pd.Timestamp("2026-04-15")].isna().all() and matrix[pd.Timestamp("2026-04-19")].isna().all()
