"""Every URL check id, passing and failing, as CasinoFlux's guide describes them."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from affilka_core import Status, check_url
from affilka_core.catalogue import URL_CHECK_IDS, step_of
from affilka_core.checks.guide_status import guide_status
from affilka_core.checks.verdict import verdict
from affilka_core.fetch.settings import FetchSettings
from tests.support import GUIDE_URL, TOKEN, without_param


def status(url: str, check_id: str) -> Status:
    c = check_url(url).by_id(check_id)
    assert c is not None
    return c.status


def check(url: str, check_id: str):
    c = check_url(url).by_id(check_id)
    assert c is not None
    return c


def test_guide_url_passes_every_url_check_but_the_unprovable_brand_filter():
    result = check_url(GUIDE_URL)
    assert result.ok
    assert {c.id for c in result.checks} == set(URL_CHECK_IDS)
    for c in result.checks:
        expected = Status.WARN if c.id == "brand.filter" else Status.PASS
        assert c.status == expected, c
        assert c.step == step_of(c.id)


def test_checks_come_in_guide_step_order():
    steps = [c.step for c in check_url(GUIDE_URL).checks]
    assert steps == sorted(steps) and set(steps) == set(range(1, 8))


def test_every_failing_check_carries_a_fix_and_passing_ones_do_not():
    broken = GUIDE_URL.replace("period=custom", "period=today").replace("page=1", "page=2")
    for c in check_url(broken).checks:
        assert bool(c.fix) == (c.status != Status.PASS), c


# url.parse ----------------------------------------------------------------------------------------


def test_url_parse_fails_on_text_that_is_not_a_url():
    result = check_url("please fix my affilka")
    assert not result.ok
    assert result.by_id("url.parse").status == Status.FAIL
    assert {c.id for c in result.checks} == set(URL_CHECK_IDS)


def test_url_parse_says_https_for_http_urls():
    c = check(GUIDE_URL.replace("https://", "http://"), "url.parse")
    assert c.status in (Status.WARN, Status.FAIL)
    assert "https" in c.detail + c.fix


def test_a_public_http_url_is_not_ok_and_says_why():
    result = check_url(GUIDE_URL.replace("https://", "http://"))
    c = result.by_id("url.parse")
    assert not result.ok and c.status == Status.FAIL
    assert "unencrypted" in c.detail and "never fetched over http" in c.detail


def test_the_suggestion_for_a_public_http_url_uses_https():
    result = check_url(GUIDE_URL.replace("https://", "http://").replace("page=1", "page=2"))
    assert result.suggested.startswith("https://primetime.partners/")


def test_an_allowed_host_may_keep_http():
    settings = FetchSettings.from_env({"AFFILKA_ALLOW_PRIVATE_HOSTS": "127.0.0.1:8765"})
    url = GUIDE_URL.replace("https://primetime.partners", "http://127.0.0.1:8765")
    result = check_url(url.replace("page=1", "page=2"), allow_hosts=settings.allow_private_hosts)
    assert result.by_id("url.parse").status == Status.PASS
    assert result.suggested.startswith("http://127.0.0.1:8765/")
    listed = check_url(url, allow_hosts={"127.0.0.1"})
    assert listed.by_id("url.parse").status == Status.PASS
    assert check_url(url, allow_hosts=set()).by_id("url.parse").status == Status.FAIL


def test_text_that_is_not_a_url_is_one_thing_to_fix_not_twelve():
    result = check_url("please fix my affilka")
    failing = [c for c in result.checks if c.status == Status.FAIL]
    assert [c.id for c in failing] == ["url.parse"]
    others = [c for c in result.checks if c.id != "url.parse"]
    assert {c.status for c in others} == {Status.WARN} and {c.title for c in others} == {"Not checked"}
    v = verdict(result.checks)
    assert (v.fails, v.warns, v.code) == (1, 0, "fix")
    assert v.sentence == "Not usable yet: 1 to fix, 0 to look at."


def test_steps_of_text_that_is_not_a_url_are_not_checked_but_step_7():
    statuses = {s.step.number: s.status for s in guide_status(check_url("hello").checks)}
    assert statuses == {1: None, 2: None, 3: None, 4: None, 5: None, 6: None, 7: Status.FAIL}


def test_two_urls_pasted_fail_url_parse_and_point_at_batch_check():
    c = check(GUIDE_URL + "\n" + GUIDE_URL.replace("2026-04-01", "2026-03-01"), "url.parse")
    assert c.status == Status.FAIL and c.title == "2 URLs pasted"
    line = f"{c.title} — {c.detail}"  # as the CLI and the checklist show it
    assert line.startswith("2 URLs pasted — Check them one at a time, or all together with Batch check")
    assert line.count("URLs pasted") == 1
    three = check(" ".join([GUIDE_URL] * 3), "url.parse")
    assert three.title == "3 URLs pasted"


def test_url_parse_fails_on_a_truncated_url():
    c = check(GUIDE_URL[: GUIDE_URL.index("token=") + 12], "url.parse")
    assert c.status == Status.FAIL and "cut off" in c.title


def test_a_url_cut_in_half_has_one_thing_to_fix_the_cut_not_the_columns_it_lost():
    result = check_url(GUIDE_URL[: len(GUIDE_URL) // 2])
    v = verdict(result.checks)
    assert v.fails == 1 and result.by_id("url.parse").status == Status.FAIL
    columns = result.by_id("columns.required")
    assert columns.status == Status.WARN and not columns.checked
    # One cause, one fix: the cut's, on url.parse; what it kept from being checked only points at it.
    assert (
        columns.title.startswith("Not checked: the URL is cut off") and columns.fix == "See “URL is cut off”."
    )
    assert "copy it again" in result.by_id("url.parse").fix


def test_url_parse_fails_without_scheme():
    assert status(GUIDE_URL.removeprefix("https://"), "url.parse") == Status.FAIL


# url.encoding -------------------------------------------------------------------------------------


def test_url_encoding_fails_on_double_encoding_and_says_encoded():
    c = check(GUIDE_URL.replace("%5B%5D", "%255B%255D"), "url.encoding")
    assert c.status == Status.FAIL and "encoded" in c.detail


def test_url_encoding_fails_on_html_entities():
    assert status(GUIDE_URL.replace("&", "&amp;"), "url.encoding") == Status.FAIL


def test_url_encoding_passes_on_decoded_brackets():
    assert status(GUIDE_URL.replace("%5B%5D", "[]"), "url.encoding") == Status.PASS


def test_double_encoded_url_reads_its_columns_once_repaired():
    result = check_url(GUIDE_URL.replace("%5B%5D", "%255B%255D"))
    assert result.by_id("columns.required").status == Status.PASS


# endpoint -----------------------------------------------------------------------------------------


def test_endpoint_fails_on_a_dashboard_page():
    c = check(GUIDE_URL.replace("/api/client/partner/report.json", "/partner/reports/statistics"), "endpoint")
    assert c.status == Status.FAIL and "Reports → Statistics" in c.fix


def test_endpoint_explains_the_customer_api():
    c = check(
        GUIDE_URL.replace("/api/client/partner/report.json", "/api/customer/v1/partner/report"), "endpoint"
    )
    assert c.status == Status.FAIL and "Customer API" in c.title and "header" in c.detail


# columns ------------------------------------------------------------------------------------------


def test_columns_required_names_each_missing_column():
    url = without_param(without_param(GUIDE_URL, "columns%5B%5D=ngr"), "columns%5B%5D=fixed_per_player")
    c = check(url, "columns.required")
    assert c.status == Status.FAIL
    assert "ngr" in c.detail and "fixed_per_player" in c.detail and "visits_count" not in c.detail
    assert "Affiliate Manager" in c.fix


def test_columns_unknown_warns_and_suggests_the_closest_name():
    c = check(GUIDE_URL.replace("&name=", "&columns%5B%5D=deposit_sum&name="), "columns.unknown")
    assert c.status == Status.WARN and "deposits_sum" in c.detail


def test_columns_unknown_accepts_sportsbook_and_poker_variants():
    url = GUIDE_URL.replace("&name=", "&columns%5B%5D=sb_ggr&columns%5B%5D=poker_rake&name=")
    assert status(url, "columns.unknown") == Status.PASS


# group_by -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("dimension", ["day", "brand", "campaign"])
def test_group_by_fails_without_each_required_dimension(dimension):
    c = check(without_param(GUIDE_URL, f"group_by%5B%5D={dimension}"), "group_by.required")
    assert c.status == Status.FAIL and dimension in c.detail


def test_group_by_says_month_instead_of_day():
    c = check(GUIDE_URL.replace("group_by%5B%5D=day", "group_by%5B%5D=month"), "group_by.required")
    assert "month instead of day" in c.detail and "Period — Day" in c.fix


# brand, period, dates, format ---------------------------------------------------------------------


def test_brand_filter_warns_from_the_url_alone():
    assert status(GUIDE_URL, "brand.filter") == Status.WARN


@pytest.mark.parametrize("period", ["period=last_month", "period=", "period=CUSTOM"])
def test_period_fails_when_not_custom(period):
    assert status(GUIDE_URL.replace("period=custom", period), "period.custom") == Status.FAIL


def test_period_fails_when_missing():
    assert status(without_param(GUIDE_URL, "period=custom"), "period.custom") == Status.FAIL


@pytest.mark.parametrize(
    "change",
    [
        ("from=2026-04-01", "from=01.04.2026"),
        ("to=2026-04-21", "to=2026-02-30"),
        ("from=2026-04-01", "from=2026-05-01"),
        ("from=2026-04-01&", ""),
    ],
)
def test_dates_fail_when_missing_malformed_or_reversed(change):
    assert status(GUIDE_URL.replace(*change), "dates.range") == Status.FAIL


def test_dates_pass_names_the_range():
    c = check(GUIDE_URL, "dates.range")
    assert c.status == Status.PASS and "21 days" in c.detail


def test_format_fails_for_csv_export():
    c = check(GUIDE_URL.replace("report.json", "report.csv"), "format.json")
    assert c.status == Status.FAIL and "JSON" in c.fix


# token, page --------------------------------------------------------------------------------------


def test_token_fails_when_missing_or_empty():
    assert status(without_param(GUIDE_URL, f"token={TOKEN}"), "token.present") == Status.FAIL
    assert status(GUIDE_URL.replace(f"token={TOKEN}", "token="), "token.present") == Status.FAIL


def test_token_pass_shows_it_masked():
    c = check(GUIDE_URL, "token.present")
    assert c.status == Status.PASS and "b7e3…5678" in c.detail and TOKEN not in c.detail


@pytest.mark.parametrize("page", ["page=2", "page=0", "page=first"])
def test_page_fails_when_not_one(page):
    assert status(GUIDE_URL.replace("page=1", page), "page.first") == Status.FAIL


# the result ---------------------------------------------------------------------------------------


def test_result_json_shape_masks_the_token():
    data = check_url(GUIDE_URL.replace("period=custom", "period=today")).to_dict()
    assert set(data) == {"url", "ok", "verdict", "checks", "suggested_url"}
    assert data["ok"] is False
    assert TOKEN not in str(data)
    assert set(data["checks"][0]) == {"id", "step", "status", "title", "detail", "fix"}


def test_result_json_shows_the_token_only_when_asked():
    assert TOKEN in str(check_url(GUIDE_URL).to_dict(show_token=True))


# filters.narrowing ---------------------------------------------------------------------------------


def with_params(extra: str, url: str = GUIDE_URL) -> str:
    """The URL with `extra` (already encoded, `&`-joined) inserted before `&name=`."""
    return url.replace("&name=", f"&{extra}&name=")


def test_filters_narrowing_passes_without_campaign_or_promo_filters():
    c = check(GUIDE_URL, "filters.narrowing")
    assert c.status == Status.PASS and c.step == 4


def test_filters_narrowing_warns_and_names_the_campaigns_and_promo_codes():
    url = with_params("campaign_ids%5B%5D=1201&campaign_ids%5B%5D=1377&promo_codes%5B%5D=SPRING25")
    c = check(url, "filters.narrowing")
    assert c.status == Status.WARN
    assert "campaign_ids = 1201, 1377" in c.detail and "promo_codes = SPRING25" in c.detail
    assert "CasinoFlux will only see those" in c.detail


def test_filters_narrowing_names_strategies_too():
    c = check(with_params("strategies%5B%5D=cpa_eu"), "filters.narrowing")
    assert c.status == Status.WARN and "strategies = cpa_eu" in c.detail


def test_a_brand_filter_is_not_narrowing():
    assert status(with_params("brand_ids%5B%5D=7"), "filters.narrowing") == Status.PASS


# currency.conversion -------------------------------------------------------------------------------


def test_currency_conversion_passes_when_on_with_a_currency():
    c = check(GUIDE_URL, "currency.conversion")
    assert c.status == Status.PASS and c.step == 5 and "EUR" in c.title


def test_currency_conversion_counts_1_as_on():
    url = GUIDE_URL.replace("convert_all_currencies=true", "convert_all_currencies=1")
    assert status(url, "currency.conversion") == Status.PASS


def test_currency_conversion_warns_when_absent():
    url = without_param(without_param(GUIDE_URL, "convert_all_currencies=true"), "conversion_currency=EUR")
    c = check(url, "currency.conversion")
    assert c.status == Status.WARN and "absent" in c.detail and "convert_all_currencies=true" in c.fix


def test_currency_conversion_warns_when_false():
    url = GUIDE_URL.replace("convert_all_currencies=true", "convert_all_currencies=false")
    c = check(url, "currency.conversion")
    assert c.status == Status.WARN and "convert_all_currencies=false" in c.detail


def test_currency_conversion_warns_when_on_without_a_currency():
    c = check(without_param(GUIDE_URL, "conversion_currency=EUR"), "currency.conversion")
    assert c.status == Status.WARN and "no conversion_currency" in c.detail


# group_by.required, dates.range, columns.required: forms seen in the wild -----------------------------


def test_group_by_with_two_date_groupers_fails_naming_them():
    c = check(
        GUIDE_URL.replace("group_by%5B%5D=day", "group_by%5B%5D=day&group_by%5B%5D=month"),
        "group_by.required",
    )
    assert c.status == Status.FAIL and c.title == "More than one date grouper"
    assert "2 date groupers (day, month)" in c.detail and "not Month" in c.fix


def test_group_by_date_is_said_to_be_day():
    c = check(GUIDE_URL.replace("group_by%5B%5D=day", "group_by%5B%5D=date"), "group_by.required")
    assert c.status == Status.FAIL and "Missing: day" in c.detail
    assert "'date', which Affilka does not know: the period grouper is 'day'" in c.detail


def test_group_by_month_instead_of_day_is_said():
    c = check(GUIDE_URL.replace("group_by%5B%5D=day", "group_by%5B%5D=month"), "group_by.required")
    assert c.status == Status.FAIL and "grouped by month instead of day" in c.detail


def test_dates_as_datetimes_say_yyyy_mm_dd():
    url = GUIDE_URL.replace("from=2026-04-01", "from=2026-04-01T00:00:00Z")
    c = check(url, "dates.range")
    assert c.status == Status.FAIL
    assert "'from=2026-04-01T00:00:00Z' is a date and time" in c.detail
    assert "YYYY-MM-DD (from=2026-04-01)" in c.detail


def test_dates_that_are_neither_say_not_a_date():
    c = check(GUIDE_URL.replace("from=2026-04-01", "from=April"), "dates.range")
    assert c.status == Status.FAIL and "not a date in YYYY-MM-DD form" in c.detail


def test_columns_as_a_json_array_are_recognised_and_columns_brackets_asked_for():
    start, end = GUIDE_URL.index("&columns%5B%5D="), GUIDE_URL.index("&group_by")
    names = ",".join(f'"{n}"' for n in ("visits_count", "registrations_count", "ngr"))
    url = GUIDE_URL[:start] + "&columns=" + quote(f"[{names}]") + GUIDE_URL[end:]
    c = check(url, "columns.required")
    assert c.status == Status.FAIL and c.title == "Columns written as a JSON array"
    assert "3 names" in c.detail and "columns[]=" in c.detail and "columns[]=" in c.fix
    assert "partner_income" in c.detail  # still named as missing
    suggested = check_url(url).suggested
    assert "columns=" not in suggested.replace("columns%5B%5D=", "")
    assert "columns%5B%5D=visits_count" in suggested


def test_no_authored_check_text_holds_markdown_backticks_that_a_page_would_show_literally():
    import ast
    from pathlib import Path

    import affilka_core

    root = Path(affilka_core.__file__).parent
    found = []
    for folder in ("checks", "url", "analysis"):
        for path in (root / folder).glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                # Calls building a check: make_check(id, status, title, detail, fix).
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "make_check":
                    for arg in node.args[2:]:
                        for part in ast.walk(arg):
                            if (
                                isinstance(part, ast.Constant)
                                and isinstance(part.value, str)
                                and "`" in part.value
                            ):
                                found.append(f"{path.name}:{part.lineno}: {part.value}")
    assert found == []
