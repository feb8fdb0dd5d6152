"""A short Markdown summary of a diagnosis, for pasting into a support ticket or a chat with the
affiliate: every step of the guide with its verdict, what to fix, and what the data said.

Every line is built by `markdown.md`: its Markdown is written here, and every text put into it (the
host, dates, check titles, details and fixes, brands, currencies, what was typed in) is masked and
escaped, so it shows as written in Jira, GitHub or Slack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from affilka_core.analysis.registry import KPI_KEYS, metric
from affilka_core.catalogue import CheckId, Phase, phase_of
from affilka_core.checks.guide_status import guide_status
from affilka_core.checks.model import Check, Status
from affilka_core.checks.verdict import RETRY_HEADLINE, icon, verdict
from affilka_core.outputs.formatting import format_value
from affilka_core.outputs.markdown import Markdown, code, md
from affilka_core.url.masking import mask_token, redact, redactor
from affilka_core.url.parse import AffilkaUrl

TOOL_LINE = (
    "Affilka URL doctor checks an Affilka report URL step by step against CasinoFlux's Affilka setup "
    "guide and, when fetched, what the report's data says."
)


def _not_a_url(url: AffilkaUrl | None, checks: Sequence[Check]) -> bool:
    """Whether the checks are those of pasted text that could not be read as a URL."""
    return url is None and any(phase_of(c.id) == Phase.URL for c in checks)


def _asked(
    brand: str | None, offer: str | None, suggested: str | None, url: AffilkaUrl | None
) -> list[Markdown]:
    """What support asks for besides the diagnosis: the brand, the Offer, and the corrected URL."""
    token = url.token if url else None
    lines = []
    if brand and brand.strip():
        lines.append(md("- **Affilka brand:** {}", redact(brand.strip(), token)))
    if offer and offer.strip():
        lines.append(md("- **CasinoFlux Offer:** {}", redact(offer.strip(), token)))
    if suggested and (url is None or suggested != url.masked()):
        lines.append(md("- **Suggested URL:** {}", code(redact(suggested, token))))
    return lines


def _facts(url: AffilkaUrl | None, summary: Mapping[str, Any] | None, *, not_a_url: bool) -> list[Markdown]:
    if not_a_url:
        lines = [md("- **URL:** the pasted text is not a report URL")]
    elif url is None:
        lines = [md("- **URL:** none pasted (data checks of a loaded report only)")]
    else:
        lines = [
            md("- **Host:** {}", redact(url.netloc, url.token)),
            md("- **Token:** {} (masked)", mask_token(url.token) or "(missing)"),
            md("- **URL:** {}", code(url.masked())),
        ]
    start = url.date_from if url else None
    end = url.date_to if url else None
    if not (start and end) and summary:
        start, end = summary.get("date_min"), summary.get("date_max")
    lines.insert(1 if url else 0, md("- **Date range:** {} → {}", start or "?", end or "?"))
    return lines


def _step_lines(checks: Sequence[Check], *, not_a_url: bool) -> list[Markdown]:
    lines = []
    for status in guide_status(checks):
        step = status.step
        # Text that is not a URL fails every check as "not checked"; one line per step says it.
        problems = [c for c in status.problems if not (not_a_url and c.id != CheckId.URL_PARSE)]
        where = md(" ({})", step.where) if problems else ""
        suffix = "" if status.status is not None else " — not checked"
        if not_a_url and not problems:
            suffix = " — not checked: the text is not a URL"
        lines.append(
            md("- {} **Step {} · {}**{}{}", icon(status.status), step.number, step.name, where, suffix)
        )
        for check in problems:
            lines.append(md("  - {} {} — {}", icon(check.status), check.title, check.detail))
            if check.fix:
                lines.append(md("    Fix: {}", check.fix))
    return lines


def _fetch_line(checks: list[Check], summary: Mapping[str, Any] | None) -> list[Markdown]:
    if summary is not None:
        return []
    failed = next((c for c in checks if phase_of(c.id) == Phase.FETCH and c.status == Status.FAIL), None)
    if failed and failed.temporary:
        return [
            md(""),
            md(
                "_{}: {} (step {}). Affilka did not answer, so the URL may be fine: try again later; no "
                "data to summarise._",
                RETRY_HEADLINE,
                failed.title,
                failed.step,
            ),
        ]
    if failed:
        failure = md("_The fetch failed: {} (step {}); no data to summarise._", failed.title, failed.step)
        return [md(""), failure]
    return [md(""), md("_The report was not fetched, so the token and the data are not verified._")]


def _data_lines(summary: Mapping[str, Any]) -> list[Markdown]:
    currencies = [str(c) for c in summary.get("currencies") or []]
    currency = currencies[0] if len(currencies) == 1 else None
    totals = summary.get("totals") or {}
    # The headline columns (rates are not in the summary's totals); money only in one currency.
    shown = [metric(key) for key in KPI_KEYS if key in totals]
    figures = [
        f"{m.short} {format_value(totals[m.key], m.kind, currency)}"
        for m in shown
        if m.kind == "count" or (m.kind == "money" and len(currencies) <= 1)
    ]
    brands = [str(b) for b in summary.get("brands") or []]
    lines = [
        md(""),
        md("**Data in the report**"),
        md(""),
        md("- Rows: {:,} · Campaigns: {}", summary.get("rows", 0), summary.get("campaigns", 0)),
        md("- Brands: {}", ", ".join(brands) or "(not in the data)"),
        md("- Dates: {} → {}", summary.get("date_min") or "?", summary.get("date_max") or "?"),
        md("- Currencies: {}", ", ".join(currencies) or "(none stated)"),
    ]
    if figures:
        lines.append(md("- Totals: {}", " · ".join(figures)))
    return lines


def ticket_markdown(
    checks: Iterable[Check],
    *,
    url: AffilkaUrl | None,
    summary: dict[str, Any] | None,
    generated: dt.datetime | None = None,
    brand: str | None = None,
    offer: str | None = None,
    suggested_url: str | None = None,
    secrets: Sequence[str] = (),
) -> str:
    """The diagnosis as short Markdown for a support ticket, token masked: host, date range, the
    Affilka brand and CasinoFlux Offer when given, the suggested URL (masked) when it differs from the
    pasted one, each of the seven steps with its verdict and the failing/warning items with their fixes,
    the data summary when a report was fetched, and a line saying what made it. `secrets` are masked
    wherever they are quoted, the brand and Offer typed in included."""
    checks = list(checks)
    hide = redactor(*secrets)
    brand, offer = (hide(text) if text else text for text in (brand, offer))
    when = (generated or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    outcome = verdict(checks)
    sentence = outcome.sentence
    not_a_url = _not_a_url(url, checks)
    if url is None and not not_a_url:
        # Without a URL only the data was checked: say so rather than "ready for CasinoFlux".
        sentence = f"Data checks only (no URL pasted): {outcome.fails} to fix, {outcome.warns} to look at."
    title = md("Affilka URL check: {}", redact(url.netloc, url.token)) if url else md("Affilka report check")
    lines = [
        md("### {}", title),
        md(""),
        md("**Verdict:** {} {}", outcome.icon, sentence),
        md(""),
        *_facts(url, summary, not_a_url=not_a_url),
        *_asked(brand, offer, suggested_url, url),
        md(""),
        md("**Steps of CasinoFlux's Affilka setup guide**"),
        md(""),
        *_step_lines(checks, not_a_url=not_a_url),
        *_fetch_line(checks, summary),
        *(_data_lines(summary) if summary is not None else []),
        md(""),
        md("---"),
        md("_{} Generated {:%Y-%m-%d %H:%M} UTC; the token is masked._", TOOL_LINE, when),
    ]
    # Checks and URLs are masked already; this catches a token quoted anywhere else (`secrets`: every
    # token the pasted text holds, wherever it sat).
    return redact("\n".join(lines) + "\n", url.token if url else None, *secrets)


def ticket_filename(url: AffilkaUrl | None, generated: dt.datetime | None = None) -> str:
    """A download name like `affilka-check-primetime.partners-2026-04-21.md` (no token in it)."""
    when = (generated or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    host = "".join(ch if ch.isalnum() or ch in ".-" else "-" for ch in url.host) if url else "saved-report"
    return f"affilka-check-{host}-{when:%Y-%m-%d}.md"
