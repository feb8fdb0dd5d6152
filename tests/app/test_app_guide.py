"""The Setup guide page, driven through AppTest: the guide's steps with the pasted URL's status."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from affilka_core.guide import STEPS, TROUBLESHOOTING
from affilka_mock.mock_server import MockAffilka
from tests.support import APP, GUIDE_URL, TOKEN, without_param

PAGE = "pages/4_Setup_guide.py"


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    st.cache_data.clear()


def guide_after(url: str | None, *, fetch: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if url is not None:
        at.text_area(key="url_input").input(url).run()
    if fetch:
        next(b for b in at.button if b.label == "Fetch report").click().run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def step_headers(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("#### ") and "Step " in m.value]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(parts)


def test_without_a_url_the_steps_are_a_plain_guide_with_a_link_to_paste_one():
    at = guide_after(None)
    assert step_headers(at) == [f"#### Step {s.number} · {s.name}" for s in STEPS]
    assert "Paste a URL on the URL check page" in at.info[0].value
    links = {link.proto.label: link.proto.page_script_hash for link in at.get("page_link")}
    assert links["Paste a URL to check"] == links["URL check"]
    assert not at.error and not at.warning


def test_guide_url_passes_every_step_but_the_brand_filter():
    headers = step_headers(guide_after(GUIDE_URL))
    assert len(headers) == 7
    for header in headers:
        assert header.startswith("#### ⚠️" if "Step 4" in header else "#### ✅"), header


def test_broken_url_fails_its_step_and_says_what_to_do():
    at = guide_after(without_param(GUIDE_URL, "group_by%5B%5D=campaign"))
    step3 = next(h for h in step_headers(at) if "Step 3 ·" in h)
    assert step3.startswith("#### ❌")
    fixes = [e.value for e in at.error if "What to do" in e.value]
    assert any("Group by lacks campaign" in f and "toggle Campaign ON" in f for f in fixes)
    assert TOKEN not in texts(at)


def test_every_troubleshooting_entry_is_shown_with_its_detecting_checks():
    at = guide_after(without_param(GUIDE_URL, "group_by%5B%5D=campaign"))
    headers = {m.value for m in at.markdown if m.value.startswith("#### ")}
    sync = next(h for h in headers if "API sync fails in CasinoFlux" in h)
    assert sync.startswith("#### ❌")
    for entry in TROUBLESHOOTING:
        assert any(entry.title in h for h in headers)
    detected = [c.value for c in at.caption if c.value.startswith("Detected by:")]
    assert any("❌ `group_by.required`" in d for d in detected)
    assert any("➖ `data.empty`" in d and "not run yet" in d for d in detected)


def test_after_a_fetch_the_data_checks_speak_for_their_steps(monkeypatch):
    with MockAffilka(token=TOKEN, days=10, campaigns=3, empty=True, end_date=dt.date(2026, 4, 21)) as server:
        monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", server.host_port)
        at = guide_after(server.report_url(), fetch=True)
    step5 = next(h for h in step_headers(at) if "Step 5 ·" in h)
    assert step5.startswith("#### ❌")
    empty = next(m.value for m in at.markdown if "JSON tab opens but data is empty" in m.value)
    assert empty.startswith("#### ❌")
    assert any("The report has no rows" in e.value for e in at.error)
