"""An Offer's timeline: its cases in time order, and where it broke (the first failed fetch after one
that worked, with what broke: "token expired or invalid since 2026-11-03 14:02")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from affilka_core.catalogue import CheckId
from affilka_core.checks.verdict import FIX, USABLE
from affilka_core.history.case import Case
from affilka_core.text import first_n, mid_sentence


@dataclass(frozen=True, kw_only=True, slots=True)
class Break:
    """Where an Offer broke: `case`, the first case to fail after `since_success`, the last that did
    not, and `what` broke (the titles of the checks that newly failed)."""

    case: Case
    since_success: Case
    what: str

    @property
    def line(self) -> str:
        """ "token expired or invalid since 2026-11-03 14:02" (UTC)."""
        return f"{self.what} since {when(self.case.at)}"


def when(at: dt.datetime) -> str:
    """A case's time as the history shows it: "2026-11-03 14:02" (UTC)."""
    return f"{at.astimezone(dt.UTC):%Y-%m-%d %H:%M}"


def what_broke(before: Case, after: Case) -> str:
    """The checks that fail in `after` and did not in `before` (all of `after`'s failures when none is
    new), as a phrase."""
    failed_before = {c.id for c in before.failing}
    new = [c for c in after.failing if c.id not in failed_before] or list(after.failing)
    return first_n([mid_sentence(c.title) for c in new], 2, sep="; ") or "the verdict"


# The URL checks whose failure is in the pasted copy, not in the Offer: a URL cut off, wrapped or
# mangled, several pasted at once, a token masked (copied from a ticket), missing or misplaced. Their fix
# is "paste it again", never "Affilka refused".
PASTE_CHECKS = frozenset({CheckId.URL_PARSE, CheckId.URL_ENCODING, CheckId.TOKEN_PRESENT})


def in_the_paste(case: Case) -> bool:
    """Whether the case failed in the paste itself (a `PASTE_CHECKS` check fails): what it says is of
    that copy of the URL, not of the Offer."""
    return any(c.id in PASTE_CHECKS for c in case.failing)


def breaks(timeline: Sequence[Case]) -> list[Break]:
    """Every break in an Offer's cases (oldest first): a fetch to fix after a usable fetch. Only fetches
    say whether the Offer works (a URL checked alone says nothing of its token); those that could not be
    verified (Affilka did not answer) and those of a paste that failed in itself (`in_the_paste`: a
    masked token, a cut URL) neither break nor mend it."""
    found: list[Break] = []
    last_ok: Case | None = None
    broken = False
    for case in timeline:
        if not case.fetched or in_the_paste(case):
            continue
        if case.verdict == USABLE:
            last_ok, broken = case, False
        elif case.verdict == FIX and last_ok is not None and not broken:
            found.append(Break(case=case, since_success=last_ok, what=what_broke(last_ok, case)))
            broken = True
    return found
