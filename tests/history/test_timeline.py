"""affilka_core.history.timeline: where an Offer broke after working, and what broke."""

from __future__ import annotations

import dataclasses
import datetime as dt

from affilka_core.history.case import Case, CaseCheck
from affilka_core.history.timeline import breaks, in_the_paste, what_broke
from tests.history.conftest import NO_CAMPAIGN, make_case, refused, worked
from tests.support import GUIDE_URL, TOKEN

NOV = dt.datetime(2026, 11, 3, 14, 2, tzinfo=dt.UTC)


def at(case: Case, hours: int, case_id: int) -> Case:
    return dataclasses.replace(case, at=NOV + dt.timedelta(hours=hours), id=case_id)


def rate_limited(case: Case) -> Case:
    failed = CaseCheck("fetch.rate_limited", "fail", "Affilka is limiting requests (429)")
    return dataclasses.replace(case, verdict="retry", checks=(*case.checks, failed))


CHECKED = make_case(GUIDE_URL)  # the URL alone, usable
OK = worked(CHECKED)


def test_the_first_failure_after_a_success_is_where_it_broke_with_what_broke_and_since_when():
    timeline = [at(OK, 0, 1), at(refused(OK), 26, 2), at(refused(OK), 30, 3)]
    (found,) = breaks(timeline)
    assert (found.case.id, found.since_success.id) == (2, 1)
    assert found.line == "token expired or invalid since 2026-11-04 16:02"


def test_a_url_that_never_worked_never_broke():
    assert breaks([at(refused(OK), 0, 1), at(refused(OK), 1, 2)]) == []


def test_it_breaks_again_after_it_was_mended():
    timeline = [at(OK, 0, 1), at(refused(OK), 1, 2), at(OK, 2, 3), at(refused(OK), 3, 4)]
    assert [b.case.id for b in breaks(timeline)] == [2, 4]


def test_affilka_not_answering_neither_breaks_nor_mends_it():
    timeline = [at(OK, 0, 1), at(rate_limited(OK), 1, 2), at(refused(OK), 2, 3)]
    (found,) = breaks(timeline)
    assert (found.case.id, found.since_success.id) == (3, 1)


def test_a_url_checked_alone_says_nothing_of_whether_the_offer_worked():
    assert breaks([at(CHECKED, 0, 1), at(refused(CHECKED), 1, 2)]) == []
    (found,) = breaks([at(OK, 0, 1), at(CHECKED, 1, 2), at(refused(CHECKED), 2, 3)])
    assert (found.case.id, found.since_success.id) == (3, 1)


def test_what_broke_names_the_checks_that_newly_fail_not_those_that_failed_before():
    before = make_case(NO_CAMPAIGN)  # already failing: not grouped by campaign
    after = refused(before)
    assert len(after.failing) == 2
    assert what_broke(before, after) == "token expired or invalid"


def test_a_fetch_that_failed_in_the_paste_itself_neither_breaks_nor_mends_the_offer():
    masked = refused(worked(make_case(GUIDE_URL.replace(TOKEN, f"{TOKEN[:4]}…{TOKEN[-4:]}"))))
    assert masked.offer_key == OK.offer_key  # the same Offer, pasted from a ticket
    assert in_the_paste(masked) and not in_the_paste(refused(OK))
    assert breaks([at(OK, 0, 1), at(masked, 2, 2)]) == []
    (broke,) = breaks([at(OK, 0, 1), at(masked, 2, 2), at(refused(OK), 4, 3)])
    assert broke.case.id == 3 and broke.since_success.id == 1
