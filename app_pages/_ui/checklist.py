"""The diagnosis on screen: the verdict banner, check lines, the checklist by guide step, problem boxes
and the support-ticket expander. Every line is built by `md`: a check's title, detail and fix may quote
the URL, the report or Affilka, so each shows as written."""

from __future__ import annotations

import streamlit as st

from affilka_core.checks.model import Check, Status
from affilka_core.checks.url_result import UrlCheckResult
from affilka_core.checks.verdict import check_icon, step_icon
from affilka_core.checks.verdict import verdict as verdict_of
from affilka_core.guide import STEPS
from affilka_core.outputs.markdown import Markdown, md
from affilka_core.outputs.ticket import ticket_filename, ticket_markdown
from affilka_core.text import plural, sentence_start
from affilka_core.url.parse import AffilkaUrl

from .session import TICKET_BRAND, TICKET_OFFER


def verdict_banner(checks: list[Check]) -> None:
    """A banner: can CasinoFlux use this URL?"""
    v = verdict_of(checks)
    if v.retry:
        # Affilka did not answer now: nothing to fix in the URL, so no "things to fix" count.
        st.warning(md("**{}.** {}", v.headline, sentence_start(v.sentence.split(": ", 1)[1])), icon=v.icon)
    elif v.status == Status.FAIL:
        st.error(
            md(
                "**{}: {} to fix** ({} {}). Start with the first {} below.",
                v.headline,
                plural(v.fails, "thing"),
                plural(len(v.fail_steps), "step", count=False),
                ", ".join(map(str, v.fail_steps)),
                v.icon,
            ),
            icon=v.icon,
        )
    elif v.status == Status.WARN:
        st.warning(md("**{}.** {} to look at below.", v.headline, plural(v.warns, "thing")), icon=v.icon)
    elif v.status == Status.PASS:
        st.success(md("**{}.** Every step checks out.", v.headline), icon=v.icon)
    else:
        st.info(md("{}", v.sentence), icon=v.icon)


def not_a_url(result: UrlCheckResult) -> None:
    """Text that is not a URL: one message with what to do, instead of a checklist of steps that could not
    be checked (they all read the URL's parameters)."""
    parse = next(c for c in result.checks if c.id == "url.parse")
    st.error(
        md(
            "**{}: this is not a report URL.** {}\n\n**What to do:** {}",
            verdict_of(result.checks).headline,
            parse.detail,
            parse.fix,
        ),
        icon="❌",
    )
    st.caption(
        md(
            "The other {} checks read the URL's parameters, so they run once a URL is pasted.",
            len(result.checks) - 1,
        )
    )


def check_line(c: Check) -> Markdown:
    """One check as a Markdown line: icon, title, detail (a recorded case keeps none)."""
    if not c.detail:
        return md("{} **{}**", check_icon(c), c.title)
    return md("{} **{}** — {}", check_icon(c), c.title, c.detail)


def problem_box(c: Check, *, with_line: bool = False) -> None:
    """What to do about a failing (red) or warning (amber) check."""
    box = st.error if c.status == Status.FAIL and not c.temporary else st.warning
    fix = md("**What to do:** {}", c.fix)
    box(md("{}\n\n{}", check_line(c), fix) if with_line else fix)


def checklist(checks: list[Check]) -> None:
    """The checks grouped under the guide's seven steps, each problem with its fix."""
    for step in STEPS:
        items = [c for c in checks if c.step == step.number]
        if not items:
            continue
        with st.container(border=True):
            st.markdown(md("#### {} Step {} · {}", step_icon(items), step.number, step.name))
            st.caption(md("In Affilka: {}", step.where))
            for c in items:
                st.markdown(check_line(c))
                if c.fix:
                    problem_box(c)


@st.fragment
def support_ticket(
    checks: list[Check],
    url: AffilkaUrl | None,
    summary: dict | None,
    suggested: str | None = None,
    secrets: tuple[str, ...] = (),
) -> None:
    """The diagnosis as Markdown for a support ticket: a code block (its copy button copies it) and a
    download, token masked. Support asks for the Affilka brand and the CasinoFlux Offer, so both can be
    added; the suggested URL (masked) goes in when there is one. A fragment: typing the brand or the
    Offer reruns only this part, not the page."""
    with st.expander("📋 Copy for a support ticket"):
        st.caption(
            "A short summary to paste into a ticket or a message to the affiliate: every step, what to "
            "fix, and the data when fetched. The token is masked. Use the copy button at the block's top "
            "right."
        )
        left, right = st.columns(2)
        brand = left.text_input(
            "Affilka brand (optional)", key=TICKET_BRAND, placeholder="The brand picked in Affilka's filter"
        )
        offer = right.text_input(
            "CasinoFlux Offer (optional)", key=TICKET_OFFER, placeholder="Its name or id in CasinoFlux"
        )
        text = ticket_markdown(
            checks,
            url=url,
            summary=summary,
            brand=brand,
            offer=offer,
            suggested_url=suggested,
            secrets=secrets,
        )
        st.code(text, language="markdown", wrap_lines=True)
        st.download_button(
            "Download as Markdown",
            text,
            file_name=ticket_filename(url),
            mime="text/markdown",
            on_click="ignore",
        )
