"""Figures read well: the funnel's first stage, days without rows in the by-day panels."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from affilka_core.analysis import metrics
from affilka_core.outputs import charts
from tests.core.frames import steady_report

DAYS = pd.date_range("2026-04-01", "2026-04-10", freq="D")


def test_the_funnels_first_stage_shows_its_count_alone():
    fig = charts.funnel_figure([("Visits", 12000), ("Registrations", 900), ("First deposits", 210)])
    templates = fig.data[0].texttemplate
    assert "previous" not in templates[0]
    assert all("{percentPrevious:.1%} of previous" in t for t in templates[1:])


def test_gap_runs_group_consecutive_days():
    days = [dt.date(2026, 4, d) for d in (3, 4, 5, 9)]
    assert charts.gap_runs(days) == [
        (dt.date(2026, 4, 3), dt.date(2026, 4, 5)),
        (dt.date(2026, 4, 9), dt.date(2026, 4, 9)),
    ]


def test_days_without_rows_break_the_line_and_are_shaded_in_every_panel():
    frame = pd.DataFrame(
        {"date": DAYS, "visits_count": range(100, 110), "first_deposits_count": range(10)}
    ).drop(index=[3, 4])
    table = metrics.by_day(frame, span=(DAYS[0].date(), DAYS[-1].date()))
    gaps = metrics.gaps(frame)
    fig = charts.daily_figure(table, ["visits_count", "first_deposits_count"], gaps=gaps)
    spec = json.loads(fig.to_json())
    assert spec["data"][0]["y"][3] is None and spec["data"][0]["connectgaps"] is False
    rects = [s for s in spec["layout"]["shapes"] if s["type"] == "rect"]
    assert len(rects) == 2  # one run, shaded in each of the two panels
    assert {r["x0"] for r in rects} == {"2026-04-03 12:00:00"}
    assert {r["x1"] for r in rects} == {"2026-04-05 12:00:00"}


def test_only_the_first_run_of_days_without_rows_is_labelled():
    frame = pd.DataFrame({"date": DAYS, "visits_count": range(10)}).drop(index=[2, 6])
    fig = charts.daily_figure(metrics.by_day(frame), ["visits_count"], gaps=metrics.gaps(frame))
    assert [a.text for a in fig.layout.annotations if a.text != "Visits"] == ["no rows"]


def test_overlay_aligns_both_periods_by_day_and_names_each_days_own_date():
    from affilka_core.analysis.compare import overlay_by_day

    now = pd.DataFrame({"date": DAYS, "visits_count": range(200, 210)})
    before = pd.DataFrame({"date": DAYS - pd.Timedelta(days=10), "visits_count": range(100, 110)})
    fig = charts.overlay_figure(overlay_by_day(now, before, "visits_count"), "visits_count")
    previous, current = fig.data
    assert (previous.name, current.name) == ("Previous period", "This period")
    assert list(current.x) == list(previous.x) == list(range(1, 11))
    assert current.y[0] == 200 and previous.y[0] == 100
    assert (current.customdata[0], previous.customdata[0]) == ("2026-04-01", "2026-03-22")


def test_report_text_in_a_chart_shows_as_written_never_as_plotly_markup():
    frame = steady_report()
    frame["brand"] = (
        frame["brand"].astype(str).where(frame.index % 2 == 0, '<a href="https://evil.example">B</a>')
    )
    frame["campaign"] = frame["campaign"].astype(str).replace("Telegram VIP", "<b>VIP</b> & co")
    daily = charts.daily_figure(metrics.by_day(frame, split_brand=True), ["visits_count"], split_brand=True)
    ranked = charts.campaign_figure(metrics.by_campaign(frame, "visits_count"), "visits_count")
    names = [trace.name for trace in daily.data] + list(ranked.data[0].y)
    assert (
        '&lt;a href="https://evil.example"&gt;B&lt;/a&gt;' in names
        and "&lt;b&gt;VIP&lt;/b&gt; &amp; co" in names
    )
    assert not any("<a " in name or "<b>" in name for name in names)


def test_a_campaign_named_with_a_megabyte_is_shortened_in_the_middle_and_still_told_apart():
    frame = steady_report()
    # Alike at both ends, so shortened alike: the axis still needs two labels.
    long_a, long_b = (f"Spring {'x' * 500_000}{mid}{'x' * 500_000} end" for mid in "AB")
    frame["campaign"] = (
        frame["campaign"].astype(str).replace({"Telegram VIP": long_a, "SEO – slot reviews": long_b})
    )
    ranked = charts.campaign_figure(metrics.by_campaign(frame, "visits_count"), "visits_count")
    heat = charts.heatmap_figure(metrics.day_campaign_matrix(frame, "visits_count"), "visits_count")
    for figure in (ranked, heat):
        labels = list(figure.data[0].y)
        assert len(set(labels)) == len(labels) and max(map(len, labels)) <= charts.MAX_LABEL + 4
        assert len(figure.to_json()) < 50_000
    assert all(label.startswith("Spring xxx") for label in ranked.data[0].y if "…" in label)
