"""Streamlit pieces shared by the pages: layout, navigation, session state, fetching and the checklist.

Kept beside the pages (a package, so Streamlit does not list it as a page). Only arrangement on
screen and session bookkeeping live here; every rule and computation comes from affilka_core.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import streamlit as st

from affilka_core.checks import ICONS, Check, Status, UrlCheckResult, check_url, worst
from affilka_core.dates import PRESETS, preset_range
from affilka_core.diagnose import combine, error_check
from affilka_core.errors import AffilkaError
from affilka_core.guide import STEPS
from affilka_core.load import LoadedReport, load_demo, load_file, load_live
from affilka_core.metrics import brands_in, main_currency
from affilka_core.ticket import ticket_filename, ticket_markdown
from affilka_core.url import AffilkaUrl, mask_url, unmask, with_dates

APP_NAME = "Affilka URL doctor"
PAGES = (
    ("app.py", "URL check", "🩺"),
    ("pages/1_Performance.py", "Performance", "📈"),
    ("pages/2_Data.py", "Data", "🗂️"),
    ("pages/3_Batch_check.py", "Batch check", "📋"),
    ("pages/4_Setup_guide.py", "Setup guide", "🧭"),
)

# Session keys. URL_TEXT holds what the user pasted, in memory only; URL_INPUT is the paste box,
# which shows it with the token masked unless REVEAL is on. REPORT is the loaded report, FETCH_ERROR
# the failed fetch's check, FETCHED_FOR which URL (dates aside) the report came from.
URL_TEXT, URL_INPUT, REVEAL = "url_text", "url_input", "reveal_token"
REPORT, FETCH_ERROR, FETCHED_FOR = "report", "fetch_error", "fetched_for"
RANGE_CHOICE, RANGE_CUSTOM, RANGE_CHANGED = "range_choice", "range_custom", "range_changed"
# REPORT_FILE is the saved-report uploader; FILE_ERROR the check of a file that could not be read.
REPORT_FILE, FILE_ERROR = "report_file", "file_error"
URL_DATES = "URL's dates"
CUSTOM = "Custom"

# The batch page: BATCH_TEXT is the pasted list (in memory only), BATCH_INPUT its paste box, which shows
# tokens masked; BATCH_FETCHED maps each fetched URL text to its diagnosis.
BATCH_TEXT, BATCH_INPUT, BATCH_FILE = "batch_text", "batch_input", "batch_file"
BATCH_FETCHED, BATCH_FAILING_ONLY, BATCH_WANT_FETCH = (
    "batch_fetched",
    "batch_failing_only",
    "batch_want_fetch",
)

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


def _on_batch_change() -> None:
    st.session_state[BATCH_TEXT] = unmask(st.session_state[BATCH_INPUT], st.session_state.get(BATCH_TEXT, ""))
    st.session_state[BATCH_INPUT] = mask_url(st.session_state[BATCH_TEXT])


def batch_input() -> str:
    """The batch page's paste box, tokens shown masked; returns the pasted text with tokens in clear."""
    st.session_state.setdefault(BATCH_TEXT, "")
    if BATCH_INPUT not in st.session_state:
        st.session_state[BATCH_INPUT] = mask_url(st.session_state[BATCH_TEXT])
    st.text_area(
        "Report URLs, one per line",
        key=BATCH_INPUT,
        height=180,
        on_change=_on_batch_change,
        placeholder="Casino Alpha, https://<program>/api/client/partner/report.json?…&token=…&page=1\n"
        "https://<program>/api/client/partner/report.json?…",
        help="One URL per line, optionally preceded by the offer's name and a comma or a tab. Blank lines "
        "and lines starting with # are skipped. Tokens are shown masked and kept in this session's memory "
        "only.",
    )
    return st.session_state[BATCH_TEXT]


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


def file_error() -> Check | None:
    """The check describing the last uploaded file that could not be read, if it could not."""
    return st.session_state.get(FILE_ERROR)


SOURCE_BADGES = {"live": "🟢 Live report", "demo": "🧪 Demo data", "file": "📄 Saved file"}


