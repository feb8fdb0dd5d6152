"""The session's report: the in-memory store, fetching (live, demo, saved file), the date control and the
fetch panel."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from affilka_core.checks.combine import combine
from affilka_core.checks.fetch_checks import error_check
from affilka_core.checks.model import Check, mid_sentence
from affilka_core.checks.url_result import UrlCheckResult
from affilka_core.dates import PRESETS, preset_range
from affilka_core.errors import AffilkaError
from affilka_core.fetch.report import wait_message
from affilka_core.load import LoadedReport, load_demo, load_file, load_live
from affilka_core.url.parse import AffilkaUrl, with_dates

from .routes import PERFORMANCE
from .state import (
    CUSTOM,
    FETCH_ERROR,
    FETCHED_AT,
    FETCHED_FOR,
    FILE_ERROR,
    PREVIOUS,
    RANGE_CHOICE,
    RANGE_CUSTOM,
    REPORT,
    REPORT_FILE,
    SCENARIO,
    SCENARIO_PICK,
    URL_DATES,
)

RANGE_CHANGED = "range_changed"

# The session store. A fetched report lives in this session's st.session_state only (memory, never
# disk, never shared with another session), so every Fetch click asks Affilka again and a failure can
# never be answered by an older success. It holds one report: a new load replaces the old one, so a
# session keeps at most the current report plus, while a fetch runs, the one it is about to replace.
DEMO_CACHE_SECONDS = 15 * 60


def loaded_report() -> LoadedReport | None:
    """The report loaded this session (live, demo or file), if any."""
    return st.session_state.get(REPORT)


def fetch_error() -> Check | None:
    """The check describing the last failed fetch, if the last fetch failed."""
    return st.session_state.get(FETCH_ERROR)


def file_error() -> Check | None:
    """The check describing the last uploaded file that could not be read, if it could not."""
    return st.session_state.get(FILE_ERROR)


def report_matches(url: AffilkaUrl | None) -> bool:
    """Whether the loaded report (or the failed fetch) belongs to this URL."""
    return url is not None and st.session_state.get(FETCHED_FOR) == url.identity()


def failed_title(error: Check) -> str:
    """A failed fetch's title mid-sentence."""
    return mid_sentence(error.title)


def after_failure(error: Check) -> str:
    """What to do after a failed fetch: fix its step, or, when Affilka only did not answer now, nothing
    but fetch again later."""
    if error.temporary:
        return "Change nothing in the URL; click Fetch again later"
    return f"Fix step {error.step}, then click Fetch again"


def all_checks(result: UrlCheckResult | None) -> list[Check]:
    """URL checks plus, when the loaded report belongs to this URL, the fetch and data checks."""
    if result is None or result.url is None:
        return list(result.checks) if result else []
    if not report_matches(result.url):
        return list(result.checks)
    report, error = loaded_report(), fetch_error()
    if error:
        return list(combine(result.checks, [error], None))
    extra = list(report.checks) if report else []
    return list(combine(result.checks, extra, report.frame if report else None))


@st.cache_data(ttl=DEMO_CACHE_SECONDS, max_entries=2, show_spinner=False)
def _load_demo_cached(days: int, end: dt.date) -> LoadedReport:
    # Generated data, no network and no token: the same for every session, so it may be shared.
    return load_demo(days, end=end)


def forget_extras() -> None:
    """Drop what belongs to the report being replaced: the scenario on screen, the previous period."""
    st.session_state.pop(SCENARIO, None)
    st.session_state.pop(PREVIOUS, None)


def fetch(url: AffilkaUrl, date_from: dt.date | None = None, date_to: dt.date | None = None) -> None:
    """Fetch every page of `url` from Affilka (dates replaced when given) with a progress bar; keep the
    result, or the failure as a check, in the session, replacing whatever was loaded before."""
    if date_from and date_to:
        url = with_dates(url, date_from, date_to)
    bar = FetchProgress("Fetching page 1…")

    # Drop the old report first: a failure must never leave an older success on screen.
    st.session_state[REPORT], st.session_state[FETCH_ERROR] = None, None
    forget_extras()
    try:
        st.session_state[REPORT] = load_live(url, on_progress=bar.pages, on_wait=bar.waiting)
    except AffilkaError as exc:
        st.session_state[FETCH_ERROR] = error_check(exc)
    finally:
        bar.empty()
    st.session_state[FETCHED_FOR] = url.identity()
    st.session_state[FETCHED_AT] = dt.datetime.now()
    st.rerun()  # so the sidebar and every section show the new report


class FetchProgress:
    """A progress bar for a fetch: pages done, and while Affilka makes it wait, why and for how long."""

    def __init__(self, text: str) -> None:
        self._bar = st.progress(0.0, text=text)
        self._done = 0.0

    def pages(self, done: int, total: int) -> None:
        """`on_progress` of `load_live`."""
        self._done = done / total
        self._bar.progress(self._done, text=f"Fetched {done} of {total} page{'s' if total > 1 else ''}")

    def waiting(self, seconds: float, reason: str, attempt: int, attempts: int) -> None:
        """`on_wait` of `load_live`."""
        self._bar.progress(self._done, text=wait_message(seconds, reason, attempt, attempts) + "…")

    def empty(self) -> None:
        """Remove the bar."""
        self._bar.empty()


