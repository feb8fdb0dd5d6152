"""The home page, driven through Streamlit's AppTest as a user would."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from tests.support import APP, GUIDE_URL, TOKEN, without_param


def home() -> AppTest:
    return AppTest.from_file(APP, default_timeout=30).run()


def paste(at: AppTest, text: str) -> AppTest:
    at.text_area(key="url_input").input(text).run()
    assert not at.exception, at.exception
    return at


def rendered_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [s.value for s in at.success] + [c.value for c in at.code] + [str(m.value) for m in at.metric]
    parts += [t.value for t in at.text_area] + [str(c.value) for c in at.caption]
    return "\n".join(parts)


def test_empty_page_invites_a_paste():
    at = home()
    assert not at.exception
    assert "Paste a URL above" in at.info[0].value


def test_guide_url_shows_all_seven_steps_passing_but_brand():
    at = paste(home(), GUIDE_URL)
    headers = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert len(headers) == 7
    for header in headers:
        expected = "⚠️" if "Step 4" in header else "✅"
        assert header.startswith(f"#### {expected}"), header
    assert not at.error
    assert "Usable" in at.warning[0].value


def test_token_is_masked_everywhere_on_the_page():
    at = paste(home(), GUIDE_URL)
    text = rendered_text(at)
    assert "b7e3…5678" in text
    assert TOKEN not in text


def test_show_token_reveals_it_only_on_request():
    at = paste(home(), GUIDE_URL)
    at.toggle(key="reveal_token").set_value(True).run()
    assert at.text_area(key="url_input").value == GUIDE_URL
    at.toggle(key="reveal_token").set_value(False).run()
    assert TOKEN not in at.text_area(key="url_input").value


def test_editing_the_masked_url_keeps_the_real_token():
    at = paste(home(), GUIDE_URL.replace("period=custom", "period=today"))
    masked = at.text_area(key="url_input").value
    at = paste(at, masked.replace("period=today", "period=custom"))
    assert at.session_state["url_text"] == GUIDE_URL
    assert not at.error


def test_broken_url_shows_the_failing_step_and_its_fix():
    at = paste(home(), without_param(GUIDE_URL, "group_by%5B%5D=campaign"))
    assert "Not usable yet" in at.error[0].value
    step3 = next(m.value for m in at.markdown if "Step 3" in m.value)
    assert step3.startswith("#### ❌")
    fixes = [e.value for e in at.error if "What to do" in e.value]
    assert any("toggle Campaign ON" in f for f in fixes)
    assert at.code and "group_by%5B%5D=campaign" in at.code[0].value
    assert TOKEN not in rendered_text(at)


def test_using_the_suggested_url_fixes_the_checklist():
    at = paste(home(), GUIDE_URL.replace("page=1", "page=3"))
    next(b for b in at.button if b.label == "Use the suggested URL").click().run()
    assert at.session_state["url_text"] == GUIDE_URL
    assert not at.error


def test_text_that_is_not_a_url_says_what_to_do():
    at = paste(home(), "thanks, here it is")
    assert "Not usable yet" in at.error[0].value
    assert any("JSON tab" in e.value for e in at.error)


def test_text_from_the_url_cannot_smuggle_markdown_into_the_page():
    sneaky = GUIDE_URL.replace(
        "&name=", "&columns%5B%5D=%21%5Bx%5D%28https%3A%2F%2Fevil.example%2Fx.png%29&name="
    )
    at = paste(home(), sneaky)
    line = next(m.value for m in at.markdown if "Affilka does not know" in m.value)
    assert "\\!\\[x\\]\\(https://evil.example/x.png\\)" in line


@pytest.mark.parametrize(
    "url",
    [
        GUIDE_URL,
        without_param(GUIDE_URL, "group_by%5B%5D=campaign").replace("period=custom", "period=today"),
        GUIDE_URL.replace("%5B%5D", "%255B%255D").replace("page=1", "page=2"),
        "thanks, here it is",
    ],
)
def test_the_page_and_the_cli_give_the_same_verdicts(url):
    proc = subprocess.run(
        [sys.executable, "-m", "affilka_core", "check", url, "--json"], capture_output=True, timeout=60
    )
    cli = json.loads(proc.stdout)
    icons = {"pass": "✅", "warn": "⚠️", "fail": "❌"}
    rank = {"pass": 0, "warn": 1, "fail": 2}
    expected = {}
    for c in cli["checks"]:
        if c["step"] not in expected or rank[c["status"]] > rank[expected[c["step"]]]:
            expected[c["step"]] = c["status"]
    at = paste(home(), url)
    for step, status in expected.items():
        header = next(
            m.value for m in at.markdown if m.value.startswith("#### ") and f"Step {step} ·" in m.value
        )
        assert header.startswith(f"#### {icons[status]}"), (step, header)
    says_not_usable = any("Not usable yet" in e.value for e in at.error)
    assert says_not_usable == (not cli["ok"])
