"""`affilka_mock.settings`: one `MockSettings` for what the mock serves, taken as keywords by `MockAffilka`
and as flags by `python -m affilka_mock.mock_server`."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re

import pytest
import requests

from affilka_mock.mock_server import MockAffilka, main
from affilka_mock.reports import ReportStyle
from affilka_mock.settings import MockSettings, add_setting_flags, settings_from_flags
from tests.support import TOKEN

END = dt.date(2026, 4, 21)
# The command line's contract: these flags, spelled so, besides --host and --port.
FLAGS = [
    "--token", "--days", "--end-date", "--brands", "--campaigns", "--page-size", "--latency-ms", "--seed",
    "--verbose", "--rate-limit", "--retry-after", "--rate-limit-page", "--server-errors",
    "--server-error-retry-after", "--always-status",
    "--html-error", "--truncate-json", "--slow-ms", "--currencies", "--drop-columns", "--empty", "--gap-days",
    "--redirect-to", "--error-body", "--error-status", "--error-message", "--totals-at", "--wrong-totals",
    "--wrong-totals-by", "--extra-day", "--currency-rows",
]  # fmt: skip


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(exit_on_error=False)
    add_setting_flags(p, required=("token",))
    return p


def flags(*argv: str) -> MockSettings:
    return settings_from_flags(parser().parse_args(argv))


# --- Keywords ------------------------------------------------------------------------------------------


def test_keywords_override_the_settings_given():
    base = MockSettings(token=TOKEN, days=5, campaigns=2, end_date=END)
    with MockAffilka(base, campaigns=3) as server:
        assert server.settings == dataclasses.replace(base, campaigns=3)
        response = requests.get(server.report_url(), timeout=10)
    assert len(response.json()["rows"]["data"]) == 5 * 3


def test_without_settings_the_keywords_are_the_settings():
    with MockAffilka(token=TOKEN, days=3, rate_limit=1) as server:
        assert server.settings == MockSettings(token=TOKEN, days=3, rate_limit=1)


def test_an_unknown_keyword_is_refused_before_a_port_is_taken():
    with pytest.raises(TypeError, match="dayz"):
        MockAffilka(token=TOKEN, dayz=3)


def test_lists_are_kept_as_tuples():
    settings = MockSettings(currencies=["EUR", "USD"], drop_columns=["ngr"])
    assert settings.currencies == ("EUR", "USD") and settings.drop_columns == ("ngr",)
    assert hash(settings)


@pytest.mark.parametrize("field", ["days", "brands", "campaigns", "page_size"])
def test_a_size_below_one_is_refused(field):
    with pytest.raises(ValueError, match=field):
        MockSettings(**{field: 0})


def test_no_currency_is_refused():
    with pytest.raises(ValueError, match="currency"):
        MockSettings(currencies=())


# --- Flags ---------------------------------------------------------------------------------------------


def test_every_setting_but_the_style_has_its_flag_and_no_other_flag_exists():
    assert re.findall(r"--[a-z-]+", parser().format_usage()) == FLAGS
    assert [f.name for f in dataclasses.fields(MockSettings) if f.name != "style"] == [
        flag[2:].replace("-", "_") for flag in FLAGS
    ]


def test_flags_default_to_the_settings_defaults():
    assert flags("--token", TOKEN) == MockSettings(token=TOKEN)


def test_flags_are_read_as_the_field_types():
    settings = flags(
        "--token", TOKEN, "--days", "5", "--end-date", "2026-04-21", "--currencies", "EUR, USD",
        "--always-status", "500", "--empty", "--redirect-to", "http://example.test/",
    )  # fmt: skip
    assert settings == MockSettings(
        token=TOKEN,
        days=5,
        end_date=END,
        currencies=("EUR", "USD"),
        always_status=500,
        empty=True,
        redirect_to="http://example.test/",
        style=ReportStyle(),
    )


def test_the_new_flags_are_read_as_their_field_types():
    settings = flags(
        "--token", TOKEN, "--retry-after", "5", "--rate-limit-page", "3", "--error-body", "ok-false",
        "--error-status", "422", "--error-message", "Column ngr is not available for your account",
        "--totals-at", "rows", "--wrong-totals", "partner_income, ngr", "--wrong-totals-by", "0.25",
        "--extra-day", "--currency-rows",
    )  # fmt: skip
    assert settings == MockSettings(
        token=TOKEN,
        retry_after=5,
        rate_limit_page=3,
        error_body="ok-false",
        error_status=422,
        error_message="Column ngr is not available for your account",
        totals_at="rows",
        wrong_totals=("partner_income", "ngr"),
        wrong_totals_by=0.25,
        extra_day=True,
        currency_rows=True,
    )


def test_by_default_totals_are_right_at_the_top_level_and_no_error_body_is_sent():
    settings = MockSettings()
    assert (settings.totals_at, settings.wrong_totals, settings.wrong_totals_by) == ("top", (), 0.1)
    assert (settings.error_body, settings.error_status, settings.error_message) == (
        None,
        200,
        "Invalid date range",
    )
    assert (settings.extra_day, settings.currency_rows, settings.retry_after, settings.rate_limit_page) == (
        False,
        False,
        1,
        None,
    )


@pytest.mark.parametrize(("flag", "value"), [("--error-body", "text"), ("--totals-at", "middle")])
def test_a_choice_flag_refuses_other_values(flag, value):
    with pytest.raises(argparse.ArgumentError, match=flag[2:]):
        flags("--token", TOKEN, flag, value)


@pytest.mark.parametrize(
    ("keywords", "named"),
    [
        ({"error_body": "text"}, "error_body"),
        ({"totals_at": "middle"}, "totals_at"),
        ({"error_status": 42}, "error_status"),
        ({"wrong_totals": ("ngr",), "wrong_totals_by": 0}, "wrong_totals_by"),
        ({"retry_after": -1}, "retry_after"),
        ({"rate_limit_page": 0}, "rate_limit_page"),
    ],
)
def test_settings_out_of_range_are_refused_naming_the_field(keywords, named):
    with pytest.raises(ValueError, match=named):
        MockSettings(**keywords)


def test_help_lists_every_flag_with_its_help(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--help"])
    assert stopped.value.code == 0
    text = capsys.readouterr().out
    squeezed = "".join(text.split())  # help wraps at any space (and hyphen)
    for f in dataclasses.fields(MockSettings):
        if f.name == "style":
            continue
        assert re.search(rf"^  --{f.name.replace('_', '-')}\b", text, re.MULTILINE), f.name
        help_text = f.metadata["help"] % {"default": f.default}
        assert "".join(help_text.split()) in squeezed, f.name


def test_the_command_line_must_name_a_token(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--days", "5"])
    assert stopped.value.code == 2 and "--token" in capsys.readouterr().err


def test_a_date_that_is_not_iso_is_refused():
    with pytest.raises(argparse.ArgumentError, match="end-date"):
        flags("--token", TOKEN, "--end-date", "21/04/2026")