def report_context() -> None:
    """Where the user is (which report, which dates, demo or live) and what to do next."""
    report = loaded_report()
    result = current_result()
    if report is None:
        st.caption("No report loaded.")
        if result is not None and result.url is not None:
            st.caption("**Next:** fetch the pasted URL on the URL check page to see its data.")
        else:
            st.caption("**Next:** paste a URL on the URL check page, or try the demo there.")
        return
    st.markdown(f"**{SOURCE_BADGES[report.source]}**  \n{report.label}")
    if report.date_from and report.date_to:
        st.caption(f"{report.date_from} → {report.date_to} · {len(report.frame):,} rows")
    # When the report came from the pasted URL, its URL checks count too.
    own = result is not None and result.url is not None and report_matches(result.url)
    failing = [c for c in (all_checks(result) if own else report.checks) if c.status == Status.FAIL]
    if failing:
        first = failing[0]
        st.caption(f"**Next:** fix step {first.step} ({first.title.lower()}) on the URL check page.")
    else:
        st.caption("**Next:** read Performance, filter on Data, or copy a ticket summary on URL check.")


def report_page(title: str, icon: str) -> LoadedReport | None:
    """The top of a data page: title, which report and dates, the multi-brand warning; or the empty
    state when no report is loaded (then None)."""
    report = loaded_report()
    if report is None:
        no_report(title)
        return None
    st.title(f"{icon} {title}")
    currency = main_currency(report.frame) or "mixed or unstated currency"
    st.caption(
        f"{SOURCE_BADGES[report.source]} · {report.label} · {report.date_from} → {report.date_to} · "
        f"{len(report.frame):,} rows · {currency}"
    )
    brand_warning(brands_in(report.frame))
    return report


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
            st.page_link("pages/1_Performance.py", label="Open Performance", icon="📈")


def at_a_glance(facts: dict[str, str]) -> None:
    """The parameters people look at first, in a compact grid readable on a shared screen."""
    items = list(facts.items())
    for row in range(0, len(items), 4):
        for col, (label, value) in zip(st.columns(4), items[row : row + 4], strict=False):
            col.caption(label)
            col.markdown(f"**{md(value)}**")


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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>$~])")


def md(text: str) -> str:
    """Text from a pasted URL or a report, escaped so Markdown shows it as written (no links,
    images or formatting smuggled in). Check details quote such text; titles and fixes are ours."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def check_line(c: Check) -> str:
    """One check as a Markdown line: icon, title, detail."""
    return f"{ICONS[c.status]} **{c.title}** — {md(c.detail)}"


def problem_box(c: Check, *, with_line: bool = False) -> None:
    """What to do about a failing (red) or warning (amber) check."""
    box = st.error if c.status == Status.FAIL else st.warning
    box((check_line(c) + "\n\n" if with_line else "") + f"**What to do:** {c.fix}")


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
                st.markdown(check_line(c))
                if c.fix:
                    problem_box(c)


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
            f"**This report mixes {len(brands)} brands** ({md(', '.join(brands[:4]))}"
            f"{'…' if len(brands) > 4 else ''}): CasinoFlux would attribute one casino's players to "
            "another. Figures below are split by brand. Fix: in Reports → Statistics → Filters, select the "
            "Offer's brand, click Filter and export again (step 4).",
            icon="⚠️",
        )


def report_without_url(report: LoadedReport) -> None:
    """The home page for a demo or saved report when no URL is pasted: what it is, what its data says."""
    if report.source == "demo":
        what, icon = "**Demo data loaded:** a generated report for one casino", "🧪"
        after, link = "No network, no token.", "See the demo casino's performance"
    else:
        what, icon = f"**Saved report loaded:** {md(report.label)}", "📄"
        after, link = "Paste the URL it came from to check the URL too.", "See this report's performance"
    st.success(
        f"{what}, {report.date_from} → {report.date_to}, {len(report.frame):,} rows. {after}", icon=icon
    )
    st.page_link("pages/1_Performance.py", label=link, icon="📈")
    st.subheader("What the data says")
    checklist(list(report.checks))
    support_ticket(list(report.checks), None, report.summary())


# --- sharing -------------------------------------------------------------------------------------


def support_ticket(checks: list[Check], url: AffilkaUrl | None, summary: dict | None) -> None:
    """The diagnosis as Markdown for a support ticket: a code block (its copy button copies it) and a
    download, token masked."""
    text = ticket_markdown(checks, url=url, summary=summary)
    with st.expander("📋 Copy for a support ticket"):
        st.caption(
            "A short summary to paste into a ticket or a message to the affiliate: every step, what to "
            "fix, and the data when fetched. The token is masked. Use the copy button at the block's top "
            "right."
        )
        st.code(text, language="markdown", wrap_lines=True)
        st.download_button(
            "Download as Markdown",
            text,
            file_name=ticket_filename(url),
            mime="text/markdown",
            on_click="ignore",
        )
