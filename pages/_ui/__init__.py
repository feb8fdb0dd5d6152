"""Streamlit pieces shared by the pages: layout, navigation, session state, fetching and the checklist.

Kept beside the pages (a package, so Streamlit does not list it as a page). Only arrangement on
screen and session bookkeeping live here; every rule and computation comes from affilka_core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import streamlit as st

from affilka_core.checks import ICONS, Check, Status, UrlCheckResult, check_url, worst
from affilka_core.dates import PRESETS, preset_range
from affilka_core.diagnose import combine, error_check
from affilka_core.errors import AffilkaError
from affilka_core.guide import STEPS
from affilka_core.load import LoadedReport, load_demo, load_live
from affilka_core.url import AffilkaUrl, mask_url, unmask, with_dates

APP_NAME = "Affilka URL doctor"
PAGES = (
    ("app.py", "URL check", "🩺"),
    ("pages/1_Performance.py", "Performance", "📈"),
    ("pages/2_Data.py", "Data", "🗂️"),
)

# Session keys. URL_TEXT holds what the user pasted, in memory only; URL_INPUT is the paste box,
# which shows it with the token masked unless REVEAL is on. REPORT is the loaded report, FETCH_ERROR
# the failed fetch's check, FETCHED_FOR which URL (dates aside) the report came from.
URL_TEXT, URL_INPUT, REVEAL = "url_text", "url_input", "reveal_token"
REPORT, FETCH_ERROR, FETCHED_FOR = "report", "fetch_error", "fetched_for"
RANGE_CHOICE, RANGE_CUSTOM = "range_choice", "range_custom"
URL_DATES = "URL's dates"
CUSTOM = "Custom"

# Fetched reports stay in server memory (never on disk) for a while, a few at a time.
CACHE_TTL_SECONDS = 15 * 60
CACHE_ENTRIES = 8


def setup_page(title: str) -> None:
    """Page config, navigation and the session's context, for every page."""
    st.set_page_config(page_title=f"{title} · {APP_NAME}", page_icon="🩺", layout="wide")
    st.session_state.setdefault(URL_TEXT, "")
    with st.sidebar:
        st.markdown(f"### 🩺 {APP_NAME}")
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
        st.divider()
        report_context()


# --- the pasted URL ------------------------------------------------------------------------------


def url_text() -> str:
    """The URL the user pasted this session, token in clear."""
    return st.session_state.get(URL_TEXT, "")


def current_result() -> UrlCheckResult | None:
    """The checklist of the pasted URL, or None before anything is pasted."""
    text = url_text()
    return check_url(text) if text.strip() else None


def _shown(text: str) -> str:
    return text if st.session_state.get(REVEAL) else mask_url(text)


def _on_input_change() -> None:
    st.session_state[URL_TEXT] = unmask(st.session_state[URL_INPUT], url_text())
    st.session_state[URL_INPUT] = _shown(st.session_state[URL_TEXT])


def _on_reveal_change() -> None:
    st.session_state[URL_INPUT] = _shown(url_text())


def set_url(text: str) -> None:
    """Replace the session's URL (e.g. with the suggested one), keeping the paste box in step."""
    st.session_state[URL_TEXT] = text
    st.session_state[URL_INPUT] = _shown(text)


def clear_url() -> None:
    """Forget the URL and anything fetched from it."""
    set_url("")
    for key in (REPORT, FETCH_ERROR, FETCHED_FOR):
        st.session_state.pop(key, None)


def url_input() -> None:
    """The paste box, multi-line so wrapped URLs paste whole; shows the token masked."""
    if URL_INPUT not in st.session_state:
        st.session_state[URL_INPUT] = _shown(url_text())
    st.text_area(
        "Affilka report URL",
        key=URL_INPUT,
        height=110,
        on_change=_on_input_change,
        placeholder="https://<your-program>/api/client/partner/report.json?from=…&to=…&period=custom"
        "&columns%5B%5D=…&group_by%5B%5D=day…&token=…&page=1",
        help="The address of the JSON tab that Export report → JSON opens in Affilka. Line breaks and "
        "spaces from e-mail or chat are removed.",
    )


def reveal_toggle() -> bool:
    """The explicit action that shows the token in clear."""
    return st.toggle(
        "Show token",
        key=REVEAL,
        on_change=_on_reveal_change,
        help="The token is a password to the affiliate's report: keep it hidden on shared screens.",
    )


# --- the loaded report ---------------------------------------------------------------------------


def _identity(url: AffilkaUrl) -> tuple:
    """A URL minus its dates and page: a date change is the same report, a new token is not."""
    skip = {"from", "to", "exchange_rates_date", "page"}
    return (url.netloc, url.path, tuple(p for p in url.params if p[0] not in skip))


def loaded_report() -> LoadedReport | None:
    """The report loaded this session (live, demo or file), if any."""
    return st.session_state.get(REPORT)


def fetch_error() -> Check | None:
    """The check describing the last failed fetch, if the last fetch failed."""
    return st.session_state.get(FETCH_ERROR)


