"""The check catalogue: every id once, and every other table of ids derived from it."""

from __future__ import annotations

import pytest

from affilka_core import errors
from affilka_core.catalogue import BY_ID, CATALOGUE, DATA_CHECK_IDS, URL_CHECK_IDS, CheckId, Phase, step_of
from affilka_core.checks.fetch_checks import error_check
from affilka_core.checks.model import URL_CHECK_STEPS
from affilka_core.checks.url_result import check_url
from affilka_core.guide import TROUBLESHOOTING
from tests.support import GUIDE_URL


def test_every_check_id_is_in_the_catalogue_exactly_once():
    assert sorted(e.id for e in CATALOGUE) == sorted(CheckId)
    assert len(BY_ID) == len(CATALOGUE)


def test_ids_compare_equal_to_the_contract_strings():
    assert CheckId.URL_PARSE == "url.parse" and str(CheckId.FETCH_NOT_JSON) == "fetch.not_json"
    assert BY_ID["data.multi_brand"].step == 4


def test_phase_follows_the_id_prefix():
    for entry in CATALOGUE:
        prefix = entry.id.split(".")[0]
        assert entry.phase == (Phase(prefix) if prefix in ("fetch", "data") else Phase.URL), entry


def test_url_checks_and_their_steps_are_the_catalogue_url_phase():
    assert tuple(e.id for e in CATALOGUE if e.phase == Phase.URL) == URL_CHECK_IDS
    assert {e.id: e.step for e in CATALOGUE if e.phase == Phase.URL} == URL_CHECK_STEPS
    assert tuple(e.id for e in CATALOGUE if e.phase == Phase.DATA) == DATA_CHECK_IDS


def test_check_url_gives_every_check_the_step_of_its_id():
    for check in check_url(GUIDE_URL.replace("page=1", "page=2")).checks:
        assert check.step == step_of(check.id)


@pytest.mark.parametrize("error_class", list(errors.ADVICE))
def test_each_failure_becomes_a_catalogued_check_at_its_step(error_class):
    exc = error_class("The report could not be read.")
    check = error_check(exc)
    advice = errors.ADVICE[error_class]
    assert check.id == advice.check_id and check.step == step_of(advice.check_id) == advice.step
    assert BY_ID[check.id].phase in (Phase.FETCH, Phase.URL)
    assert check.title == advice.title and check.fix == errors.advice_for(exc).fix
    assert "{" not in check.fix


def test_troubleshooting_names_only_catalogued_ids():
    for trouble in TROUBLESHOOTING:
        assert set(trouble.check_ids) <= set(BY_ID), trouble.title
