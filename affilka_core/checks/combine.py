"""URL checks and fetch/data checks together: the brand verdict the data gives, the URL checks whose
words waited for a fetch said again once it came back, and one fix for one problem: a data or fetch
check that sees again what a URL check already fails on confirms it (`Check.confirms`) instead of asking
for a second fix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from affilka_core.catalogue import CheckId, Phase, phase_of
from affilka_core.checks.model import Check, Status, make_check, sort_checks
from affilka_core.guide import REQUIRED_COLUMNS
from affilka_core.text import first_n, mid_sentence

if TYPE_CHECKING:
    # pandas: checking a URL (which combines nothing) must not import it
    from affilka_core.report.frame import ParsedReport
    from affilka_core.url.parse import AffilkaUrl


def with_brand_verdict(checks: Iterable[Check], report: ParsedReport | None) -> list[Check]:
    """Turn `brand.filter` to pass when the data shows one brand, to fail when it shows several."""
    brands = report.brands if report is not None else []
    out = []
    for c in checks:
        if c.id == CheckId.BRAND_FILTER and brands:
            if len(brands) == 1:
                c = make_check(
                    c.id, Status.PASS, "Brand filter set", f"The data holds one brand: {brands[0]}."
                )
            else:
                c = make_check(
                    c.id,
                    Status.FAIL,
                    "Brand filter not set",
                    f"The data mixes {len(brands)} brands ({first_n(brands)}): the brand filter was left "
                    "unset, so CasinoFlux would attribute one casino's players to another.",
                    c.fix,
                )
        out.append(c)
    return out


def after_the_fetch(
    checks: Iterable[Check], extra: Sequence[Check], report: ParsedReport | None
) -> list[Check]:
    """URL checks whose words wait for a fetch, said again once it came back: the token refused, money
    not converted although asked, a failed fetch or a report with no rows (neither can show the brand
    filter)."""
    failed = next((c for c in extra if phase_of(c.id) == Phase.FETCH and c.status == Status.FAIL), None)
    refused = failed is not None and failed.id == CheckId.FETCH_UNAUTHORIZED
    unconverted = any(c.id == CheckId.DATA_MULTI_CURRENCY and c.status == Status.WARN for c in extra)
    out = []
    for c in checks:
        if c.id == CheckId.CURRENCY_CONVERSION and c.status == Status.PASS and unconverted:
            # The URL asks for it (its part is right), but "money converted" would be untrue now.
            c = replace(
                c,
                title="Conversion asked for in the URL",
                detail=c.detail.rstrip(".") + ", yet the data came back in several currencies: see below.",
            )
        elif c.id == CheckId.TOKEN_PRESENT and c.status == Status.PASS and refused:
            c = replace(
                c, detail=c.detail.split(". ")[0] + ". Affilka refused it: see the fetch check below."
            )
        elif c.id == CheckId.BRAND_FILTER and c.status == Status.WARN and failed is not None:
            then = (
                "Change nothing in the URL; fetch again later"
                if failed.temporary
                else f"Fix step {failed.step} first, then fetch again"
            )
            c = replace(
                c,
                detail=f"The fetch failed ({mid_sentence(failed.title)}), so the data could not show which "
                f"brands the report holds. {then}: one brand in the data confirms the filter.",
                # After temporary trouble its fix would contradict "change nothing".
                fix="" if failed.temporary else c.fix,
            )
        elif (
            c.id == CheckId.BRAND_FILTER
            and c.status == Status.WARN
            and report is not None
            and not report.rows
        ):
            c = replace(
                c,
                detail="The report came back with no rows, so its data cannot show which brand is selected "
                "either.",
            )
        out.append(c)
    return out


def _failing(checks: Iterable[Check]) -> dict[str, Check]:
    return {c.id: c for c in checks if c.status == Status.FAIL and c.checked}


def _confirming(c: Check, confirmed: Check, detail: str, *, title: str | None = None) -> Check:
    return replace(c, title=title or c.title, detail=detail, fix="", confirms=confirmed.id)


def _columns_seen_again(c: Check, confirmed: Check, url: AffilkaUrl, report: ParsedReport) -> Check:
    """data.columns_missing once columns.required fails: the columns the URL does not ask for are that
    check's problem; only those it asks for and the rows still lack are one more thing to fix."""
    not_asked = [n for n in REQUIRED_COLUMNS if n not in url.columns]
    absent = [n for n in REQUIRED_COLUMNS if n not in report.frame.columns]
    asked = [n for n in absent if n not in not_asked]
    if not asked:
        return _confirming(
            c,
            confirmed,
            f"The rows do not carry {', '.join(absent)}, as expected: the URL does not ask for "
            f"{'it' if len(absent) == 1 else 'them'} (see “{confirmed.title}” above). One fix for both.",
        )
    unasked = [n for n in absent if n in not_asked]
    return replace(
        c,
        detail=f"The rows do not carry {', '.join(asked)}, although the URL asks for "
        f"{'it' if len(asked) == 1 else 'them'}: the account may not have "
        f"{'it' if len(asked) == 1 else 'them'}."
        + (f" ({', '.join(unasked)}: not asked for in the URL, see above.)" if unasked else ""),
        fix=f"Ask your Affiliate Manager to enable {', '.join(asked)} on your account, then select "
        f"{'it' if len(asked) == 1 else 'them'} in Reports → Statistics → Columns and export again.",
    )


def one_fix_each(checks: Iterable[Check], url: AffilkaUrl | None, report: ParsedReport | None) -> list[Check]:
    """A fetch or data check that fails on the problem a URL check already fails on confirms it
    (`Check.confirms`), with no fix of its own: the rows lack the columns the URL does not ask for;
    several brands in the rows when the brand filter is not set; Affilka refusing a URL whose token is
    missing, masked or misplaced. Every id stays, failing; the verdict counts the problem once."""
    checks = list(checks)
    failing = _failing(checks)
    out = []
    for c in checks:
        if c.status == Status.FAIL:
            if c.id == CheckId.DATA_COLUMNS_MISSING and CheckId.COLUMNS_REQUIRED in failing:
                if url is not None and report is not None:
                    c = _columns_seen_again(c, failing[CheckId.COLUMNS_REQUIRED], url, report)
            elif c.id == CheckId.DATA_MULTI_BRAND and CheckId.BRAND_FILTER in failing:
                brand = failing[CheckId.BRAND_FILTER]
                c = _confirming(
                    c,
                    brand,
                    f"{c.detail} The same problem as “{brand.title}” above (step 4): one fix for both.",
                )
            elif c.id == CheckId.FETCH_UNAUTHORIZED and CheckId.TOKEN_PRESENT in failing:
                token = failing[CheckId.TOKEN_PRESENT]
                c = _confirming(
                    c,
                    token,
                    f"{c.detail} That is the token problem above (“{token.title}”), not an expired token.",
                    title="Affilka refused the request: the URL has no usable token",
                )
        out.append(c)
    return out


def combine(
    url_checks: Iterable[Check],
    extra: Iterable[Check],
    report: ParsedReport | None,
    url: AffilkaUrl | None = None,
) -> tuple[Check, ...]:
    """URL checks and fetch/data checks together, brand verdict applied, words that waited for the
    fetch said again and each problem given one fix (`one_fix_each`; `url` is the URL fetched), in
    guide-step order."""
    extra = list(extra)
    combined = [*after_the_fetch(with_brand_verdict(url_checks, report), extra, report), *extra]
    return sort_checks(one_fix_each(combined, url, report))
