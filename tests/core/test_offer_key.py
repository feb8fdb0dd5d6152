"""AffilkaUrl.offer_key and with_token (affilka_core.url.parse): which Offer a URL is, whatever its dates,
page or token; and a recorded URL given a token to check it again."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from affilka_core.url.parse import parse_url, with_dates, with_token
from tests.support import GUIDE_URL, TOKEN, without_param

KEY = parse_url(GUIDE_URL).offer_key()


def test_the_key_drops_the_token_the_dates_and_the_page():
    assert "token" not in KEY and TOKEN[:4] not in KEY
    for gone in ("from=", "to=", "exchange_rates_date=", "page="):
        assert f"&{gone}" not in KEY and f"?{gone}" not in KEY
    assert KEY.startswith("https://primetime.partners/api/client/partner/report.json?period=custom&")


def test_the_same_offer_on_another_date_range_with_a_fresh_token_has_the_same_key():
    other = with_dates(parse_url(GUIDE_URL.replace(TOKEN, "f" * 32)), "2026-10-01", "2026-10-31")
    assert other.offer_key() == KEY


def test_parameters_in_another_order_give_the_same_key():
    base, _, query = GUIDE_URL.partition("?")
    shuffled = base + "?" + "&".join(reversed(query.split("&")))
    assert parse_url(shuffled).offer_key() == KEY


def test_another_column_set_host_or_filter_is_another_offer():
    assert parse_url(without_param(GUIDE_URL, "columns%5B%5D=ngr")).offer_key() != KEY
    assert parse_url(GUIDE_URL.replace("primetime.partners", "starzpartners.com")).offer_key() != KEY
    assert parse_url(GUIDE_URL + "&campaign_ids%5B%5D=501").offer_key() != KEY


def test_every_key_naming_a_token_is_dropped():
    for key in ("Token", "TOKEN", "api_token", "token%3D"):
        url = GUIDE_URL.replace("&token=" + TOKEN, f"&{key}={TOKEN}")
        assert TOKEN not in parse_url(url).offer_key() and "oken" not in parse_url(url).offer_key().lower()


# A token that is part of the URL's own text (its host, say) cannot be told apart from it: not generated.
TOKENS = st.text("abcdefghijklmnopqrstuvwxyz0123456789-._~", min_size=13, max_size=48).filter(
    lambda token: token not in GUIDE_URL.replace(TOKEN, "")
)


@given(TOKENS)
def test_no_token_of_any_shape_is_in_the_key(token):
    assert token not in parse_url(GUIDE_URL.replace(TOKEN, token)).offer_key()


def test_with_token_puts_a_typed_token_in_place_of_the_masked_one():
    masked = parse_url(GUIDE_URL).masked()
    again = with_token(parse_url(masked), TOKEN)
    assert again.url() == GUIDE_URL


def test_with_token_adds_the_token_before_the_page_when_the_url_had_none():
    url = parse_url(GUIDE_URL.replace("&token=" + TOKEN, ""))
    assert with_token(url, TOKEN).url() == GUIDE_URL
