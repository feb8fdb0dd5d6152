"""A recorded case on screen, read-only: who checked and when, the verdict and checklist as they were, the
data summary and insights, the Offer's timeline with where it broke, and a token box to check the same
URL again live (the token is used for that check only and never kept)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

import streamlit as st

from affilka_core.analysis.registry import label
from affilka_core.catalogue import step_of
from affilka_core.checks.model import Check, Status
from affilka_core.checks.verdict import RETRY, Verdict, verdict
from affilka_core.errors import InvalidURL
from affilka_core.history.case import Case
from affilka_core.history.store import HistoryStore
from affilka_core.history.timeline import breaks, when
from affilka_core.outputs.markdown import Markdown, code, escape, md
from affilka_core.text import first_n, plural
from affilka_core.url.parse import parse_url, with_token

from .checklist import checklist, verdict_banner
from .fetching import fetch_with_progress
from .history import history_note, record
from .routes import HISTORY
from .session import CASE_FORM, CASE_PENDING, CASE_RECHECKED, CASE_TOKEN, HISTORY_NOTE

SOURCE_NAMES = {
    "app": "the app",  # the URL check page, or a case checked again live on History
    "cli": "the command line",
    "batch": "Batch check",
}
TIMELINE_SHOWN = 30
_SEVERITY_ICONS = {"high": "🔴", "medium": "🟠"}


def case_checks(case: Case) -> list[Check]:
    """The case's checks as checks again (titles only: a case keeps no detail or fix). In a case that
    could not be verified now, its failures were Affilka not answering."""
    retry = case.verdict == RETRY
    return [
        Check(c.id, step_of(c.id), Status(c.status), c.title, "", temporary=retry and c.status == Status.FAIL)
        for c in case.checks
    ]


def case_verdict(case: Case) -> Verdict:
    """How the case's checks added up."""
    return verdict(case_checks(case))


def case_link(case_id: int) -> str:
    """The address a colleague opens to see this case: the History page with `?case=ID`, no token."""
    path = "/".join(p for p in (st.get_option("server.baseUrlPath").strip("/"), "history") if p)
    parts = urlsplit(st.context.url or "")
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return f"{origin}/{path}?case={case_id}"


def case_line(case: Case) -> Markdown:
    """A case in one line: when (UTC), its verdict, from where and by whom."""
    v = case_verdict(case)
    return md(
        "{} UTC · {} {} · {} · {}", when(case.at), v.icon, v.headline, SOURCE_NAMES[case.source], case.user
    )


def offer_timeline(cases: Sequence[Case], current: int | None = None) -> None:
    """An Offer's cases, newest first, each a link to itself; where it broke after working, what broke
    and since when."""
    broke = {b.case.id: b for b in breaks(cases)}
    shown = list(cases)[-TIMELINE_SHOWN:][::-1]
    for case in shown:
        if case.id in broke:
            st.error(md("**Broke: {} UTC**", broke[case.id].line), icon="💥")
        text = md("{}{}", case_line(case), " · this case" if case.id == current else "")
        st.page_link(HISTORY, label=text, query_params={"case": str(case.id)}, disabled=case.id == current)
    if len(cases) > len(shown):
        st.caption(md("The {} latest of {}.", len(shown), plural(len(cases), "case")))


def data_summary(case: Case) -> None:
    """The data summary the case recorded: rows, campaigns, brands, dates, currencies and totals."""
    data = case.data
    if data is None:
        fetched = any(c.id.startswith("fetch.") for c in case.checks)
        st.caption("No data came back from that fetch." if fetched else "Checked without fetching: no data.")
        return
    cols = st.columns(4)
    cols[0].metric("Rows", md("{:,}", data.get("rows", 0)))
    cols[1].metric("Campaigns", md("{:,}", data.get("campaigns", 0)))
    cols[2].metric("Brands", len(data.get("brands") or []))
    cols[3].metric("Days", md("{} → {}", data.get("date_min") or "?", data.get("date_max") or "?"))
    st.caption(
        md(
            "Brands: {} · Currencies: {}",
            first_n(data.get("brands") or []) or "(not in the data)",
            ", ".join(data.get("currencies") or []) or "(none stated)",
        )
    )
    totals = data.get("totals") or {}
    if totals:
        # st.table renders Markdown in its cells; the totals' names are the report's columns.
        st.table(
            {
                "total": [escape(label(k)) for k in totals],
                "value": [escape(_number(v)) for v in totals.values()],
            }
        )


