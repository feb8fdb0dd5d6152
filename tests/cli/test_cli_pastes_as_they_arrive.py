"""Pastes as support meets them every day, each given the one right diagnosis by `check`: a URL quoted in an
e-mail reply, a masked token copied from a ticket, a token after '#' or in the path, an older column name, a
URL cut inside a column name."""

from __future__ import annotations

import textwrap

import pytest

from tests.support import GUIDE_URL, TOKEN, without_param

MASK = "b7e3…5678"


def check_of(data: dict, check_id: str) -> dict:
    (found,) = [c for c in data["checks"] if c["id"] == check_id]
    return found


def failing(data: dict) -> list[str]:
    return [c["id"] for c in data["checks"] if c["status"] == "fail"]


def reply(url: str, marker: str = "> ", width: int = 76) -> str:
    """`url` as a mail client quotes it in a reply: wrapped at `width` columns, each line marked."""
    lines = textwrap.wrap(url, width, break_on_hyphens=False)
    quoted = "\n".join(marker + line for line in lines)
    said = "On Mon, 20 Apr 2026 at 10:12, Ana <ana@example.com> wrote:"
    return f"Hi support,\n\n{said}\n{quoted}\n{marker}\n{marker}Thanks"


@pytest.mark.parametrize("marker", ["> ", ">", "> > ", "| "], ids=["quote", "tight", "nested", "pipe"])
def test_a_url_quoted_in_an_email_reply_is_read_whole(run_cli, marker):
    run = run_cli("check", reply(GUIDE_URL, marker), "--json", "--show-token")
    data = run.json()
    assert run.code == 0 and data["verdict"] == "usable"
    assert data["url"] == GUIDE_URL
    assert check_of(data, "columns.required")["title"] == "All 11 required columns selected"
    assert check_of(data, "token.present")["status"] == "pass"


def test_a_quoted_url_whose_lines_cannot_be_joined_for_certain_is_said_wrapped_not_missing(run_cli):
    # The mail client broke the line inside the token, and the rest ends with a full stop: joining is a guess.
    cut = GUIDE_URL.index("&page=1") - 12
    text = f"> {GUIDE_URL[:cut]}\n> {GUIDE_URL[cut : GUIDE_URL.index('&page=1')]}.\n"
    run = run_cli("check", text, "--json")
    data = run.json()
    assert failing(data) == ["url.parse"]
    parse = check_of(data, "url.parse")
    assert parse["title"] == "URL is wrapped or cut off"
    assert "next line may hold its rest" in parse["detail"] and "join its lines" in parse["fix"]
    assert "missing" not in check_of(data, "columns.required")["title"]
    assert TOKEN[:20] not in run.printed


def test_a_token_wrapped_onto_the_next_line_is_joined_when_its_rest_makes_it_whole(run_cli):
    text = "> " + GUIDE_URL.removesuffix("&page=1")[:-12] + "\n> " + TOKEN[-12:] + "\n>\n> Regards"
    data = run_cli("check", text, "--json", "--show-token").json()
    assert check_of(data, "token.present")["status"] == "pass"
    assert f"token={TOKEN}" in data["url"]


@pytest.mark.parametrize("masked", [MASK, "b7e3...5678", "••••"], ids=["ellipsis", "three-dots", "bullets"])
def test_a_masked_token_fails_token_present(run_cli, masked):
    run = run_cli("check", GUIDE_URL.replace(TOKEN, masked), "--json")
    data = run.json()
    assert run.code == 1 and failing(data) == ["token.present"]
    token = check_of(data, "token.present")
    assert token["title"] == "This token is masked"
    assert "copied from a ticket or a screen" in token["detail"]
    assert token["fix"].startswith("Paste the original URL from the JSON tab")


def test_a_masked_token_with_fetch_is_one_thing_to_fix_and_never_sent(run_cli, server):
    before = server.report_requests
    run = run_cli("check", server.report_url().replace(TOKEN, MASK), "--fetch")
    assert run.code == 1
    assert "❌ This token is masked" in run.out
    assert "Not fetched: this token is masked" in run.out and "Tokens expire" not in run.out
    assert "❌ Not usable yet: 1 to fix" in run.out
    assert server.report_requests == before


def test_a_token_after_a_hash_is_said_to_be_in_the_fragment_and_the_suggestion_keeps_it(run_cli):
    url = GUIDE_URL.replace(f"&token={TOKEN}&page=1", f"&page=1#token={TOKEN}")
    run = run_cli("check", url, "--json", "--show-token")
    data = run.json()
    assert failing(data) == ["token.present"]
    token = check_of(data, "token.present")
    assert token["title"] == "The token is after '#'" and "never sends" in token["detail"]
    assert f"&token={TOKEN}&page=1" in data["suggested_url"] and "#" not in data["suggested_url"]
    masked = run_cli("check", url, "--json")
    assert TOKEN not in masked.out and f"&token={MASK}&page=1" in masked.json()["suggested_url"]


