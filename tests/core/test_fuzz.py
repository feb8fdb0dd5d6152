"""Whatever is pasted, the checker answers with every check and never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from affilka_core import check_url
from affilka_core.checks import URL_CHECK_IDS
from tests.support import GUIDE_URL, TOKEN

FRAGMENTS = st.sampled_from(
    [
        "%",
        "%25",
        "%5B%5D",
        "%255B",
        "&",
        "&amp;",
        "=",
        "?",
        "#",
        "[",
        "]",
        "\\u0026",
        "\\_",
        "…",
        " ",
        "\n",
        "https://",
        "http://",
        "token=",
        "page=",
        "columns[]=",
        "group_by%5B%5D=",
        "from=",
        "::",
        "@",
        "[::1]",
        "\x00",
        "é",
        "\u200b",
        ":99999",
        "report.json",
    ]
)
URLISH = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=25).map("".join)


def assert_well_formed(text: str) -> None:
    result = check_url(text)
    assert [c.id for c in result.checks] and {c.id for c in result.checks} == set(URL_CHECK_IDS)
    data = result.to_dict()
    assert isinstance(data["ok"], bool)
    if TOKEN in text:
        assert TOKEN not in str(data)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_never_raises(text):
    assert_well_formed(text)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(URLISH)
def test_url_like_strings_never_raise(text):
    assert_well_formed(text)
    assert_well_formed("https://primetime.partners/api/client/partner/report.json?" + text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(GUIDE_URL)), st.integers(0, len(GUIDE_URL)), URLISH)
def test_mangled_guide_urls_never_raise_or_leak_the_token(start, end, junk):
    assert_well_formed(GUIDE_URL[:start] + junk + GUIDE_URL[end:])
    assert_well_formed(GUIDE_URL[:start])
