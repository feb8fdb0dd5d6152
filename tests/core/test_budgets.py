"""Every budget is named once and read once: an environment value out of range or not a number fails at
start, naming the variable, what it holds and what it accepts; never a silent default, never a watchdog
killed by a number it cannot wait for."""

from __future__ import annotations

import pytest

from affilka_core import budgets
from affilka_core.catalogue import CheckId
from affilka_core.checks.advice import retry_when
from affilka_core.diagnosis import diagnose_url
from affilka_core.errors import BadSetting
from affilka_core.fetch.page import retry_after_seconds
from affilka_core.fetch.settings import FetchSettings
from affilka_mock.mock_server import MockAffilka
from tests.support import TOKEN, fast_settings


@pytest.mark.parametrize("budget", budgets.ENVIRONMENT, ids=lambda b: b.env)
@pytest.mark.parametrize("value", ["abc", "nan", "NaN", "inf", "-inf", "-5", "1e400"])
def test_a_value_that_is_not_a_usable_number_fails_at_start_naming_the_variable(budget, value):
    with pytest.raises(BadSetting) as failed:
        FetchSettings.from_env({budget.env: value})
    message = str(failed.value)
    assert message.startswith(f"{budget.env} is {value!r}")
    assert f"give {budget.unit} from " in message and "(default " in message


def test_a_page_deadline_of_1e10_seconds_is_refused_instead_of_killing_every_watchdog():
    with pytest.raises(BadSetting, match=r"AFFILKA_PAGE_DEADLINE is '1e10', out of range: give seconds "):
        FetchSettings.from_env({"AFFILKA_PAGE_DEADLINE": "1e10"})


@pytest.mark.parametrize("value", ["0", "-5", "0.05"])
def test_a_page_deadline_of_zero_or_less_is_refused_rather_than_made_a_tenth_of_a_second(value):
    with pytest.raises(BadSetting, match=r"out of range: give seconds from 0.1 to 3,600 \(default 120\)"):
        FetchSettings.from_env({"AFFILKA_PAGE_DEADLINE": value})


@pytest.mark.parametrize("budget", [b for b in budgets.ENVIRONMENT if b.whole], ids=lambda b: b.env)
def test_a_fraction_where_a_whole_number_is_needed_is_refused(budget):
    with pytest.raises(BadSetting, match=rf"{budget.env} is '2.5', not a whole number"):
        FetchSettings.from_env({budget.env: "2.5"})


def test_an_empty_variable_reads_as_unset():
    assert FetchSettings.from_env({b.env: " " for b in budgets.ENVIRONMENT}) == FetchSettings.from_env({})


def test_every_budget_of_the_environment_reaches_the_settings():
    settings = FetchSettings.from_env(
        {
            "AFFILKA_PAGE_DEADLINE": "30",
            "AFFILKA_REPORT_DEADLINE": "90",
            "AFFILKA_BATCH_DEADLINE": "600",
            "AFFILKA_MAX_BYTES": "1e6",
            "AFFILKA_MAX_REPORT_BYTES": "4000000",
            "AFFILKA_MAX_ROWS": "250000",
            "AFFILKA_MAX_BATCH_URLS": "500",
            "AFFILKA_HOST_CONCURRENCY": "2",
        }
    )
    assert (settings.page_deadline, settings.whole_report_deadline, settings.batch_deadline) == (30, 90, 600)
    assert (settings.max_bytes, settings.max_report_bytes, settings.max_rows) == (
        1_000_000,
        4_000_000,
        250_000,
    )
    assert (settings.max_batch_urls, settings.host_concurrency) == (500, 2)


def test_the_report_deadline_is_five_page_deadlines_unless_set():
    assert FetchSettings.from_env({"AFFILKA_PAGE_DEADLINE": "20"}).whole_report_deadline == 100
    assert FetchSettings(page_deadline=2).whole_report_deadline == 10
    assert FetchSettings(page_deadline=2, report_deadline=3).whole_report_deadline == 3


def test_the_defaults_are_the_budgets_own():
    settings = FetchSettings.from_env({})
    assert settings.page_deadline == budgets.PAGE_DEADLINE.default == 120
    assert settings.whole_report_deadline == 600
    assert settings.max_rows == budgets.REPORT_ROWS.default == 2_000_000
    assert settings.max_batch_urls == budgets.BATCH_URLS.default == 2_000
    assert settings.max_report_bytes == budgets.REPORT_BYTES.default == 200 * 1024 * 1024


# --- Retry-After ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["9" * 400, "1" + "0" * 5000, "3601", "99999999999.5", "Fri, 31 Dec 9999 23:59:59 GMT"]
)
def test_a_retry_after_beyond_an_hour_is_read_as_an_hour_before_any_arithmetic(header):
    assert retry_after_seconds(header) == budgets.MAX_RETRY_AFTER == 3600


@pytest.mark.parametrize(("header", "seconds"), [("0", 0.0), ("8", 8.0), ("007", 7.0), ("2.5", 2.5)])
def test_a_retry_after_within_an_hour_is_read_as_it_is(header, seconds):
    assert retry_after_seconds(header) == seconds


@pytest.mark.parametrize("seconds", [3600.0, 1e300, float("inf")])
def test_a_wait_of_an_hour_or_more_is_said_as_such_never_as_billions_of_minutes(seconds):
    assert retry_when(seconds) == "in an hour or more (Affilka asked to wait at least an hour)"


def test_a_wait_under_an_hour_is_said_in_minutes_or_seconds():
    assert retry_when(90) == "in 2 minutes (Affilka asked to wait 90 s)"
    assert retry_when(8) == "in 8 s (Affilka asked to wait that long)"
    assert retry_when(float("nan")) == retry_when(None) == "in a few minutes"


def test_a_429_with_a_retry_after_of_400_digits_fails_the_fetch_saying_when_to_try_again():
    with MockAffilka(token=TOKEN, days=3, campaigns=2, rate_limit=5, retry_after=10**400) as mock:
        diagnosis = diagnose_url(mock.report_url(), settings=fast_settings(mock.host_port))
    failed = diagnosis.failed_fetch
    assert failed is not None and failed.id == CheckId.FETCH_RATE_LIMITED
    assert diagnosis.verdict.code == "retry"
    assert "try again in an hour or more (Affilka asked to wait at least an hour)" in failed.fix
    assert "asked to wait an hour or more" in failed.detail
