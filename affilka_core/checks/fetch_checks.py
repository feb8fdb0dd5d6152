"""What a failure to fetch (or a fetch that came back) says, as a checklist item under its guide step.

The item's id, title and fix come from the one table in `advice`; Affilka's own message, when the answer
carried one, is quoted in the detail.
"""

from __future__ import annotations

from affilka_core.catalogue import CheckId
from affilka_core.checks.advice import advice_for
from affilka_core.checks.model import Check, Status, make_check
from affilka_core.errors import AffilkaError
from affilka_core.text import duration, megabytes, plural, quote_affilka


def error_check(exc: AffilkaError) -> Check:
    """The checklist item for a failure, from the one table in `advice.ADVICE`; Affilka's own error
    message, when the answer carried one, is quoted in the detail."""
    advice = advice_for(exc)
    detail = str(exc)
    quote = quote_affilka(exc.affilka_message)
    if quote and quote not in detail:  # a message that already quotes Affilka's words does not repeat them
        detail += f' Affilka said: "{quote}"'
    return make_check(advice.check_id, Status.FAIL, advice.title, detail, advice.fix, temporary=exc.temporary)


def fetched_check(pages: int, rows: int, size: int, seconds: float) -> Check:
    """A passing item saying the token worked, how much came back, and how long it took."""
    return make_check(
        CheckId.FETCH_OK,
        Status.PASS,
        "Report fetched: the token works",
        f"{plural(pages, 'page')}, {plural(rows, 'row')}, {megabytes(size)} in {duration(seconds)}.",
    )
