"""Text from users and reports shown in Markdown (the page, the ticket) reads as written."""

from __future__ import annotations

from affilka_core.outputs.markdown import escape


def test_an_html_entity_quoted_from_a_url_shows_as_written():
    assert escape("written as '&amp;'") == "written as '\\&amp;'"


def test_a_web_address_shows_as_code_not_as_a_link_with_escapes_inside():
    text = escape("Affilka sent its sign-in page (https://demo.affilka.invalid/users/sign_in).")
    assert text == "Affilka sent its sign-in page \\(`https://demo.affilka.invalid/users/sign_in`\\)."