def _number(value: object) -> str:
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def insights(case: Case) -> None:
    """What stood out in the data then."""
    if not case.insights:
        return
    st.subheader("What stood out")
    for item in case.insights:
        start, end = item.get("date_from"), item.get("date_to")
        dates = f"{start} → {end}" if start and end and end != start else start
        where = " · ".join(str(p) for p in (item.get("campaign"), dates) if p)
        st.markdown(
            md(
                "{} **{}** — {}{}",
                _SEVERITY_ICONS.get(str(item.get("severity")), "ℹ️"),
                str(item.get("title")),
                str(item.get("detail")),
                md(" ({})", where) if where else "",
            )
        )


def _take_token() -> None:
    # The typed token leaves the box as the form is submitted: this run's check uses it, then it is gone.
    st.session_state[CASE_PENDING] = st.session_state.get(CASE_TOKEN, "")
    st.session_state[CASE_TOKEN] = ""


def check_again(case: Case) -> None:
    """The token box: the recorded URL (same dates) fetched again with the token typed, recorded as a new
    case. The token is used for that check only: the box is emptied and nothing keeps it."""
    with st.form(CASE_FORM):
        st.markdown(
            "**Check it again live** — type the token (from the affiliate, or a fresh export). It is used "
            "for this check only and never saved; the rest of the URL is the recorded one."
        )
        st.text_input(
            "Token", type="password", key=CASE_TOKEN, placeholder="32 characters, as after token= in the URL"
        )
        st.form_submit_button("Check again live", type="primary", on_click=_take_token)
    token = st.session_state.pop(CASE_PENDING, None)
    if token is not None:
        recheck(case, token.strip())
    done = st.session_state.get(CASE_RECHECKED)
    if done is not None and done[0] == case.id and done[1] is not None:
        st.page_link(
            HISTORY,
            label=md("Checked again: {} — open case {}", done[2], done[1]),
            icon="🔁",
            query_params={"case": str(done[1])},
        )


def recheck(case: Case, token: str) -> None:
    """Fetch the case's URL with `token` and record it; shown here only when the history cannot keep it."""
    if not token:
        st.warning("Type the token first, then click **Check again live**.", icon="🔑")
        return
    try:
        url = with_token(parse_url(case.url), token)
    except InvalidURL as exc:  # a recorded URL is always readable; said plainly all the same
        st.error(md("The recorded URL cannot be read again: {}", str(exc)), icon="❌")
        return
    diagnosis = fetch_with_progress(url.url(), None, "Fetching page 1 with the token typed…")
    new_id = record(diagnosis)  # from the app, as the contract's sources say
    v = diagnosis.verdict
    # The new case's verdict stays with its link; no token is kept (the URL above is the recorded one).
    st.session_state[CASE_RECHECKED] = (case.id, new_id, f"{v.icon} {v.headline}")
    st.markdown("**Checked again live just now:**")
    verdict_banner(list(diagnosis.checks))
    if new_id is None:  # not kept: why, and what it said, shown here once
        history_note()
        checklist(list(diagnosis.checks))
    else:
        st.session_state.pop(HISTORY_NOTE, None)  # the link below says it


def case_page(store: HistoryStore, case: Case) -> None:
    """One case, read-only, as `?case=ID` opens it."""
    v = case_verdict(case)
    st.title(md("🗄️ Case {}", case.id))
    st.markdown(
        md(
            "Checked by **{}** on {} UTC from {}: **{} {}**.",
            case.user,
            when(case.at),
            SOURCE_NAMES[case.source],
            v.icon,
            v.headline,
        )
    )
    st.page_link(HISTORY, label="All cases", icon="🗄️")
    st.caption("The link to this case (it carries no token):")
    st.code(case_link(int(case.id or 0)), language=None)
    verdict_banner(case_checks(case))
    st.markdown(md("**Host** {}  \n**URL** (token masked) {}", code(case.host), code(case.url)))
    with st.expander("The Offer's key (the URL without token, dates and page)"):
        st.code(case.offer_key, language=None, wrap_lines=True)
    check_again(case)
    st.subheader("Checklist, as it was")
    checklist(case_checks(case))
    st.subheader("Data")
    data_summary(case)
    insights(case)
    st.subheader("This Offer's timeline")
    offer_timeline(store.timeline(case.offer_key), current=case.id)