def report_matches(url: AffilkaUrl | None) -> bool:
    """Whether the loaded report (or the failed fetch) belongs to this URL."""
    return url is not None and st.session_state.get(FETCHED_FOR) == _identity(url)


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
    st.session_state[FETCHED_FOR] = _identity(url)
    st.rerun()  # so the sidebar and every section show the new report


def load_demo_report() -> None:
    """Load the generated demo report: no network, no token."""
    yesterday = dt.date.today() - dt.timedelta(days=1)
    st.session_state[REPORT] = _load_demo_cached(90, yesterday)
    st.session_state[FETCH_ERROR] = None
    st.session_state[FETCHED_FOR] = None


def report_context() -> None:
    """Where the user is: which report, which dates, demo or live."""
    report = loaded_report()
    if report is None:
        st.caption("No report loaded. Paste a URL and fetch it, or try the demo, on the URL check page.")
        return
    badge = {"live": "🟢 Live", "demo": "🧪 Demo data", "file": "📄 Saved file"}[report.source]
    st.markdown(f"**{badge}**  \n{report.label}")
    if report.date_from and report.date_to:
        st.caption(f"{report.date_from} → {report.date_to} · {len(report.frame):,} rows")


def all_checks(result: UrlCheckResult | None) -> list[Check]:
    """URL checks plus, when the loaded report belongs to this URL, the fetch and data checks."""
    if result is None or result.url is None:
        return list(result.checks) if result else []
    if not report_matches(result.url):
        return list(result.checks)
    report, error = loaded_report(), fetch_error()
    extra = [error] if error else list(report.checks) if report else []
    return list(combine(result.checks, extra, report.frame if report else None))


# --- dates ---------------------------------------------------------------------------------------


def date_range_control(default: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date] | None:
    """Presets and a custom range; None means "the URL's own dates"."""
    options = ([URL_DATES] if default else []) + list(PRESETS) + [CUSTOM]
    choice = st.segmented_control("Date range", options, default=options[0], key=RANGE_CHOICE)
    choice = choice or options[0]
    if choice == URL_DATES:
        return None
    if choice == CUSTOM:
        start_default = default or preset_range("Last 30 days")
        picked = st.date_input("From – to", value=start_default, key=RANGE_CUSTOM, format="YYYY-MM-DD")
        if isinstance(picked, tuple) and len(picked) == 2:
            return picked[0], picked[1]
        st.caption("Pick the end date too.")
        return default
    return preset_range(choice)


# --- the checklist -------------------------------------------------------------------------------


def step_status(checks: Iterable[Check]) -> Status:
    return worst(c.status for c in checks)


def verdict(checks: list[Check]) -> None:
    """A banner: can CasinoFlux use this URL?"""
    fails = [c for c in checks if c.status == Status.FAIL]
    warns = [c for c in checks if c.status == Status.WARN]
    if fails:
        steps = sorted({c.step for c in fails})
        st.error(
            f"**Not usable yet: {len(fails)} thing{'s' if len(fails) > 1 else ''} to fix** "
            f"(step{'s' if len(steps) > 1 else ''} {', '.join(map(str, steps))}). "
            "Start with the first ❌ below.",
            icon="❌",
        )
    elif warns:
        st.warning(
            f"**Usable.** {len(warns)} thing{'s' if len(warns) > 1 else ''} to look at below.", icon="⚠️"
        )
    else:
        st.success("**Ready for CasinoFlux.** Every step checks out.", icon="✅")


def checklist(checks: list[Check]) -> None:
    """The checks grouped under the guide's seven steps, each problem with its fix."""
    for step in STEPS:
        items = [c for c in checks if c.step == step.number]
        if not items:
            continue
        status = step_status(items)
        with st.container(border=True):
            st.markdown(f"#### {ICONS[status]} Step {step.number} · {step.name}")
            st.caption(f"In Affilka: {step.where}")
            for c in items:
                st.markdown(f"{ICONS[c.status]} **{c.title}** — {c.detail}")
                if c.fix:
                    box = st.error if c.status == Status.FAIL else st.warning
                    box(f"**What to do:** {c.fix}")


# --- page states ---------------------------------------------------------------------------------


def no_report(page: str) -> None:
    """The empty state of a data page: what is missing and the two ways to get it."""
    st.title(page)
    st.info(
        "No report is loaded yet. Paste an Affilka URL on the URL check page and click **Fetch report**, "
        "or look around with generated demo data.",
        icon="👈",
    )
    left, right = st.columns(2)
    left.page_link("app.py", label="Paste and fetch a URL", icon="🩺")
    right.button("Try with demo data", key=f"demo_{page}", on_click=load_demo_report)


def brand_warning(brands: list[str]) -> None:
    """Kept visible on every data page while a report mixes brands (guide step 4)."""
    if len(brands) > 1:
        st.error(
            f"**This report mixes {len(brands)} brands** ({', '.join(brands[:4])}"
            f"{'…' if len(brands) > 4 else ''}): CasinoFlux would attribute one casino's players to "
            "another. Figures below are split by brand. Fix: in Reports → Statistics → Filters, select the "
            "Offer's brand, click Filter and export again (step 4).",
            icon="⚠️",
        )
