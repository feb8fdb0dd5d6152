"""The session's report: the in-memory store, fetching (live, demo, saved file), the date control and the
fetch panel."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from affilka_core.checks import Check, UrlCheckResult
from affilka_core.dates import PRESETS, preset_range
from affilka_core.diagnose import combine, error_check
from affilka_core.errors import AffilkaError
from affilka_core.load import LoadedReport, load_demo, load_file, load_live
from affilka_core.url import AffilkaUrl, with_dates

from .routes import PERFORMANCE
from .state import FETCH_ERROR, FETCHED_FOR, FILE_ERROR, REPORT, REPORT_FILE

RANGE_CHOICE, RANGE_CUSTOM, RANGE_CHANGED = "range_choice", "range_custom", "range_changed"
URL_DATES = "URL's dates"
CUSTOM = "Custom"

# Fetched reports stay in server memory (never on disk) for a while, a few at a time.
CACHE_TTL_SECONDS = 15 * 60
CACHE_ENTRIES = 8


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


def all_checks(result: UrlCheckResult | None) -> list[Check]:
    """URL checks plus, when the loaded report belongs to this URL, the fetch and data checks."""
    if result is None or result.url is None:
        return list(result.checks) if result else []
    if not report_matches(result.url):
        return list(result.checks)
    report, error = loaded_report(), fetch_error()
    extra = [error] if error else list(report.checks) if report else []
    return list(combine(result.checks, extra, report.frame if report else None))


class _NotCached(Exception):
    pass


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES, show_spinner=False)
def _report_cache(url: str, _fresh: LoadedReport | None = None) -> LoadedReport:
    """Fetched reports by URL, in memory. Called with only the URL it answers a hit or raises
    `_NotCached` (exceptions are not cached); called with `_fresh` it stores that report. The fetch
    itself runs outside, because its progress bar cannot live inside a cached function."""
    if _fresh is None:
        raise _NotCached
    return _fresh


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=2, show_spinner=False)
def _load_demo_cached(days: int, end: dt.date) -> LoadedReport:
    return load_demo(days, end=end)


def fetch(url: AffilkaUrl, date_from: dt.date | None = None, date_to: dt.date | None = None) -> None:
    """Fetch every page of `url` (dates replaced when given) with a progress bar; keep the result, or
    the failure as a check, in the session."""
    if date_from and date_to:
        url = with_dates(url, date_from, date_to)
    key = url.url()
    try:
        report = _report_cache(key)
    except _NotCached:
        bar = st.progress(0.0, text="Fetching page 1…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Fetched {done} of {total} page{'s' if total > 1 else ''}")

        try:
            report = _report_cache(key, load_live(url, on_progress=progress))
        except AffilkaError as exc:
            st.session_state[REPORT], st.session_state[FETCH_ERROR] = None, error_check(exc)
            report = None
        finally:
            bar.empty()
    if report is not None:
        st.session_state[REPORT], st.session_state[FETCH_ERROR] = report, None
    st.session_state[FETCHED_FOR] = url.identity()
    st.rerun()  # so the sidebar and every section show the new report


def load_demo_report() -> None:
    """Load the generated demo report: no network, no token."""
    yesterday = dt.date.today() - dt.timedelta(days=1)
    st.session_state[REPORT] = _load_demo_cached(90, yesterday)
    st.session_state[FETCH_ERROR] = None
    st.session_state[FETCHED_FOR] = None


def load_saved_report() -> None:
    """Load the uploaded report file (the JSON tab saved to disk) like a fetched report; keep the
    failure as a check when the file is not a readable report."""
    uploaded = st.session_state.get(REPORT_FILE)
    st.session_state[FILE_ERROR] = None
    if uploaded is None:
        return
    try:
        report = load_file(uploaded.getvalue(), uploaded.name)
    except AffilkaError as exc:
        st.session_state[FILE_ERROR] = error_check(exc)
        return
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


def fetch_panel(url: AffilkaUrl) -> None:
    """Fetch the URL with a date range; once a report for it is loaded, changing the range fetches
    again with from/to rewritten, as CasinoFlux does on every sync."""
    with st.container(border=True):
        st.markdown("**Fetch the report** — try the URL for real: token, columns, brands, dates.")
        chosen = date_range_control(url.date_span())
        changed = st.session_state.pop(RANGE_CHANGED, False)
        clicked = st.button("Fetch report", type="primary")
        if clicked or (changed and report_matches(url) and loaded_report() is not None):
            fetch(url, *(chosen or (None, None)))
        if not report_matches(url):
            return
        error, report = fetch_error(), loaded_report()
        if error:
            st.error(f"**Fetch failed: {error.title}.** See step {error.step} below.", icon="❌")
        elif report is not None:
            st.success(
                f"Fetched {report.pages} page{'s' if report.pages != 1 else ''}: "
                f"{len(report.frame):,} rows, {report.date_from} → {report.date_to}.",
                icon="✅",
            )
            st.page_link(PERFORMANCE, label="Open Performance", icon="📈")
