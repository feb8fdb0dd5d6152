"""What stands out: each kind of finding on generated data with a planted anomaly, named with its
campaign and dates; and steady data, at any noise level, raising nothing above info."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from affilka_core.analysis.insights import find_insights
from tests.core.frames import START, steady_report


def _day(n: int) -> pd.Timestamp:
    return pd.Timestamp(START + dt.timedelta(days=n))


def _planted(frame: pd.DataFrame, campaign: str, first_day: int, last_day: int | None = None) -> pd.Series:
    dates = frame["date"]
    mask = (frame["campaign"] == campaign) & (dates >= _day(first_day))
    if last_day is not None:
        mask &= dates <= _day(last_day)
    return mask


def _kinds(findings) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in findings:
        out.setdefault(f.id, []).append(f)
    return out


def test_a_campaign_whose_first_deposits_stop_is_named_with_the_day_they_stopped():
    frame = steady_report()
    frame.loc[_planted(frame, "SEO – slot reviews", 20), "first_deposits_count"] = 0
    found = _kinds(find_insights(frame))["stopped_converting"]
    assert [(f.campaign, f.date_from, f.date_to, f.severity) for f in found] == [
        ("SEO – slot reviews", "2026-04-21", "2026-04-30", "high")
    ]


def test_a_campaign_that_stopped_and_recovered_is_medium_with_the_days_it_stopped():
    frame = steady_report()
    frame.loc[_planted(frame, "Spring banners", 10, 16), "first_deposits_count"] = 0
    found = _kinds(find_insights(frame))["stopped_converting"]
    assert [(f.campaign, f.date_from, f.date_to, f.severity) for f in found] == [
        ("Spring banners", "2026-04-11", "2026-04-17", "medium")
    ]


def test_a_one_day_visits_spike_with_no_sign_ups_is_named_with_its_day():
    frame = steady_report()
    spike = _planted(frame, "Telegram VIP", 14, 14)
    frame.loc[spike, "visits_count"] = 6_000
    frame.loc[spike, ["registrations_count", "first_deposits_count"]] = 0
    found = _kinds(find_insights(frame))["traffic_spike"]
    assert [(f.campaign, f.date_from, f.date_to, f.severity) for f in found] == [
        ("Telegram VIP", "2026-04-15", "2026-04-15", "high")
    ]


def test_a_spike_whose_visitors_sign_up_as_usual_is_not_a_finding():
    frame = steady_report()
    spike = _planted(frame, "Telegram VIP", 14, 14)
    frame.loc[spike, "visits_count"] = 6_000
    frame.loc[spike, "registrations_count"] = 540
    assert "traffic_spike" not in _kinds(find_insights(frame))


def test_a_sharp_fall_in_the_registration_rate_is_found_against_the_campaigns_own_baseline():
    frame = steady_report()
    late = _planted(frame, "Spring banners", 23)
    frame.loc[late, "registrations_count"] = (frame.loc[late, "visits_count"] * 0.03).astype(int)
    found = _kinds(find_insights(frame))["registration_rate_fall"]
    assert [(f.campaign, f.date_to, f.severity) for f in found] == [
        ("Spring banners", "2026-04-30", "medium")
    ]


def test_negative_ngr_days_are_listed():
    frame = steady_report()
    frame.loc[frame["date"] == _day(5), "ngr"] = -5_000.0
    (found,) = _kinds(find_insights(frame))["negative_ngr"]
    assert (found.date_from, found.date_to, found.severity) == ("2026-04-06", "2026-04-06", "medium")


def test_days_with_no_rows_at_all_are_found():
    frame = steady_report()
    frame = frame[~frame["date"].isin([_day(8), _day(9)])]
    (found,) = _kinds(find_insights(frame))["days_without_data"]
    assert (found.date_from, found.date_to) == ("2026-04-09", "2026-04-10")
    assert "2 days" in found.title


def test_a_week_grouped_report_raises_no_missing_days():
    frame = steady_report(days=70)
    weekly = frame[frame["date"].dt.day_of_week == 0]
    assert "days_without_data" not in _kinds(find_insights(weekly, grouping="week"))


def test_income_concentrated_in_one_campaign_is_said():
    frame = steady_report()
    frame.loc[frame["campaign"] == "Spring banners", "partner_income"] *= 30
    (found,) = _kinds(find_insights(frame))["income_concentration"]
    assert found.campaign == "Spring banners" and found.severity == "medium"


def test_findings_are_ranked_high_first():
    frame = steady_report()
    frame.loc[frame["date"] == _day(5), "ngr"] = -5_000.0
    frame.loc[_planted(frame, "SEO – slot reviews", 20), "first_deposits_count"] = 0
    severities = [f.severity for f in find_insights(frame)]
    assert severities == sorted(severities, key=["high", "medium", "info"].index)
    assert severities[0] == "high"


def test_each_finding_has_the_json_shape_tools_read():
    frame = steady_report()
    frame.loc[_planted(frame, "SEO – slot reviews", 20), "first_deposits_count"] = 0
    for finding in find_insights(frame):
        assert list(finding.to_dict()) == [
            "id", "severity", "title", "detail", "campaign", "date_from", "date_to"
        ]  # fmt: skip


@pytest.mark.parametrize("columns", [["visits_count"], ["first_deposits_count"], []])
def test_a_report_lacking_metrics_gives_what_it_can_without_failing(columns):
    frame = steady_report()[["date", "campaign", *columns]]
    assert all(f.severity in ("high", "medium", "info") for f in find_insights(frame))


def test_an_empty_report_has_no_findings():
    assert find_insights(steady_report().iloc[0:0]) == []


@given(seed=st.integers(0, 2**32 - 1), dispersion=st.sampled_from([0.0, 0.05, 0.15, 0.3]))
def test_steady_reports_raise_nothing_above_info_at_any_noise_level(seed, dispersion):
    findings = find_insights(steady_report(seed=seed, dispersion=dispersion))
    assert [f for f in findings if f.severity != "info"] == []


def test_negative_ngr_names_its_currency():
    frame = steady_report().assign(currency="EUR")
    frame.loc[frame["date"] == _day(5), "ngr"] = -5_000.0
    (found,) = _kinds(find_insights(frame))["negative_ngr"]
    assert "EUR)" in found.detail


def test_negative_ngr_in_one_currency_is_not_hidden_by_another_currencys_gains():
    eur = steady_report().assign(currency="EUR")
    usd = steady_report().assign(currency="USD")
    eur.loc[eur["date"] == _day(5), "ngr"] = -5.0  # small in EUR; USD's NGR that day is far larger
    (found,) = _kinds(find_insights(pd.concat([eur, usd])))["negative_ngr"]
    assert found.date_from == "2026-04-06"
