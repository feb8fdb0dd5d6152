"""Loading a result into the session: the fetch form (dates and the Fetch button), its progress bar, the
demo, a saved file and the demo scenarios. Each ends in `session.store`, replacing what was loaded."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from affilka_core.catalogue import CheckId
from affilka_core.dates import PRESETS, preset_range, yesterday
from affilka_core.diagnosis import Diagnosis, diagnose_demo, diagnose_report, diagnose_url
from affilka_core.fetch.pacing import Pause
from affilka_core.fetch.page import host_pause
from affilka_core.fetch.report import wait_message
from affilka_core.outputs.markdown import md
from affilka_core.scenarios import diagnose_scenario
from affilka_core.text import clock_time, mid_sentence, plural
from affilka_core.url.parse import AffilkaUrl

from .history import record
from .paste_box import set_url
from .routes import PERFORMANCE
from .session import (
    RANGE_CHOICE,
    RANGE_CUSTOM,
    SCENARIO_PICK,
    UPLOAD,
    UPLOAD_FAILED,
    Loaded,
    loaded,
    pasted_secrets,
    settings,
    store,
    url_text,
)

URL_DATES = "URL's dates"
CUSTOM = "Custom"
# Generated data (demo, scenarios) is the same for every session: cached, shared, no token in it.
GENERATED_CACHE_SECONDS = 15 * 60


class FetchProgress:
    """A progress bar for a fetch: pages done, and while Affilka makes it wait, why and for how long."""

    def __init__(self, text: str) -> None:
        self._bar = st.progress(0.0, text=md("{}", text))
        self._done = 0.0

    def pages(self, done: int, total: int) -> None:
        """`on_progress` of a fetch."""
        self._done = done / total
        self._bar.progress(self._done, text=md("Fetched {} of {}", done, plural(total, "page")))

    def waiting(self, seconds: float, reason: str, attempt: int, attempts: int) -> None:
        """`on_wait` of a fetch."""
        self._bar.progress(self._done, text=md("{}…", wait_message(seconds, reason, attempt, attempts)))

    def empty(self) -> None:
        """Remove the bar."""
        self._bar.empty()


def fetch_with_progress(
    text: str, span: tuple[dt.date, dt.date] | None, label: str = "Fetching page 1…"
) -> Diagnosis:
    """Check and fetch the pasted text, every page, with a progress bar (`span`: another range than the
    URL's own). A failure is a check in the diagnosis, never an exception."""
    bar = FetchProgress(label)
    try:
        return diagnose_url(
            text,
            settings=settings(),
            on_progress=bar.pages,
            on_wait=bar.waiting,
            **({"date_from": span[0], "date_to": span[1]} if span else {}),
        )
    finally:
        bar.empty()


def fetch(url: AffilkaUrl, span: tuple[dt.date, dt.date] | None = None) -> None:
    """Fetch the pasted URL (dates replaced by `span` when given) and keep the result, success or failure,
    as the session's one result, replacing whatever was loaded before."""
    store(None)  # a failure must never leave an older success on screen, even while this one runs
    diagnosis = fetch_with_progress(url_text(), span)
    record(diagnosis)
    store(Loaded(diagnosis, "live", url_key=url.identity()))
    st.rerun()  # so the sidebar and every section show the new result


def fetched_when(at: dt.datetime | None, now: dt.datetime | None = None, *, what: str = "fetched") -> str:
    """When a result came back, as people say it: "fetched 14:02 UTC, 3 min ago"; `what` names what
    happened then ("tried" for a failure: a host that did not answer did not answer at 14:02)."""
    if at is None:
        return ""
    moment = at if at.tzinfo else at.astimezone()
    now = now or dt.datetime.now(dt.UTC)
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        ago = "just now"
    elif minutes < 60:
        ago = f"{minutes} min ago"
    else:
        ago = f"{minutes // 60} h {minutes % 60} min ago"
    return f"{what} {clock_time(moment)}, {ago}"


# Failures with no answer from Affilka behind them: nothing was refused, the doctor only tried.
_UNANSWERED = (CheckId.FETCH_TIMEOUT, CheckId.FETCH_CONNECTION, CheckId.FETCH_BLOCKED_ADDRESS)


def _what_happened(failed: str) -> str:
    return "tried" if failed in _UNANSWERED else "Affilka answered"


def paused(url: AffilkaUrl) -> Pause | None:
    """The pause the URL's host is in now (a 429 asked every request to it to wait), or None."""
    return host_pause(url.url(), settings())


def available_after(pause: Pause) -> str:
    """When Fetch may ask the host again: "after 23:39"."""
    return f"after {clock_time(pause.until)}"


def after_failure(failed_temporarily: bool, step: int) -> str:
    """What to do after a failed fetch: fix its step, or, when Affilka only did not answer now, nothing
    but fetch again later."""
    if failed_temporarily:
        return "Change nothing in the URL; click Fetch again later"
    return f"Fix step {step}, then click Fetch again"


def _chosen(choice: str, custom: object) -> tuple[dt.date, dt.date] | None:
    """The range a submitted form asks for: None for the URL's own dates. Raises ValueError for a custom
    range without its end."""
    if choice == URL_DATES:
        return None
    if choice == CUSTOM:
        if isinstance(custom, tuple | list) and len(custom) == 2:
            return custom[0], custom[1]
        raise ValueError("Pick the end date of the custom range too, then click Fetch.")
    return preset_range(choice)


def _range_caption(url: AffilkaUrl, last: Diagnosis | None) -> str:
    """Which dates a fetch asks for: the URL's own unless another range is picked, and those of the last
    fetch when it asked for others."""
    own = url.date_span()
    own_text = f"{own[0]} → {own[1]}" if own else "no valid dates"
    chosen = last.url_result.chosen if last is not None and last.url_result is not None else None
    if chosen is not None:
        return (
            f"The last fetch asked for {chosen[0]} → {chosen[1]}, the range picked (the URL itself says "
            f"{own_text}; CasinoFlux replaces them too). Another range takes over from the click on Fetch."
        )
    return (
        f"The URL's own dates: {own_text}. A preset or a custom range fetches other days instead, from "
        "the click on Fetch."
    )


def fetch_panel(url: AffilkaUrl, not_fetched: str | None = None) -> None:
    """The fetch form: a date range (the URL's own, a preset or custom, as CasinoFlux rewrites from/to on
    every sync) and the Fetch button. Nothing is fetched until the button is clicked, and every click
    asks Affilka, except while the host is in a pause a 429 asked for: the button then says when it is
    available, and comes back by itself once the pause is over. A URL `not_fetched` names
    (`why_not_fetched`: its token masked or missing) is never fetched: the panel says why instead."""
    if not_fetched is not None:
        st.info(
            md(
                "**Not fetched: {}.** Affilka could only refuse this URL, so nothing is sent to it: fix the "
                "token first (step 7 below), then fetch.",
                not_fetched,
            ),
            icon="🔑",
        )
        return
    result = loaded()
    mine = result if result is not None and result.answers(url) else None
    pause = paused(url)
    if pause is None:
        _fetch_form(url, mine)
    else:
        st.fragment(_fetch_form, run_every=max(pause.left, 1.0))(url, mine)
    if mine is not None:
        fetch_outcome(mine, url)


def _fetch_form(url: AffilkaUrl, mine: Loaded | None) -> None:
    failed = mine.diagnosis.failed_fetch if mine else None
    pause = paused(url)  # again: as a fragment this reruns alone, when the pause may be over
    own = url.date_span()
    options = ([URL_DATES] if own else []) + list(PRESETS) + [CUSTOM]
    with st.form("fetch", border=True):
        if pause is not None:
            st.markdown(
                md(
                    "**Affilka asked to wait** (429 at {}, {:.0f} s): nothing is asked until the pause is "
                    "over, {}. Change nothing in the URL.",
                    clock_time(pause.asked_at),
                    pause.asked_for,
                    available_after(pause),
                )
            )
        elif failed is not None:
            st.markdown(
                md(
                    "**The last fetch failed: {}.** {}.",
                    mid_sentence(failed.title),
                    after_failure(failed.temporary, failed.step),
                )
            )
        elif mine is not None:
            st.markdown("**Report fetched** — pick other dates or fetch again to see Affilka's answer now.")
        else:
            st.markdown("**Fetch the report** — try the URL for real: token, columns, brands, dates.")
        choice = st.segmented_control("Date range", options, default=options[0], key=RANGE_CHOICE)
        custom = st.date_input(
            "Custom range (from – to)",
            value=own or preset_range("Last 30 days"),
            key=RANGE_CUSTOM,
            format="YYYY-MM-DD",
            help="Used when the date range is Custom.",
        )
        st.caption(md("{}", _range_caption(url, mine.diagnosis if mine else None)))
        if pause is not None:
            label = md("Fetch available {}", available_after(pause))
        else:
            label = md("Fetch again" if mine else "Fetch report")
        submitted = st.form_submit_button(label, type="primary", disabled=pause is not None)
    if submitted:
        try:
            span = _chosen(choice or options[0], custom)
        except ValueError as exc:
            st.warning(md("{}", exc), icon="📅")
        else:
            fetch(url, span)


def fetch_outcome(result: Loaded, url: AffilkaUrl | None = None) -> None:
    """What the last fetch of the pasted URL came back with, and when; after a 429 that paused the host,
    when Fetch may ask again (and, for a click that could not ask, that nothing was asked)."""
    diagnosis = result.diagnosis
    failed = diagnosis.failed_fetch
    report = diagnosis.report
    pause = paused(url) if url is not None else None
    if failed is not None and not diagnosis.asked:
        asked = f"at {clock_time(diagnosis.at)} Affilka asked to wait"
        st.warning(
            md(
                "**Not asked again:** {} {:.0f} s; Fetch is available {}.",
                asked,
                pause.asked_for,
                available_after(pause),
            )
            if pause is not None
            else md("**Not asked again:** {}. That pause is over: click **Fetch again**.", asked),
            icon="⏳",
        )
    elif failed is not None and failed.temporary:
        when = fetched_when(diagnosis.at, what=_what_happened(failed.id))
        then = (
            md("Fetch is available {}.", available_after(pause))
            if pause is not None
            else md("Then click **Fetch again**.")
        )
        st.warning(
            md(
                "**Could not verify now: {}** ({}). {} {}", mid_sentence(failed.title), when, failed.fix, then
            ),
            icon="⏳",
        )
    elif failed is not None:
        when = fetched_when(diagnosis.at, what=_what_happened(failed.id))
        st.error(
            md(
                "**Fetch failed: {}** ({}). {} See step {} below, then click **Fetch again**.",
                failed.title,
                when,
                failed.fix,
                failed.step,
            ),
            icon="❌",
        )
    elif report is not None:
        st.success(
            md(
                "Fetched {}: {}, {}; {}.",
                plural(report.pages, "page"),
                plural(len(report.frame), "row"),
                report.span_text(),
                fetched_when(diagnosis.at),
            ),
            icon="✅",
        )
        st.page_link(PERFORMANCE, label="Open Performance", icon="📈")


@st.cache_data(ttl=GENERATED_CACHE_SECONDS, max_entries=2, show_spinner=False)
def _demo(days: int, end: dt.date) -> Diagnosis:
    return diagnose_demo(days, end=end)


@st.cache_data(ttl=GENERATED_CACHE_SECONDS, max_entries=8, show_spinner=False)
def _scenario(key: str, end: dt.date) -> Diagnosis:
    return diagnose_scenario(key, end=end)


def load_demo() -> None:
    """Load the generated demo report: no network, no token."""
    st.session_state[SCENARIO_PICK] = None
    st.session_state[UPLOAD_FAILED] = None
    store(Loaded(_demo(90, yesterday()), "demo"))


def load_scenario() -> None:
    """Load the picked scenario as if its URL had been pasted and fetched: the URL check page shows its
    checklist, Performance and Data its rows (when it has any)."""
    key = st.session_state.get(SCENARIO_PICK)
    if key is None:
        return
    set_url("")
    store(Loaded(_scenario(key, yesterday()), "scenario", scenario=key))


def load_upload() -> None:
    """Load the uploaded report file (the JSON tab saved to disk) like a fetched report. A file that is
    not a readable report is kept apart (UPLOAD_FAILED): what was loaded before stays loaded. Removing
    the file unloads the report it loaded."""
    uploaded = st.session_state.get(UPLOAD)
    st.session_state[UPLOAD_FAILED] = None
    if uploaded is None:
        result = loaded()
        if result is not None and result.source == "file":
            store(None)
        return
    # The file may quote the pasted URL's token: masked with it as it is loaded.
    limits = settings()
    diagnosis = diagnose_report(
        uploaded.getvalue(),
        uploaded.name,
        secrets=pasted_secrets(),
        max_rows=limits.max_rows,
        max_bytes=limits.max_report_bytes,
    )
    if diagnosis.report is None:
        st.session_state[UPLOAD_FAILED] = diagnosis
        return
    store(Loaded(diagnosis, "file"))
