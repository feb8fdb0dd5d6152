"""Setup guide: CasinoFlux's seven Affilka steps and its troubleshooting, each showing where the pasted
URL (and its fetched report) stands and what to do."""

import streamlit as st

from affilka_core.checks.guide_status import guide_status, trouble_status
from affilka_core.checks.model import Status
from affilka_core.checks.verdict import icon
from affilka_core.diagnosis import why_not_fetched
from affilka_core.guide import REQUIRED_COLUMNS, REQUIRED_GROUP_BY
from affilka_core.outputs.markdown import code, md, md_join
from affilka_core.text import mid_sentence
from affilka_core.url.masking import mask_token
from app_pages._ui.checklist import not_a_url, problem_box, verdict_banner
from app_pages._ui.fetching import after_failure
from app_pages._ui.routes import URL_CHECK
from app_pages._ui.session import loaded, shown_diagnosis

st.title("🧭 Setup guide")
diagnosis = shown_diagnosis()
checks = list(diagnosis.checks) if diagnosis else []
result = loaded()
failed = None
# A paste the doctor never fetches (no usable token, cut at it): its fetch checks wait on the paste.
unfetchable = why_not_fetched(diagnosis.url_result) if diagnosis and diagnosis.url_result else None

if diagnosis is None:
    st.info(
        "These are the steps an affiliate follows in Affilka to get the URL CasinoFlux needs. Paste a URL on "
        "the URL check page to see, step by step, where it stands.",
        icon="👆",
    )
    st.page_link(URL_CHECK, label="Paste a URL to check", icon="🩺")
else:
    url = diagnosis.url
    fetched = result is not None and result.answers(url)
    failed = diagnosis.failed_fetch if fetched else None
    pasted = (
        md("the pasted URL for **{}** (token {})", url.netloc, mask_token(url.token) or "missing")
        if url is not None
        else md("the pasted text, which is not a URL")
    )
    if failed:
        state = md(
            " · the last fetch failed ({}). {} on the URL check page",
            mid_sentence(failed.title),
            after_failure(failed.temporary, failed.step),
        )
    else:
        state = md(
            " · with its fetched report" if fetched else " · not fetched yet (fetch it on the URL check page)"
        )
    st.caption(md("Showing {}{}", pasted, state))
    if url is None:
        assert diagnosis.url_result is not None
        not_a_url(diagnosis.url_result)
    else:
        verdict_banner(checks)

# What each step asks, in lists the guide spells out.
DETAILS = {
    2: md("Required columns: {}.", md_join(", ", map(code, REQUIRED_COLUMNS))),
    3: md("Required group by: {}.", md_join(", ", map(code, REQUIRED_GROUP_BY))),
}
# What the pasted URL itself has, beside what the step requires.
HAS: dict[int, str] = {}
if diagnosis is not None and diagnosis.url is not None:
    has_columns = [c for c in REQUIRED_COLUMNS if c in diagnosis.url.columns]
    HAS[2] = md("The URL has {} of the {} required columns.", len(has_columns), len(REQUIRED_COLUMNS))
    HAS[3] = (
        md("The URL groups by {}.", md_join(", ", map(code, diagnosis.url.group_by)))
        if diagnosis.url.group_by
        else md("The URL has no group by.")
    )

for step in guide_status(checks):
    with st.container(border=True):
        mark = md("{} ", icon(step.status)) if diagnosis is not None else ""
        st.markdown(md("#### {}Step {} · {}", mark, step.step.number, step.step.name))
        st.caption(md("In Affilka: {}", step.step.where))
        st.markdown(step.step.summary)
        if step.step.number in DETAILS:
            st.markdown(DETAILS[step.step.number])
        if step.step.number in HAS:
            st.caption(HAS[step.step.number])
        for check in step.problems:
            problem_box(check, with_line=True)
        if diagnosis is not None and step.status == Status.PASS:
            st.caption(md_join(" · ", (md("✅ {}", c.title) for c in step.checks)))

st.header("Troubleshooting")
st.markdown("The guide's troubleshooting entries, each with the checks that detect it.")
for entry in trouble_status(checks):
    with st.container(border=True):
        mark = md("{} ", icon(entry.status)) if diagnosis is not None else ""
        st.markdown(md("#### {}{}", mark, entry.trouble.title))
        st.markdown(entry.trouble.advice)
        detectors = md_join(
            " · ",
            (
                md("{} {}", icon(status), code(check_id)) if diagnosis is not None else code(check_id)
                for check_id, status in entry.detectors
            ),
        )
        pending = diagnosis is not None and any(status is None for _, status in entry.detectors)
        if entry.skipped:
            not_run = md(" (➖ not checked: {})", entry.skipped)
        else:
            if unfetchable:
                not_run = md(" (➖ not run: {}, so nothing is fetched)", unfetchable)
            else:
                not_run = md(
                    " (➖ not run: the fetch failed)" if failed else " (➖ not run yet: fetch the report)"
                )
        st.caption(md("Detected by: {}{}", detectors, not_run if pending else ""))
        for check in entry.problems:
            problem_box(check, with_line=True)
st.page_link(URL_CHECK, label="Full checklist on the URL check page", icon="🩺")
