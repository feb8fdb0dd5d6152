"""The token never shows in clear, whatever its shape and wherever it sits in what was pasted."""

from __future__ import annotations

import json
import string
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from affilka_core.checks.url_result import check_url
from affilka_core.url.masking import mask_token, mask_url, redact, unmask
from affilka_core.url.parse import parse_url
from tests.hostile import TOKENS as TOKENS_OF_EVERY_SHAPE
from tests.hostile import shows_secret
from tests.support import TOKEN

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
    "percent-encoded full-width equals": HOST + "?from=2026-04-01&token%EF%BC%9D{t}&page=1",
    "percent-encoded full-width colon": HOST + "?from=2026-04-01&token%EF%BC%9A{t}&page=1",
    "HTML5 entity for equals": HOST + "?from=2026-04-01&token&equals;{t}&page=1",
    "hex-escaped equals": HOST + "?from=2026-04-01&token\\x3d{t}&page=1",
    "percent-encoded JSON key": HOST + "?from=2026-04-01&token%22%3A%22{t}%22&page=1",
    "path segment after report.json": HOST + "/{t}?from=2026-04-01&page=1",
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


@given(token=TOKENS, placement=st.sampled_from(sorted(PLACEMENTS)))
def test_unmask_never_puts_a_token_into_a_url_for_another_host(token, placement):
    text = _place(placement, token)
    host = urlsplit(HOST).netloc
    elsewhere = mask_url(text).replace(host, "collector.example")
    assert unmask(elsewhere, text) == elsewhere  # the mask stays: a fetch there sends no token


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


# --- a token after a key in any written form, a secret in any case --------------------------------

KEYED_FORMS = {
    "colon": "token:{t}",
    "colon and space, capitalised": "Token: {t}",
    "full-width equals": "token＝{t}",
    "percent-encoded equals": "token%3D{t}",
    "JSON-escaped equals": "token\\u003d{t}",
    "HTML entity for equals": "token&#61;{t}",
    "JSON key": '{{"token": "{t}"}}',
    "header": "X-Auth-Token: {t}",
    "percent-encoded full-width equals": "token%EF%BC%9D{t}",
    "percent-encoded full-width colon": "token%EF%BC%9A{t}",
    "HTML5 entity for equals": "token&equals;{t}",
    "hex-escaped equals": "token\\x3d{t}",
    "percent-encoded JSON key": "token%22%3A%22{t}%22",
}


@given(token=TOKENS_OF_EVERY_SHAPE, form=st.sampled_from(sorted(KEYED_FORMS)))
def test_a_token_of_any_shape_after_a_key_in_any_written_form_is_masked(token, form):
    text = f"Affilka said: invalid {KEYED_FORMS[form].format(t=token)} (expired)"
    assert not shows_secret(mask_url(text), token)


@pytest.mark.parametrize(
    "form", ["token:{t}", "token＝{t}", "token\\u003d{t}"], ids=["colon", "full-width", "JSON-escaped"]
)
def test_a_uuid_like_token_with_underscores_written_after_its_key_is_printed_masked(form):
    token = "3f2c1a9e_7b4d_4e21_9c0a_5d8e7f6a1b2c"
    assert mask_url(f"here: {form.format(t=token)}.") == f"here: {form.format(t='3f2c…1b2c')}."


@pytest.mark.parametrize("value", ["secretvalue", "s3cr3t", "abc-def_ghi", "QUJDREVGRw=="])
def test_a_value_of_any_shape_written_against_the_colon_is_masked(value):
    assert not shows_secret(mask_url(f"sent with token:{value} yesterday"), value)


@pytest.mark.parametrize("prose", ["token moved from Token= to token=", "token= added (empty)"])
def test_prose_after_token_an_equals_and_a_space_is_not_taken_for_a_token(prose):
    assert mask_url(prose) == prose


@pytest.mark.parametrize("prose", ["Invalid token: expired", "**Token:** (missing)", "the token: it expired"])
def test_prose_after_token_and_a_colon_is_not_taken_for_a_token(prose):
    assert mask_url(prose) == prose


@given(token=TOKENS_OF_EVERY_SHAPE)
def test_a_secret_is_masked_in_any_case_inside_longer_text(token):
    text = f"Campaign Promo{token.upper()}x, brand {token.lower()}, {quote(token, safe='')}"
    assert not shows_secret(redact(text, token), token)


def test_a_secret_is_masked_once_where_several_of_its_forms_overlap():
    assert redact("a b7e3f1a2d4c9082e56781234abcd5678 b", TOKEN) == "a b7e3…5678 b"


UUID = "123e4567-e89b-12d3-a456-426614174000"


@pytest.mark.parametrize(
    "form",
    ["token%EF%BC%9D{t}", "token%EF%BC%9A{t}", "token&equals;{t}", "token\\x3d{t}", "token%22%3A%22{t}%22"],
    ids=["encoded full-width =", "encoded full-width :", "HTML5 entity", "hex escape", "encoded JSON"],
)
def test_a_uuid_token_after_an_oddly_written_equals_is_masked_in_the_checks_and_their_json(form):
    result = check_url(HOST + f"?from=2026-04-01&{form.format(t=UUID)}&page=1")
    shown = json.dumps(result.to_dict()) + repr(result) + result.masked_url()
    assert not shows_secret(shown, UUID) and "123e…4000" in shown


def test_a_uuid_written_as_a_path_segment_after_report_json_is_masked():
    text = HOST + f"/{UUID}?from=2026-04-01&page=1"
    assert not shows_secret(mask_url(text), UUID)
    assert not shows_secret(json.dumps(check_url(text).to_dict()), UUID)


def test_a_base64_token_with_slashes_after_token_in_the_path_is_masked_whole():
    token = "ab+c/de+fgh/ijk+lmn/op=="
    result = check_url(HOST + f"/token={token}?from=2026-04-01&page=1")
    assert result.url is not None and result.url.stray_token == token
    shown = json.dumps(result.to_dict())
    assert "de+fgh" not in shown and "ijk+lmn" not in shown


def test_a_secret_with_every_character_percent_encoded_is_masked():
    every = "".join(f"%{byte:02X}" for byte in TOKEN.encode())
    assert redact(f"Affilka quoted {every} back", TOKEN) == "Affilka quoted b7e3…5678 back"


@given(token=TOKENS_OF_EVERY_SHAPE)
def test_a_secret_of_any_shape_with_every_character_percent_encoded_is_masked(token):
    every = "".join(f"%{byte:02x}" for byte in token.encode())
    assert not shows_secret(redact(f"said {every}.", token), token)
    assert every not in redact(f"said {every}.", token)