def fetched_when(at: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """When the last fetch came back, as people say it: "fetched 14:02, 3 min ago"."""
    if at is None:
        return ""
    minutes = int(((now or dt.datetime.now()) - at).total_seconds() // 60)
    if minutes < 1:
        ago = "just now"
    elif minutes < 60:
        ago = f"{minutes} min ago"
    else:
        ago = f"{minutes // 60} h {minutes % 60} min ago"
    return f"fetched {at:%H:%M}, {ago}"


def load_demo_report() -> None:
    """Load the generated demo report: no network, no token."""
    yesterday = dt.date.today() - dt.timedelta(days=1)
    forget_extras()
    st.session_state[SCENARIO_PICK] = None
    st.session_state[REPORT] = _load_demo_cached(90, yesterday)
    st.session_state[FETCH_ERROR] = None
    st.session_state[FETCHED_FOR] = None
    st.session_state[FILE_ERROR] = None


def load_saved_report() -> None:
    """Load the uploaded report file (the JSON tab saved to disk) like a fetched report; keep the
    failure as a check when the file is not a readable report (what was loaded before stays loaded).
    Removing the file unloads the report it loaded."""
    uploaded = st.session_state.get(REPORT_FILE)
    st.session_state[FILE_ERROR] = None
    if uploaded is None:
        report = loaded_report()
        if report is not None and report.source == "file":
            st.session_state[REPORT] = None
        return
    try:
        report = load_file(uploaded.getvalue(), uploaded.name)
    except AffilkaError as exc:
        st.session_state[FILE_ERROR] = error_check(exc)
        return
    forget_extras()
    st.session_state[REPORT] = report
    st.session_state[FETCH_ERROR] = None
    st.session_state[FETCHED_FOR] = None


def _on_range_change() -> None:
    st.session_state[RANGE_CHANGED] = True


def date_range_control(default: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date] | None:
    """Presets and a custom range; None means "the URL's own dates"."""
    options = ([URL_DATES] if default else []) + list(PRESETS) + [CUSTOM]
    choice = st.segmented_control(
        "Date range", options, default=options[0], key=RANGE_CHOICE, on_change=_on_range_change
    )
    choice = choice or options[0]
    if choice == URL_DATES:
        return None
    if choice == CUSTOM:
        start_default = default or preset_range("Last 30 days")
        picked = st.date_input(
            "From – to",
            value=start_default,
            key=RANGE_CUSTOM,
            format="YYYY-MM-DD",
            on_change=_on_range_change,
        )
        if isinstance(picked, tuple) and len(picked) == 2:
            return picked[0], picked[1]
        st.caption("Pick the end date too.")
        return default
    return preset_range(choice)


def _range_caption(url: AffilkaUrl, chosen: tuple[dt.date, dt.date] | None) -> str:
    own = url.date_span()
    own_text = f"{own[0]} → {own[1]}" if own else "no valid dates"
    if chosen is None:
        return f"Fetches the URL's own dates, {own_text}."
    return (
        f"Fetches {chosen[0]} → {chosen[1]} (the URL itself says {own_text}; CasinoFlux replaces them too)."
    )


def fetch_panel(url: AffilkaUrl) -> None:
    """Fetch the URL with a date range; once a report for it is loaded, changing the range fetches
    again with from/to rewritten, as CasinoFlux does on every sync. Every click asks Affilka."""
    fetched = report_matches(url)
    error, report = (fetch_error(), loaded_report()) if fetched else (None, None)
    with st.container(border=True):
        if error is not None:
            st.markdown(f"**The last fetch failed: {failed_title(error)}.** {after_failure(error)}.")
        elif report is not None:
            st.markdown("**Report fetched** — change the dates or fetch again to see Affilka's answer now.")
        else:
            st.markdown("**Fetch the report** — try the URL for real: token, columns, brands, dates.")
        chosen = date_range_control(url.date_span())
        st.caption(_range_caption(url, chosen))
        changed = st.session_state.pop(RANGE_CHANGED, False)
        clicked = st.button("Fetch again" if fetched else "Fetch report", type="primary")
        if clicked or (changed and fetched and report is not None):
            fetch(url, *(chosen or (None, None)))
        if not fetched:
            return
        when = fetched_when(st.session_state.get(FETCHED_AT))
        if error and error.temporary:
            st.warning(
                f"**Could not verify now: {error.title}** ({when}). {error.fix} Then click **Fetch again**.",
                icon="⏳",
            )
        elif error:
            st.error(
                f"**Fetch failed: {error.title}** ({when}). {error.fix} See step {error.step} below, then "
                "click **Fetch again**.",
                icon="❌",
            )
        elif report is not None:
            st.success(
                f"Fetched {report.pages} page{'s' if report.pages != 1 else ''}: "
                f"{len(report.frame):,} rows, {report.date_from} → {report.date_to} ({when}).",
                icon="✅",
            )
            st.page_link(PERFORMANCE, label="Open Performance", icon="📈")
