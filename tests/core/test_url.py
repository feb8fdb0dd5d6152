"""Reading pasted URLs: cleaning, encodings, repair, truncation, masking and rebuilding."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from affilka_core import InvalidURL, mask_token, mask_url, parse_url, redact, suggest_url, with_dates
from affilka_core.checks.model import Status
from affilka_core.checks.url_result import check_url
from affilka_core.guide import REQUIRED_COLUMNS
from affilka_core.url.masking import unmask
from affilka_core.url.parse import with_page
from affilka_core.url.suggest import suggestion_changes, suggestion_note
from tests.support import GUIDE_URL, TOKEN, without_param


def test_guide_url_parses_every_parameter():
    u = parse_url(GUIDE_URL)
    assert u.host == "primetime.partners"
    assert u.path == "/api/client/partner/report.json"
    assert u.columns == REQUIRED_COLUMNS
    assert u.group_by == ("day", "brand", "campaign")
    assert (u.date_from, u.date_to, u.currency, u.token) == ("2026-04-01", "2026-04-21", "EUR", TOKEN)
    assert not u.repairs and not u.truncation


def test_bracket_forms_are_equivalent():
    plain = parse_url(GUIDE_URL.replace("%5B%5D", "[]"))
    lower = parse_url(GUIDE_URL.replace("%5B%5D", "%5b%5d"))
    indexed = parse_url(GUIDE_URL.replace("columns%5B%5D", "columns%5B0%5D"))
    reference = parse_url(GUIDE_URL)
    for other in (plain, lower, indexed):
        assert other.params == reference.params
        assert not other.repairs


def test_line_breaks_and_spaces_from_email_are_removed():
    wrapped = "  " + GUIDE_URL[:90] + "\r\n  " + GUIDE_URL[90:300] + "\n\t" + GUIDE_URL[300:] + " \u200b\n"
    assert parse_url(wrapped).params == parse_url(GUIDE_URL).params


def test_surrounding_prose_quotes_and_angle_brackets_are_dropped():
    assert parse_url(f"Here is the link: <{GUIDE_URL}>").token == TOKEN
    assert parse_url(f'"{GUIDE_URL}"').token == TOKEN


@pytest.mark.parametrize(
    "message",
    [
        f"Hi, the link: <{GUIDE_URL}> thanks!",
        f"see [the report]({GUIDE_URL}) please",
        f"{GUIDE_URL} thanks, let me know",
        f"{GUIDE_URL}\n\nRegards,\nAnna",
    ],
)
def test_prose_after_the_url_is_not_glued_onto_it(message):
    u = parse_url(message)
    assert u.get("page") == "1" and u.token == TOKEN and not u.truncation


@given(st.integers(1, len(GUIDE_URL) - 1), st.sampled_from(["\n", "\r\n", "\n  ", " \n", "=\n"[1:]]))
def test_a_line_break_anywhere_in_the_url_is_joined(position, wrap):
    wrapped = GUIDE_URL[:position] + wrap + GUIDE_URL[position:]
    assert parse_url(wrapped).params == parse_url(GUIDE_URL).params


def test_email_wrapping_at_76_columns_is_joined():
    lines = [GUIDE_URL[i : i + 76] for i in range(0, len(GUIDE_URL), 76)]
    assert parse_url("Link:\n" + "\n".join(lines) + "\n\nBest,\nAnna").params == parse_url(GUIDE_URL).params


def test_a_url_wrapped_with_a_space_before_a_parameter_is_joined():
    cut = GUIDE_URL.index("&group_by")
    assert parse_url(GUIDE_URL[:cut] + " " + GUIDE_URL[cut:]).params == parse_url(GUIDE_URL).params


def test_repeated_list_values_are_kept_once():
    doubled = GUIDE_URL.replace("&name=", "&columns%5B%5D=ngr&group_by%5B%5D=day&name=")
    u = parse_url(doubled)
    assert u.columns.count("ngr") == 1
    assert u.group_by == ("day", "brand", "campaign")


def test_double_encoding_is_detected_and_repaired():
    u = parse_url(GUIDE_URL.replace("%5B%5D", "%255B%255D"))
    assert any("double-encoded" in r for r in u.repairs)
    assert u.columns == REQUIRED_COLUMNS


def test_html_entity_ampersands_are_detected_and_repaired():
    u = parse_url(GUIDE_URL.replace("&", "&amp;"))
    assert any("&amp;" in r for r in u.repairs)
    assert u.token == TOKEN and u.group_by == ("day", "brand", "campaign")


def test_fully_percent_encoded_url_is_repaired():
    from urllib.parse import quote

    u = parse_url(quote(GUIDE_URL, safe=""))
    assert u.host == "primetime.partners" and u.token == TOKEN
    assert u.repairs


@pytest.mark.parametrize(
    ("cut", "evidence"),
    [
        (GUIDE_URL[: GUIDE_URL.index("visits_count") + 6], "column name"),
        (GUIDE_URL[: GUIDE_URL.index("token=") + 15], "token"),
        (GUIDE_URL[:200] + "…", "ellipsis"),
        (GUIDE_URL[: GUIDE_URL.index("%5B%5D=brand") + 2], "escape"),
    ],
)
def test_truncated_urls_are_recognised(cut, evidence):
    u = parse_url(cut)
    assert u.truncation, cut
    assert any(evidence in e for e in u.truncation)


def test_complete_url_without_token_at_end_is_not_called_truncated():
    assert not parse_url(GUIDE_URL).truncation
    assert not parse_url(without_param(GUIDE_URL, "page=1")).truncation


@pytest.mark.parametrize(
    "text", ["", "   ", "hello world", "ftp://primetime.partners/x", "https://", "https:///path"]
)
def test_text_that_is_not_a_url_raises_invalid_url(text):
    with pytest.raises(InvalidURL):
        parse_url(text)


def test_missing_scheme_is_added_and_recorded():
    u = parse_url(GUIDE_URL.removeprefix("https://"))
    assert u.scheme_added and u.scheme == "https" and u.token == TOKEN


def test_mask_shows_first_and_last_four_only():
    assert mask_token(TOKEN) == "b7e3…5678"
    assert mask_token("short") == "••••"
    assert mask_token("") == ""


def test_mask_url_hides_the_token_wherever_it_stands():
    masked = mask_url(GUIDE_URL)
    assert TOKEN not in masked and "token=b7e3…5678&page=1" in masked
    assert TOKEN not in mask_url(GUIDE_URL.replace("&", "&amp;"))


def test_redact_hides_raw_and_encoded_secrets_in_any_text():
    text = f"GET /report?token={TOKEN} failed; header {TOKEN}"
    assert TOKEN not in redact(text, TOKEN)


def test_unmask_restores_the_token_behind_its_mask():
    assert unmask(mask_url(GUIDE_URL), GUIDE_URL) == GUIDE_URL
    edited = mask_url(GUIDE_URL).replace("period=today", "period=custom")
    assert unmask(edited, GUIDE_URL) == GUIDE_URL
    replaced = mask_url(GUIDE_URL).replace("b7e3…5678", "0123456789abcdef0123456789abcdef")
    assert unmask(replaced, GUIDE_URL) == replaced


def test_mask_url_hides_a_token_whose_key_was_mangled():
    assert TOKEN not in mask_url(GUIDE_URL.replace("token=", "tokn"))


def test_suggested_url_for_the_guide_url_is_the_guide_url():
    assert suggest_url(parse_url(GUIDE_URL)) == GUIDE_URL


def test_suggested_url_adds_what_is_missing_and_fixes_period_and_page():
    broken = (
        without_param(without_param(GUIDE_URL, "columns%5B%5D=ngr"), "group_by%5B%5D=campaign")
        .replace("period=custom", "period=last_month")
        .replace("page=1", "page=4")
        .replace("group_by%5B%5D=day", "group_by%5B%5D=month")
    )
    fixed = parse_url(suggest_url(parse_url(broken)))
    assert set(fixed.columns) == set(REQUIRED_COLUMNS)
    assert fixed.group_by == ("brand", "day", "campaign")
    assert fixed.get("period") == "custom" and fixed.get("page") == "1"
    assert fixed.token == TOKEN


def test_suggested_url_repairs_encoding_and_endpoint():
    mangled = GUIDE_URL.replace("%5B%5D", "%255B%255D").replace("report.json", "report.csv")
    assert suggest_url(parse_url(mangled)) == GUIDE_URL


def test_suggested_url_replaces_dates_on_request():
    fixed = parse_url(suggest_url(parse_url(GUIDE_URL), "2026-05-01", "2026-05-31"))
    assert (fixed.date_from, fixed.date_to, fixed.get("exchange_rates_date")) == (
        "2026-05-01",
        "2026-05-31",
        "2026-05-31",
    )


def test_suggested_url_fills_missing_dates_with_the_last_30_days():
    u = parse_url(without_param(without_param(GUIDE_URL, "from=2026-04-01"), "to=2026-04-21"))
    fixed = parse_url(suggest_url(u, today=dt.date(2026, 11, 25)))
    assert (fixed.date_from, fixed.date_to) == ("2026-10-26", "2026-11-24")


def test_with_dates_replaces_from_to_and_exchange_rates_date():
    u = with_dates(parse_url(GUIDE_URL), "2026-06-01", "2026-06-07")
    assert (u.date_from, u.date_to, u.get("exchange_rates_date")) == (
        "2026-06-01",
        "2026-06-07",
        "2026-06-07",
    )
    assert u.columns == REQUIRED_COLUMNS


def test_with_page_asks_for_that_page_only():
    assert parse_url(with_page(parse_url(GUIDE_URL), 3)).get("page") == "3"


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("page=1", "page=2"), ["page set to 1"]),
        (("period=custom", "period=today"), ["period set to custom"]),
        (("&columns%5B%5D=ngr", ""), ["columns added: ngr"]),
        (("columns%5B%5D", "columns%255B%255D"), ["encoding repaired"]),
    ],
)
def test_the_suggestion_says_only_what_it_changes(change, said):
    result = check_url(GUIDE_URL.replace(*change))
    assert suggestion_changes(result.url, result.suggested) == said


# --- a token Affilka would not read where it stands ------------------------------------------------


@pytest.mark.parametrize("key", ["Token", "TOKEN"])
def test_a_token_under_a_key_in_capitals_fails_saying_the_key_must_be_lower_case(key):
    check = check_url(GUIDE_URL.replace("&token=", f"&{key}=")).by_id("token.present")
    assert check.status == Status.FAIL and "lower case" in check.title
    assert "No token" not in check.title and "export the report as JSON again" not in check.fix


def test_the_suggestion_moves_a_token_under_token_in_capitals_to_token():
    result = check_url(GUIDE_URL.replace("&token=", "&Token="))
    assert result.suggested == GUIDE_URL
    assert suggestion_changes(result.url, result.suggested) == ["token moved from Token= to token="]


@pytest.mark.parametrize(
    "written", ["token%EF%BC%9D", "token＝", "token%3D", "token&equals;", "token\\x3d", "token%22%3A%22"]
)
def test_a_token_joined_to_its_key_by_another_sign_than_equals_is_recognised_and_moved(written):
    result = check_url(GUIDE_URL.replace("&token=", f"&{written}"))
    check = result.by_id("token.present")
    assert check.status == Status.FAIL and check.title == "The token is not joined to its key by '='"
    assert result.suggested == GUIDE_URL


# --- what surrounds a pasted URL -----------------------------------------------------------------


@pytest.mark.parametrize("mark", [".", ",", ";", ":", "!", "?"])
def test_sentence_punctuation_after_a_url_ends_the_sentence_not_the_url(mark):
    result = check_url(f"See {GUIDE_URL}{mark} Thanks")
    assert result.url.get("page") == "1" and result.ok


def test_a_full_stop_after_a_url_at_the_end_of_the_text_is_not_part_of_it():
    assert parse_url(f"The link is {GUIDE_URL}.").url() == GUIDE_URL


def test_an_outlook_safe_links_address_is_unwrapped_to_the_report_url_it_carries():
    from urllib.parse import quote

    pasted = (
        "https://eur01.safelinks.protection.outlook.com/?url="
        + quote(GUIDE_URL, safe="")
        + "&data=05%7C02%7Cana%40casino.example%7C1b2c&sdata=Zq0Zq0%3D&reserved=0"
    )
    result = check_url(pasted)
    assert result.url.url() == GUIDE_URL and result.ok
    parse = result.by_id("url.parse")
    assert parse.status == Status.WARN and parse.title == "Unwrapped from an Outlook Safe Links address"


def test_a_google_redirect_is_unwrapped_to_the_report_url_it_carries():
    from urllib.parse import quote

    result = check_url("https://www.google.com/url?q=" + quote(GUIDE_URL, safe="") + "&sa=D&ust=1")
    assert result.url.url() == GUIDE_URL


SAFE_LINKS = "https://eur01.safelinks.protection.outlook.com/?url="


def test_a_google_redirect_of_a_safe_links_address_is_unwrapped_both_times():
    from urllib.parse import quote

    safe_links = SAFE_LINKS + quote(GUIDE_URL, safe="") + "&data=05%7C02&reserved=0"
    result = check_url("https://www.google.com/url?q=" + quote(safe_links, safe="") + "&sa=D")
    assert result.url.url() == GUIDE_URL and result.ok


def test_a_safe_links_target_encoded_twice_is_decoded_twice():
    from urllib.parse import quote

    result = check_url(SAFE_LINKS + quote(quote(GUIDE_URL, safe=""), safe="") + "&data=x&reserved=0")
    assert result.url.url() == GUIDE_URL and result.ok


def test_a_safe_links_address_is_still_named_when_its_target_has_another_problem():
    from urllib.parse import quote

    parse = check_url(SAFE_LINKS + quote(GUIDE_URL + "&period=month", safe="") + "&reserved=0").by_id(
        "url.parse"
    )
    assert parse.status == Status.FAIL and parse.title == "Parameter given more than once: period"
    assert parse.detail.endswith("The URL was taken out of an Outlook Safe Links address.")


def test_a_safe_links_target_written_unencoded_runs_to_the_wrappers_own_parameters():
    result = check_url(SAFE_LINKS + GUIDE_URL + "&data=05%7C02&sdata=Zq0%3D&reserved=0")
    assert result.url.url() == GUIDE_URL and result.ok
    assert result.by_id("url.parse").title == "Unwrapped from an Outlook Safe Links address"


# --- dates ---------------------------------------------------------------------------------------


def test_an_iso_week_date_is_not_a_date_in_the_form_affilka_writes():
    check = check_url(GUIDE_URL.replace("from=2026-04-01", "from=2026-W01-1")).by_id("dates.range")
    assert (
        check.status == Status.FAIL and "'from=2026-W01-1' is not a date in YYYY-MM-DD form" in check.detail
    )


def test_a_date_in_other_digits_than_ascii_is_not_a_date_in_the_form_affilka_writes():
    check = check_url(GUIDE_URL.replace("from=2026-04-01", "from=２026-04-01")).by_id("dates.range")
    assert check.status == Status.FAIL and "is not a date in YYYY-MM-DD form" in check.detail


def test_a_date_in_the_right_form_that_is_no_real_day_is_said_to_be_no_day_of_the_calendar():
    check = check_url(GUIDE_URL.replace("from=2026-04-01", "from=2026-02-29")).by_id("dates.range")
    assert check.status == Status.FAIL and "2026-02-29 is not a day of the calendar" in check.detail
    assert "YYYY-MM-DD form" not in check.detail


# --- a cut-off URL: one cause, one fix; the suggestion does not pass for a working URL ---------------

CUT_IN_TOKEN = GUIDE_URL.split("&token=")[0] + "&token=0123456789abcd"
CUT_IN_ESCAPE = GUIDE_URL.split("&group_by%5B%5D=day")[0] + "&group_by%5B%"


def test_a_url_cut_inside_its_token_gets_a_suggestion_saying_the_token_is_incomplete():
    result = check_url(CUT_IN_TOKEN)
    note = suggestion_note(result.url, result.suggested)
    assert "token is incomplete" in note.needs and "JSON tab" in note.needs
    assert not note.usable and not note.reveal


def test_the_suggestion_for_a_url_cut_inside_its_token_leaves_the_partial_token_out():
    result = check_url(CUT_IN_TOKEN)
    assert "0123456789abcd" not in result.suggested and parse_url(result.suggested).token is None


def test_a_cut_url_has_one_fix_the_cut_s_which_what_it_left_unchecked_only_points_at():
    result = check_url(CUT_IN_ESCAPE)
    skipped = [c for c in result.checks if c.title.startswith("Not checked")]
    assert skipped and all(c.fix == "See “URL is cut off”." for c in skipped)
    assert sum("copy it again" in c.fix.lower() for c in result.checks) == 1


def test_an_escape_cut_at_the_very_end_is_a_cut_not_mangling():
    result = check_url(CUT_IN_ESCAPE)
    assert result.by_id("url.encoding").status == Status.PASS
    assert result.by_id("url.parse").title == "URL is cut off"


def test_the_suggestion_for_a_url_cut_before_its_token_makes_up_no_token():
    result = check_url(CUT_IN_ESCAPE)
    assert not parse_url(result.suggested).has("token")
    assert not suggestion_note(result.url, result.suggested).usable


def test_the_suggestion_for_a_url_cut_inside_a_parameters_name_keeps_nothing_of_the_cut():
    suggested = check_url(CUT_IN_ESCAPE).suggested
    assert "%25" not in suggested and [k for k, _ in parse_url(suggested).params].count("group_by[]") == 3


# --- the note above the suggested URL says only what changed -------------------------------------


def test_the_note_names_no_change_when_the_suggestion_equals_the_paste():
    result = check_url(GUIDE_URL.replace(TOKEN, "b7e3…5678"))
    assert suggestion_changes(result.url, result.suggested) == []


def test_the_note_says_an_empty_token_was_added_not_that_parameters_were_reordered():
    result = check_url(without_param(GUIDE_URL, "token=" + TOKEN))
    assert suggestion_changes(result.url, result.suggested) == ["token= added (empty)"]


def test_the_note_names_the_path_it_fixed():
    result = check_url(GUIDE_URL.replace("report.json", "report.csv"))
    changes = suggestion_changes(result.url, result.suggested)
    assert changes == ["path /api/client/partner/report.csv → /api/client/partner/report.json"]


def test_the_note_says_parameters_were_put_in_affilka_s_order_only_when_their_order_changed():
    moved = GUIDE_URL.replace("from=2026-04-01&to=2026-04-21&", "") + "&from=2026-04-01&to=2026-04-21"
    result = check_url(moved.replace("period=custom", "period=today"))
    assert "parameters put in Affilka's order" in suggestion_changes(result.url, result.suggested)
    unmoved = check_url(GUIDE_URL.replace("period=custom", "period=today"))
    assert suggestion_changes(unmoved.url, unmoved.suggested) == ["period set to custom"]


def test_two_urls_pasted_give_no_suggestion_change_for_the_first_when_it_is_right():
    result = check_url(GUIDE_URL + "\n" + GUIDE_URL.replace("primetime", "starz"))
    assert suggestion_changes(result.url, result.suggested) == []


# --- a parameter given twice ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    ["period=month", "page=2", "from=2026-03-01", "to=2026-05-01", "convert_all_currencies=false"],
)
def test_a_parameter_that_takes_one_value_given_twice_fails_url_parse(extra):
    key = extra.partition("=")[0]
    result = check_url(GUIDE_URL + "&" + extra)
    check = result.by_id("url.parse")
    assert check.status == Status.FAIL and check.title == f"Parameter given more than once: {key}"
    assert not result.ok


def test_the_suggestion_keeps_the_first_value_of_a_parameter_given_twice_and_says_so():
    result = check_url(GUIDE_URL + "&period=month")
    assert result.suggested == GUIDE_URL
    assert suggestion_changes(result.url, result.suggested) == [
        "period given more than once: one kept (period=custom)"
    ]


def test_an_empty_token_before_the_real_one_loses_nothing():
    result = check_url(GUIDE_URL.replace("&token=", "&token=&token="))
    assert result.url.token == TOKEN and result.by_id("token.present").status == Status.PASS
    assert result.by_id("url.parse").status == Status.FAIL and "token=(empty), then b7e3…5678" in (
        result.by_id("url.parse").detail
    )
    assert f"&token={TOKEN}&page=1" in result.suggested


def test_a_parameter_given_thousands_of_times_is_named_with_a_few_of_its_values():
    detail = check_url(GUIDE_URL + "&page=1" * 2_000).by_id("url.parse").detail
    assert "page=1, then 1, then 1 and 1,998 more." in detail and len(detail) < 400


def test_a_token_given_twice_is_named_masked():
    result = check_url(GUIDE_URL + "&token=c0ffee0123456789c0ffee0123456789")
    assert "token=b7e3…5678, then c0ff…6789" in result.by_id("url.parse").detail
