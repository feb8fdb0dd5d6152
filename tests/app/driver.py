"""Driving the app through AppTest as a user would: open it, paste, click, switch pages, and read what is
on screen."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from tests.support import APP

TIMEOUT_S = 60


def checked(at: AppTest) -> AppTest:
    """The app after a run, failing the test if the page raised."""
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_app() -> AppTest:
    """A new session on the app's default page, the URL check."""
    return checked(AppTest.from_file(APP, default_timeout=TIMEOUT_S).run())


def open_page(at: AppTest, page: str) -> AppTest:
    """The same session on another page (a file under pages/, as st.navigation registers it)."""
    return checked(at.switch_page(page).run())


def paste(at: AppTest, text: str, key: str = "url_input") -> AppTest:
    """Type `text` into a paste box (the URL check's, unless `key` names another)."""
    return checked(at.text_area(key=key).input(text).run())


def click(at: AppTest, label: str) -> AppTest:
    """Click the button labelled `label`."""
    next(b for b in at.button if b.label == label).click().run()
    return checked(at)


def paste_and_fetch(at: AppTest, url: str) -> AppTest:
    """Paste a URL on the URL check page and fetch it."""
    return click(paste(at, url), "Fetch report")


def texts(at: AppTest) -> str:
    """Every text on screen, widgets' values included: what a token must never appear in."""
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [s.value for s in at.success] + [i.value for i in at.info] + [str(m.value) for m in at.metric]
    parts += [c.value for c in at.code] + [t.value for t in at.text_area] + [str(c.value) for c in at.caption]
    return "\n".join(parts)


def rendered_markdown(at: AppTest) -> list[str]:
    """Every text on screen Streamlit renders as Markdown: bodies, captions, alerts, titles and headers,
    metric labels, values and tooltips, expander, button and progress labels, segmented-control options
    and table cells (the sidebar's included)."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "error", "warning", "info", "success")
        for e in at.get(kind)
    ]
    parts += [e.value for kind in ("title", "header", "subheader") for e in at.get(kind)]
    for metric in at.metric:
        parts += [metric.label, str(metric.value), metric.proto.help]
    parts += [e.label for e in at.expander] + [b.label for b in at.button] + [t.label for t in at.toggle]
    parts += [b.proto.label for b in at.get("download_button")]
    parts += [option for group in at.button_group for option in group.options]
    parts += [str(cell) for table in at.table for cell in table.value.to_numpy().ravel()]
    return [part for part in parts if part]


def everything(at: AppTest) -> str:
    """Every text on screen, Markdown or not: `rendered_markdown`, code blocks, paste boxes, the
    dataframes' cells and headers, and the charts as the browser receives them."""
    parts = rendered_markdown(at) + [c.value for c in at.code] + [t.value for t in at.text_area]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [chart.proto.spec for chart in at.get("plotly_chart")]
    return "\n".join(parts)


def shown(markdown: str) -> str:
    """Markdown source as the page shows it: every backslash escape (`\\$`, `\\_`, `\\[`) read as the
    character it escapes."""
    return re.sub(r"\\(.)", r"\1", markdown)


def step_headers(at: AppTest) -> list[str]:
    """The headers of the guide's steps, in order ("#### ✅ Step 1 · …")."""
    return [m.value for m in at.markdown if m.value.startswith("#### ") and "Step " in m.value]


def step_header(at: AppTest, step: int) -> str:
    """The header of one guide step."""
    return next(h for h in step_headers(at) if f"Step {step} ·" in h)


def plotly_specs(at: AppTest) -> list[dict]:
    """The Plotly figures on the page, as the browser receives them."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def loaded(at: AppTest):
    """The session's one loaded result (`app_pages._ui.session.Loaded`), or None."""
    return at.session_state["result"] if "result" in at.session_state else None  # noqa: SIM401


def report_of(at: AppTest):
    """The report the session has loaded (a `LoadedReport`), or None."""
    result = loaded(at)
    return result.diagnosis.report if result is not None else None


def fetch_with_range(at: AppTest, choice: str, custom=None) -> AppTest:
    """Pick a date range in the fetch form (a preset, "URL's dates" or "Custom" with `custom` dates) and
    submit it: nothing is fetched until the button is clicked."""
    at.button_group(key="range_choice").set_value(choice)
    if custom is not None:
        at.date_input(key="range_custom").set_value(custom)
    label = next(b.label for b in at.button if b.label in ("Fetch report", "Fetch again"))
    return click(at, label)
