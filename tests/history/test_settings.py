"""affilka_core.history.settings: where the history lives, read from the environment (which wins over the
app's secret), and how long it keeps cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from affilka_core.errors import BadSetting
from affilka_core.history.settings import DEFAULT_DAYS, HistorySettings, shown_url

PG = "postgresql://affilka:s3cret@db.internal:5432/history"


def test_by_default_the_history_is_a_sqlite_file_under_the_working_directory_kept_90_days():
    settings = HistorySettings.from_env({})
    assert settings.url == f"sqlite:///{Path.cwd() / '.affilka' / 'history.sqlite3'}"
    assert settings.days == DEFAULT_DAYS == 90


def test_the_environment_wins_over_the_secret_and_the_secret_over_the_default():
    assert HistorySettings.from_env({"AFFILKA_HISTORY_URL": PG}, secret_url="sqlite:///x").url == PG
    assert HistorySettings.from_env({}, secret_url=PG).url == PG


def test_off_switches_the_history_off_even_when_a_secret_names_a_database():
    settings = HistorySettings.from_env({"AFFILKA_HISTORY_URL": "OFF"}, secret_url=PG)
    assert (settings.url, settings.on, settings.shown) == (None, False, "off")


def test_the_days_come_from_the_environment():
    assert HistorySettings.from_env({"AFFILKA_HISTORY_DAYS": "30"}).days == 30
    assert HistorySettings.from_env({"AFFILKA_HISTORY_DAYS": "0"}).days == 0


@pytest.mark.parametrize("value", ["a month", "-1", "1.5", "1e9"])
def test_days_that_are_not_a_whole_number_of_days_fail_at_start_naming_the_variable(value):
    with pytest.raises(BadSetting, match="AFFILKA_HISTORY_DAYS"):
        HistorySettings.from_env({"AFFILKA_HISTORY_DAYS": value})


def test_a_database_password_is_never_shown():
    settings = HistorySettings.from_env({"AFFILKA_HISTORY_URL": PG})
    assert "s3cret" not in repr(settings) + settings.shown + shown_url(PG)
    assert settings.shown == "postgresql://affilka:***@db.internal:5432/history"
