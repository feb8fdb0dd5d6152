"""History: the checks and fetches the team made, newest first, filtered by host, Offer, verdict, days
and user; the Offers that broke after working, with what broke and since when; and one case read-only at
`?case=ID` (the link carries no token)."""

import datetime as dt

import streamlit as st

from affilka_core.checks.verdict import FIX, RETRY, USABLE
from affilka_core.errors import HistoryUnavailable
from affilka_core.history.case import Case
from affilka_core.history.offers import offer_labels
from affilka_core.history.store import open_store
from affilka_core.history.timeline import breaks, when
from affilka_core.outputs.markdown import code, md
from affilka_core.text import plural
from app_pages._ui.case_view import SOURCE_NAMES, case_page, case_verdict, offer_timeline
from app_pages._ui.history import history_settings
from app_pages._ui.routes import HISTORY, URL_CHECK
from app_pages._ui.session import HIST_DAYS, HIST_HOST, HIST_OFFER, HIST_TABLE, HIST_USER, HIST_VERDICTS

SHOWN = 200
VERDICT_NAMES = {USABLE: "✅ Usable", FIX: "❌ To fix", RETRY: "⏳ Could not verify"}
ANY = "Any"


def open_case(store, param: str) -> None:
    """`?case=ID`: the case, or why there is none."""
    try:
        case = store.get(int(param))
    except ValueError:
        case = None
    if case is None:
        st.title("🗄️ History")
        st.warning(
            md(
                "**No case {} in the history.** It was never recorded here, or it was purged (cases are kept "
                "{}).",
                param[:20],
                plural(history_settings().days, "day"),
            ),
            icon="🔎",
        )
        st.page_link(HISTORY, label="All cases", icon="🗄️")
        return
    case_page(store, case)


def broken_offers(cases: list[Case]) -> None:
    """The Offers among these cases whose latest break is not mended: what broke and since when."""
    timelines: dict[str, list[Case]] = {}
    for case in reversed(cases):
        timelines.setdefault(case.offer_key, []).append(case)
    still = []
    for timeline in timelines.values():
        found = breaks(timeline)
        if found and timeline[-1].verdict != USABLE:
            still.append(found[-1])
    if not still:
        return
    st.subheader("Offers that broke after working")
    for b in sorted(still, key=lambda b: b.case.at, reverse=True):
        st.page_link(
            HISTORY,
            label=md("{}: {} UTC", b.case.host, b.line),
            icon="💥",
            query_params={"case": str(b.case.id)},
        )


settings = history_settings()
if not settings.on:
    st.title("🗄️ History")
    st.info(
        "**The history is off** (AFFILKA_HISTORY_URL=off): checks and fetches are not remembered. Remove "
        "the setting to keep them in a SQLite file, or point it at a PostgreSQL database.",
        icon="🗄️",
    )
    st.stop()
try:
    store = open_store(settings)
except HistoryUnavailable as exc:
    st.title("🗄️ History")
    st.warning(
        md(
            "**The history cannot be read now:** {}. Checks and fetches still work; they are not saved until "
            "it can be reached again.",
            str(exc),
        ),
        icon="🗄️",
    )
    st.stop()

param = st.query_params.get("case")
if param is not None:
    try:
        open_case(store, param)
    except HistoryUnavailable as exc:
        st.warning(md("**The history cannot be read now:** {}.", str(exc)), icon="🗄️")
    st.stop()

st.title("🗄️ History")
kept = f"kept {plural(settings.days, 'day')}" if settings.days else "kept until purged"
st.markdown(
    md(
        "Every **Check URL** click and every fetch, on the URL check page, in Batch check and from the "
        "command line (`--record`): who, when, the verdict and what each check said. Never the token, never "
        "the report's rows; {}.",
        kept,
    )
)
try:
    choices = store.choices()
except HistoryUnavailable as exc:
    st.warning(md("**The history cannot be read now:** {}.", str(exc)), icon="🗄️")
    st.stop()
if not choices.hosts:
    st.info(
        "**No case yet.** Check or fetch a URL on the URL check page and it shows here, for everyone on "
        "the team.",
        icon="👈",
    )
    st.page_link(URL_CHECK, label="Check a URL", icon="🩺")
    st.stop()

today = dt.datetime.now(dt.UTC).date()
top = st.columns([1.2, 2.4, 1.4])
host = top[0].selectbox("Host", [ANY, *choices.hosts], key=HIST_HOST)
offers = [key for h, key in choices.offers if host in (ANY, h)]
names = offer_labels(offers, choices.cases)
offer = top[1].selectbox(
    "Offer",
    [ANY, *offers],
    key=HIST_OFFER,
    format_func=lambda k: names.get(k, k),
    help="Each Offer by its host and the parameters that tell it from the others there; the whole key "
    "shows below once picked.",
)
if offer != ANY:
    top[1].caption(md("Offer {}", code(offer)))
user = top[2].selectbox("User", [ANY, *choices.users], key=HIST_USER)
bottom = st.columns([2, 2])
verdicts = bottom[0].multiselect(
    "Verdict",
    list(VERDICT_NAMES),
    key=HIST_VERDICTS,
    format_func=VERDICT_NAMES.__getitem__,
    placeholder="Any",
)
days = bottom[1].date_input(
    "Days (UTC)",
    value=(today - dt.timedelta(days=settings.days or 365), today),
    key=HIST_DAYS,
    format="YYYY-MM-DD",
)
since, until = (days[0], days[1]) if isinstance(days, tuple | list) and len(days) == 2 else (None, None)

try:
    cases = store.recent(
        host=None if host == ANY else host,
        offer=None if offer == ANY else offer,
        verdicts=verdicts,
        user=None if user == ANY else user,
        since=since,
        until=until,
        limit=SHOWN,
    )
    timeline = store.timeline(offer) if offer != ANY else []
except HistoryUnavailable as exc:
    st.warning(md("**The history cannot be read now:** {}.", str(exc)), icon="🗄️")
    st.stop()

broken_offers(cases)
st.subheader(md("Recent cases ({}{})", len(cases), "+" if len(cases) == SHOWN else ""))
if not cases:
    st.info("No case matches these filters.", icon="🔎")
else:
    table = {
        "case": [c.id for c in cases],
        "at (UTC)": [when(c.at) for c in cases],
        "verdict": [f"{v.icon} {v.headline}" for v in map(case_verdict, cases)],
        "what failed": [c.failing[0].title if c.failing else "" for c in cases],
        "host": [c.host for c in cases],
        "from": [SOURCE_NAMES[c.source] for c in cases],
        "user": [c.user for c in cases],
    }
    picked = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key=HIST_TABLE,
        on_select="rerun",
        selection_mode="single-row",
        column_config={"case": st.column_config.NumberColumn("case", format="%d", width="small")},
    )
    st.caption("Pick a row to open its case.")
    rows = picked.selection.rows if picked is not None else []
    if rows:
        st.query_params["case"] = str(cases[rows[0]].id)
        st.rerun()

if offer != ANY:
    st.subheader("This Offer's timeline")
    offer_timeline(timeline)
