"""Reading a paste costs work in proportion to its length, whatever its shape, and very long pastes get
a clear message. Long unbroken runs used to make the cleaning quadratic (200,000 characters: ~90 s).

The scaling tests compare the work of reading one paste of 10n characters with reading ten pastes of n
characters, on the same machine in one process (the best of several runs each): for linear work the two
are about equal, for quadratic work the long paste costs about 10× more. No absolute time is asserted;
`make bench` measures speed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from affilka_core.budgets import MAX_URL_CHARS
from affilka_core.checks.model import Status
from affilka_core.checks.url_result import check_url
from affilka_core.url.masking import mask_url, unmask
from tests.support import GUIDE_URL

REPORT = "https://primetime.partners/api/client/partner/report.json?"

# Shapes that once were, or could be, super-linear: long runs a regex retries from every position,
# wrapped lines joined one by one, many masks to put back, many columns to compare with known names.
SHAPES: dict[str, Callable[[int], str]] = {
    "one unbroken run of letters and digits": lambda n: "a1" * (n // 2),
    "dotted run that looks like a host": lambda n: "a." * (n // 2),
    "a query whose last parameter never gets its '='": lambda n: "https://h.example/?a" + " x" * (n // 2),
    "wrapped pieces after a complete URL": lambda n: REPORT + "page=1" + " =" * (n // 2),
    "prose before the URL": lambda n: "Hi, here is the link you asked for. " * (n // 36) + REPORT + "page=1",
    "many token parameters": lambda n: (
        REPORT + "&".join(f"token=abcd{i:08d}efgh1234" for i in range(n // 30))
    ),
    "many columns": lambda n: REPORT + "&".join(f"columns[]=col{i}" for i in range(n // 16)),
    "a reply quoting every line of a wrapped URL": lambda n: "\n".join(
        "> > " + chunk for chunk in (REPORT + "a=1&" * (n // 4)).split("&")
    ),
    "one long run of quote marks": lambda n: "> " * (n // 2),
}


def _work(fn: Callable[[], object], repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return max(best, 1e-4)


def _read(text: str) -> None:
    check_url(text)
    unmask(mask_url(text), text)


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_reading_a_paste_grows_linearly_with_its_length(shape):
    make = SHAPES[shape]
    # Within the URL length limit, so every part of the reading runs on the long paste too.
    small, large = make(MAX_URL_CHARS // 10), make(MAX_URL_CHARS - 200)
    assert len(large) > 8 * len(small)
    _read(small)  # warm caches (compiled regexes, imports)
    ratio = _work(lambda: _read(large)) / _work(lambda: [_read(small) for _ in range(10)])
    assert ratio < 3, f"one paste 10× longer cost {ratio:.1f}× the work of ten short ones: not linear"


def test_a_url_far_longer_than_any_report_url_gets_a_clear_message():
    text = GUIDE_URL + "&columns%5B%5D=visits_count" * (MAX_URL_CHARS // 20)
    first = check_url(text).by_id("url.parse")
    assert first is not None and first.status == Status.FAIL
    assert "characters long" in first.detail and "copy it again" in first.detail


def test_a_long_email_around_the_url_still_finds_the_url():
    text = "Dear support,\n" + "we cannot connect the offer. " * 5_000 + GUIDE_URL + "\nRegards, Ana"
    result = check_url(text)
    assert result.url is not None and result.url.token is not None and result.ok


def test_unmask_restores_every_token_of_a_long_list_in_one_pass():
    tokens = [f"{i:04d}c9082e56781234abcd{i:08d}" for i in range(2_000)]
    original = "\n".join(f"{REPORT}from=2026-04-01&token={t}&page=1" for t in tokens)
    assert unmask(mask_url(original), original) == original
