"""The token never shows in clear, whatever its shape and wherever it sits in what was pasted."""

from __future__ import annotations

import string
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from affilka_core.url.masking import mask_token, mask_url, unmask
from affilka_core.url.parse import parse_url

HOST = "https://primetime.partners/api/client/partner/report.json"
# Unreserved URL characters: a token of any of them travels unencoded in a query.
TOKENS = st.text(string.ascii_letters + string.digits + "-._~", min_size=13, max_size=64)

PLACEMENTS = {
    "query": HOST + "?from=2026-04-01&token={t}&page=1",
    "first parameter": HOST + "?token={t}&page=1",
    "semicolon parameters": HOST + "?from=2026-04-01;token={t};page=1",
    "fragment": HOST + "?from=2026-04-01#token={t}",
    "percent-encoded key": HOST + "?from=2026-04-01&token%3D{t}&page=1",
    "JSON-escaped separator": HOST + "?from=2026-04-01\\u0026token={t}\\u0026page=1",
    "HTML-escaped separator": HOST + "?from=2026-04-01&amp;token={t}&amp;page=1",
    "capitalised key": HOST + "?from=2026-04-01&Token={t}&page=1",
    "upper-case key": HOST + "?from=2026-04-01&TOKEN={t}&page=1",
    "scheme-less": "www.primetime.partners/api/client/partner/report.json?token={t}&page=1",
    "broken scheme": "https:/primetime.partners/api/client/partner/report.json?token={t}&page=1",
    "in an e-mail": "Hi,\nthe link is {url} — thanks!\n",
}


def _place(name: str, token: str) -> str:
    if name == "in an e-mail":
        return PLACEMENTS[name].format(url=HOST + f"?token={token}&page=1")
    return PLACEMENTS[name].format(t=token)


@given(token=TOKENS, placement=st.sampled_from(sorted(PLACEMENTS)))
def test_masking_hides_a_token_of_any_shape_in_any_placement(token, placement):
    text = _place(placement, token)
    assert token not in mask_url(text)


@given(token=TOKENS)
def test_a_percent_encoded_whole_url_hides_its_token(token):
    text = quote(HOST + f"?from=2026-04-01&token={token}&page=1", safe="")
    masked = mask_url(text)
    assert token not in masked and quote(token, safe="") not in masked


@given(token=TOKENS, placement=st.sampled_from(sorted(PLACEMENTS)))
def test_unmask_puts_back_the_token_after_an_edit_elsewhere(token, placement):
    text = _place(placement, token)
    edited = mask_url(text).replace("2026-04-01", "2026-04-02")
    assert unmask(edited, text) == text.replace("2026-04-01", "2026-04-02")


@given(token=TOKENS)
def test_the_repr_of_a_parsed_url_hides_its_token(token):
    url = parse_url(HOST + f"?from=2026-04-01&token={token}&page=1")
    assert token not in repr(url) and mask_token(token) in repr(url)


def test_text_with_an_ellipsis_is_not_taken_as_already_masked():
    token = "X…b7e3f1a2d4c9082e56781234abcd5678"
    assert "b7e3f1a2d4c9082e56781234abcd5678" not in mask_url(HOST + f"?token={token}")


def test_our_own_mask_is_left_as_it_is():
    assert mask_token("b7e3…5678") == "b7e3…5678"


def test_the_parameter_table_masks_every_key_naming_a_token():
    url = parse_url(HOST + "?token=b7e3f1a2d4c9082e56781234abcd5678&Token=c0ffee0123456789&TOKEN=x&page=1")
    shown = dict(url.shown_params())
    assert shown["token"] == "b7e3…5678" and shown["Token"] == "c0ff…6789" and shown["TOKEN"] == "••••"
    assert shown["page"] == "1"
