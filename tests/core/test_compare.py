"""This period against the last: the previous period's dates, KPI deltas, the by-day overlay, movers."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from affilka_core.analysis.compare import campaign_movers, kpi_deltas, overlay_by_day
from affilka_core.dates import previous_period
from tests.core.frames import steady_report


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    assert previous_period(dt.date(2026, 4, 1), dt.date(2026, 4, 10)) == (
        dt.date(2026, 3, 22),
        dt.date(2026, 3, 31),
    )


def test_a_one_day_period_is_compared_with_the_day_before():
    day = dt.date(2026, 3, 1)
    assert previous_period(day, day) == (dt.date(2026, 2, 28), dt.date(2026, 2, 28))


def test_kpi_deltas_give_both_values_the_change_and_the_percentage():
    now, before = steady_report(seed=1), steady_report(seed=2)
    visits = next(d for d in kpi_deltas(now, before) if d.key == "visits_count")
    assert visits.current == now["visits_count"].sum() and visits.previous == before["visits_count"].sum()
    assert visits.change == visits.current - visits.previous
    assert abs(visits.percent - visits.change / visits.previous) < 1e-12


def test_a_kpi_that_was_zero_before_has_a_change_but_no_percentage():
    now, before = steady_report(seed=1), steady_report(seed=2)
    before["first_deposits_count"] = 0
    ftds = next(d for d in kpi_deltas(now, before) if d.key == "first_deposits_count")
    assert ftds.change == now["first_deposits_count"].sum() and ftds.percent is None


def test_the_overlay_aligns_both_periods_by_day_number():
    now = steady_report(days=10)
    before = steady_report(days=10, seed=3)
    before["date"] = before["date"] - pd.Timedelta(days=10)
    table = overlay_by_day(now, before, "visits_count")
    assert list(table["day"]) == list(range(1, 11))
    assert table.loc[0, "date"] == pd.Timestamp("2026-04-01")
    assert table.loc[0, "previous_date"] == pd.Timestamp("2026-03-22")
    assert table.loc[0, "previous"] == before[before["date"] == "2026-03-22"]["visits_count"].sum()


def test_a_day_without_rows_stays_a_gap_in_the_overlay():
    now = steady_report(days=10)
    now = now[now["date"] != pd.Timestamp("2026-04-05")]
    table = overlay_by_day(now, steady_report(days=10, seed=3), "visits_count")
    assert pd.isna(table.loc[4, "current"]) and len(table) == 10


def test_movers_name_the_campaigns_that_rose_and_fell_most():
    now, before = steady_report(seed=1), steady_report(seed=1)
    now.loc[now["campaign"] == "Telegram VIP", "partner_income"] *= 3
    now.loc[now["campaign"] == "Spring banners", "partner_income"] *= 0.2
    gainers, losers = campaign_movers(now, before, "partner_income")
    assert list(gainers["campaign"]) == ["Telegram VIP"]
    assert list(losers["campaign"]) == ["Spring banners"]
    assert losers.loc[0, "change"] < 0


def test_a_campaign_new_this_period_is_a_gainer_from_zero():
    now, before = steady_report(seed=1), steady_report(seed=1)
    before = before[before["campaign"] != "Telegram VIP"]
    gainers, _ = campaign_movers(now, before, "first_deposits_count")
    assert gainers.loc[0, "campaign"] == "Telegram VIP" and gainers.loc[0, "previous"] == 0
