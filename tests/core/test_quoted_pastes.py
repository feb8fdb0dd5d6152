"""A URL quoted in an e-mail reply, wrapped at any width a mail or chat app uses (40 characters and up:
narrower, a line can hold a piece of the host alone, which no rule can tell from prose) with any quote
marks, is read whole."""

from __future__ import annotations

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from affilka_core.url.parse import parse_url
from tests.support import GUIDE_URL


@given(
    st.integers(min_value=40, max_value=140),
    st.sampled_from(["> ", ">", "> > ", ">> ", "| ", "  > "]),
    st.sampled_from(["", "Thanks", "-- \nAna"]),
)
def test_a_quoted_wrapped_url_reads_as_the_url_itself(width, marker, after):
    lines = textwrap.wrap(GUIDE_URL, width, break_on_hyphens=False)
    text = "Ana wrote:\n" + "\n".join(marker + line for line in lines) + f"\n{marker}\n{after}"
    u = parse_url(text)
    assert u.params == parse_url(GUIDE_URL).params and not u.truncation
