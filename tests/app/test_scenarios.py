"""Demo scenarios: each picked next to "Try with demo data", diagnosed through the same checks as a pasted
URL with no network; the URL check page shows its checklist and verdict, Performance its data, both
marked as a scenario."""

from __future__ import annotations

import pytest

from affilka_core.checks.model import Status
from affilka_core.scenarios import DEMO_TOKEN, SCENARIO_BY_KEY, SCENARIOS
from app_pages._ui.routes import DATA, PERFORMANCE
from tests.app.driver import checked, click, loaded, open_page, paste, report_of, step_header, texts
from tests.support import GUIDE_URL


def pick(at, key: str):
    return checked(at.selectbox(key="scenario_pick").select(key).run())


def test_try_with_demo_data_offers_every_scenario(home):
    picker = home.selectbox(key="scenario_pick")
    assert len(picker.options) == len(SCENARIOS) == 7
    assert [o.split(" — ")[0] for o in picker.options] == [s.label for s in SCENARIOS]


@pytest.mark.parametrize(
    ("key", "check_id", "verdict"),
    [
        ("several_brands", "data.multi_brand", "**Not usable yet"),
        ("missing_columns", "columns.required", "**Not usable yet"),
        ("expired_token", "fetch.unauthorized", "**Not usable yet"),
        ("empty_report", "data.empty", "**Not usable yet"),
        (
            "rate_limited",
            "fetch.rate_limited",
            "**Could not verify now.** The report did not come back now",
        ),
    ],
)
def test_each_problem_scenario_shows_its_failing_check_and_verdict(home, key, check_id, verdict):
    at = pick(home, key)
    diagnosis = loaded(at).diagnosis
    failing = diagnosis.by_id(check_id)
    assert failing is not None and failing.status == Status.FAIL
    assert step_header(at, failing.step).startswith("#### ⏳" if failing.temporary else "#### ❌")
    assert any(box.value.startswith(verdict) for box in [*at.error, *at.warning])
    assert failing.title in "\n".join(m.value for m in at.markdown)
    assert f"Demo scenario: {SCENARIO_BY_KEY[key].label}" in texts(at)


def test_the_healthy_scenario_is_ready_for_casinoflux(home):
    at = pick(home, "healthy")
    assert at.success[0].value.startswith("**Ready for CasinoFlux.**")
    assert report_of(at) is not None


def test_a_scenario_never_shows_its_token_in_clear(home):
    at = pick(home, "expired_token")
    ticket = "\n".join(c.value for c in at.code)
    assert "d7e4…1b0c" in ticket and DEMO_TOKEN not in ticket and DEMO_TOKEN not in texts(at)


def test_performance_shows_the_scenarios_data_with_a_badge(home):
    at = open_page(pick(home, "several_brands"), PERFORMANCE)
    assert "Demo scenario: Several brands" in texts(at)
    assert at.error[0].value.startswith("**This report mixes 3 brands**")


def test_the_empty_report_scenario_leaves_performance_nothing_to_chart(home):
    at = open_page(pick(home, "empty_report"), PERFORMANCE)
    assert any("The report has no rows" in i.value for i in at.info)


@pytest.mark.parametrize("page", [PERFORMANCE, DATA])
def test_a_failed_fetch_scenario_says_it_has_no_data_rather_than_asking_for_a_url(home, page):
    at = open_page(pick(home, "expired_token"), page)
    assert "This scenario has no data to show." in at.info[0].value
    assert SCENARIO_BY_KEY["expired_token"].shows in at.info[0].value
    assert "No report is loaded yet" not in texts(at)


def test_pasting_a_url_replaces_the_scenario(home):
    at = paste(pick(home, "expired_token"), GUIDE_URL)
    assert loaded(at) is None
    assert "Demo scenario" not in texts(at)


def test_plain_demo_data_replaces_the_scenario(home):
    at = click(pick(home, "stopped_converting"), "Try with demo data")
    assert loaded(at).scenario is None and at.session_state["scenario_pick"] is None
    assert "Demo data loaded" in at.success[0].value


def test_demo_data_with_a_url_pasted_says_the_data_pages_show_the_demo_not_the_url(home):
    at = click(paste(home, GUIDE_URL), "Try with demo data")
    note = next(i.value for i in at.info if i.value.startswith("**Demo data loaded:**"))
    assert "not this URL's report" in note and "Fetch report" in note


def test_a_scenario_without_data_says_so_in_the_sidebar_and_names_no_fetch_button(home):
    at = pick(home, "expired_token")
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "This scenario has no data" in sidebar and "paste a URL" not in sidebar
    assert "click Fetch again" not in texts(at)


def test_a_scenario_with_data_is_named_once_in_the_sidebar(home):
    at = pick(home, "stopped_converting")
    named = [m.value for m in at.sidebar.markdown if "A campaign stopped converting" in m.value]
    assert len(named) == 1 and named[0].startswith("**🎬 Demo scenario**")
