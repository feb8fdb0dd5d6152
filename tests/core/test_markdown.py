"""Text from users and reports shown in Markdown (the page, the ticket) reads as written: `escape`, and
`md`, the one formatter every page and the ticket build their Markdown with."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from affilka_core.outputs.markdown import code, escape, md
from tests.hostile import HOSTILE, markdown_problems

# Templates as the pages and the ticket write them: text inside a line, starting one, in a list item, a
# heading, bold, a link to a section, a Streamlit directive, paragraphs.
TEMPLATES = [
    "{} {} {}",
    "- {} **{}** — {}",
    "#### {} Step 1 · {}{}",
    "**{}.** {}\n\n**What to do:** {}",
    "Campaign **{}** · {} · see [{}](#by-day)",
    ":gray-badge[Info] :gray[{}]\n\n:gray[{} {}]",
    "  - {} {} — {}\n    Fix: {}",
]


def test_an_html_entity_quoted_from_a_url_shows_as_written():
    assert escape("written as '&amp;'") == "written as '\\&amp;'"


def test_a_web_address_shows_as_code_not_as_a_link_with_escapes_inside():
    text = escape("Affilka sent its sign-in page (https://demo.affilka.invalid/users/sign_in).")
    assert text == "Affilka sent its sign-in page (`https://demo.affilka.invalid/users/sign_in`)."


def test_a_line_break_in_text_cannot_start_a_heading_or_a_rule():
    assert escape("Spring\n# Promo\n---") == "Spring \\# Promo ---"


def test_text_starting_a_line_cannot_make_it_a_list_item_or_a_numbered_one():
    assert escape("- VIP") == "\\- VIP" and escape("1. VIP") == "1\\. VIP" and escape("+ VIP") == "\\+ VIP"


def test_a_list_mark_inside_a_line_is_left_as_it_is():
    assert md("Campaign **{}**", "- VIP 2026-04-01") == "Campaign **- VIP 2026-04-01**"


def test_an_address_starting_with_www_or_in_capitals_shows_as_code():
    assert escape("see WWW.evil.example or HTTPS://evil.example") == (
        "see `WWW.evil.example` or `HTTPS://evil.example`"
    )


def test_a_mail_address_is_not_linked():
    assert escape("ana@evil.example") == "ana\\@evil.example"


def test_md_escapes_every_argument_and_keeps_its_own_markdown():
    assert md("**{}** — {:,} rows", "[x](https://evil.example)", 1234) == (
        "**\\[x\\](`https://evil.example`)** — 1,234 rows"
    )


def test_md_leaves_markdown_it_built_as_it_is():
    assert md("{}: {}", code("a|b"), md("**{}**", "*")) == "`a|b`: **\\***"


def test_md_masks_a_token_in_its_arguments_before_escaping():
    assert md("{}", "token:123e4567_e89b_12d3_a456_426614174000") == "token:123e…4000"


@given(template=st.sampled_from(TEMPLATES), args=st.lists(HOSTILE, min_size=4, max_size=4))
def test_no_argument_can_become_markdown_whatever_the_template(template, args):
    assert not markdown_problems(md(template, *args), links=True, headings=1)