def test_a_token_in_the_path_is_one_failure_on_the_token_and_the_suggestion_moves_it(run_cli):
    url = without_param(GUIDE_URL, f"token={TOKEN}").replace("report.json?", f"report.json/token={TOKEN}?")
    run = run_cli("check", url, "--json", "--show-token")
    data = run.json()
    assert failing(data) == ["token.present"]
    assert check_of(data, "token.present")["title"] == "The token is in the path"
    assert check_of(data, "endpoint")["status"] == check_of(data, "format.json")["status"] == "pass"
    assert data["suggested_url"] == GUIDE_URL
    assert TOKEN not in run_cli("check", url).printed


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("ftd_count", "first_deposits_count"),
        ("casino_ngr", "ngr"),
        ("casino_ggr", "ggr"),
        ("deposits", "deposits_sum"),
        ("deposit_sum", "deposits_sum"),
        ("registration_count", "registrations_count"),
    ],
)
def test_did_you_mean_suggests_by_meaning_for_aliases_and_by_spelling_otherwise(run_cli, written, meant):
    url = GUIDE_URL.replace("&name=", f"&columns%5B%5D={written}&name=")
    unknown = check_of(run_cli("check", url, "--json").json(), "columns.unknown")
    assert f"'{written}' (did you mean '{meant}'?)" in unknown["detail"]


@pytest.mark.parametrize("written", ["player_mood", "ftd_counter_x"])
def test_did_you_mean_suggests_nothing_far_from_every_name(run_cli, written):
    url = GUIDE_URL.replace("&name=", f"&columns%5B%5D={written}&name=")
    unknown = check_of(run_cli("check", url, "--json").json(), "columns.unknown")
    assert unknown["status"] == "warn" and "did you mean" not in unknown["detail"]


def test_an_older_column_name_in_place_of_a_required_one_is_named_with_it(run_cli):
    url = GUIDE_URL.replace("columns%5B%5D=first_deposits_count", "columns%5B%5D=ftd_count")
    required = check_of(run_cli("check", url, "--json").json(), "columns.required")
    assert required["status"] == "fail" and "ftd_count (for first_deposits_count)" in required["detail"]


def test_a_url_cut_inside_a_column_name_leaves_that_name_not_checked(run_cli):
    cut = GUIDE_URL[: GUIDE_URL.index("first_deposits_count") + len("first_")]
    run = run_cli("check", cut, "--json")
    data = run.json()
    unknown = check_of(data, "columns.unknown")
    assert unknown["status"] == "warn" and unknown["title"].startswith("Not checked: the URL is cut off")
    assert failing(data) == ["url.parse"]
    assert "first_&" not in data["suggested_url"] and "first_deposits_count" in data["suggested_url"]
    assert check_of(data, "page.first")["title"].startswith("Not checked: the URL is cut off")
    # Nothing the cut lost is counted: the one thing to look at is the brand filter, as for a whole URL.
    assert "Not usable yet: 1 to fix, 1 to look at." in run_cli("check", cut).out


@pytest.mark.parametrize("written", ["deposits", "first_deposits", "qualified", "registrations"])
def test_a_whole_url_ending_in_a_short_column_name_is_not_called_cut_off(run_cli, written):
    """The token and page are there, so the URL is whole: a name that starts a known one is a name to
    correct, with its did-you-mean, wherever it stands."""
    data = run_cli("check", f"{GUIDE_URL}&columns%5B%5D={written}", "--json").json()
    assert check_of(data, "url.parse")["status"] == "pass"
    unknown = check_of(data, "columns.unknown")
    assert unknown["status"] == "warn" and "did you mean" in unknown["detail"]
    assert data["verdict"] == "usable"


CUTS = {
    "before the token": (lambda url: url[: url.index("group_by%5B%5D=campaign")] + "group_by%5B%"),
    "inside the token": (lambda url: url[: url.index("&page=1") - 10]),  # ten characters of it lost
}


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("before the token", "the URL is cut off before its token"),
        ("inside the token", "the token is cut off"),
    ],
)
def test_a_url_cut_before_or_inside_its_token_is_not_fetched_nor_blamed_on_its_expiry(
    run_cli, server, where, said
):
    before = server.report_requests
    run = run_cli("check", CUTS[where](server.report_url()), "--fetch")
    assert server.report_requests == before
    assert f"Not fetched: {said}" in run.out and "Tokens expire" not in run.out
