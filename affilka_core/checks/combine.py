"""URL checks and fetch/data checks together: the brand verdict the data gives, and the URL checks whose
words waited for a fetch said again once it came back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from affilka_core.catalogue import CheckId, Phase, phase_of
from affilka_core.checks.model import Check, Status, make_check, sort_checks
from affilka_core.text import first_n, mid_sentence

if TYPE_CHECKING:
    # pandas: checking a URL (which combines nothing) must not import it
    from affilka_core.report.frame import ParsedReport


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
                    f"The data mixes {len(brands)} brands ({first_n(brands)}); see the data check below.",
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


def combine(
    url_checks: Iterable[Check], extra: Iterable[Check], report: ParsedReport | None
) -> tuple[Check, ...]:
    """URL checks and fetch/data checks together, brand verdict applied and words that waited for the
    fetch said again, in guide-step order."""
    extra = list(extra)
    return sort_checks([*after_the_fetch(with_brand_verdict(url_checks, report), extra, report), *extra])
