"""The date control's presets: which from..to each one asks Affilka for."""

from __future__ import annotations

import datetime as dt

import pytest

from affilka_core.dates import PRESETS, preset_range

TODAY = dt.date(2026, 4, 22)  # a Wednesday, mid-month


def test_last_7_days_ends_yesterday_and_spans_seven_days():
    assert preset_range("Last 7 days", TODAY) == (dt.date(2026, 4, 15), dt.date(2026, 4, 21))


def test_last_30_days_ends_yesterday_and_spans_thirty_days():
    assert preset_range("Last 30 days", TODAY) == (dt.date(2026, 3, 23), dt.date(2026, 4, 21))


def test_last_90_days_crosses_month_boundaries():
    assert preset_range("Last 90 days", TODAY) == (dt.date(2026, 1, 22), dt.date(2026, 4, 21))


def test_month_to_date_runs_from_the_first_to_yesterday():
    assert preset_range("Month to date", TODAY) == (dt.date(2026, 4, 1), TODAY - dt.timedelta(days=1))


def test_month_to_date_on_the_first_is_the_whole_month_before():
    assert preset_range("Month to date", dt.date(2026, 5, 1)) == (dt.date(2026, 4, 1), dt.date(2026, 4, 30))


def test_last_n_days_on_the_first_of_january_ends_in_the_previous_year():
    assert preset_range("Last 7 days", dt.date(2027, 1, 1)) == (dt.date(2026, 12, 25), dt.date(2026, 12, 31))


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_gives_an_ordered_range_not_after_today(name):
    start, end = preset_range(name, TODAY)
    assert start <= end <= TODAY


def test_an_unknown_preset_is_refused():
    with pytest.raises(ValueError, match="unknown preset"):
        preset_range("Last fortnight", TODAY)
