"""Where a URL stands at each step of the guide, and which troubleshooting entries apply to it.

The batch table, the support-ticket summary and the setup-guide page all read checks through these
few functions, so "step 3 fails" means the same thing everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from affilka_core.catalogue import CheckId, Phase, phase_of
from affilka_core.checks.model import Check, Status, worst
from affilka_core.guide import STEPS, TROUBLESHOOTING, Step, Trouble


@dataclass(frozen=True, slots=True)
class StepStatus:
    """One guide step and the checks that speak for it. `status` is None when no check covers it."""

    step: Step
    status: Status | None
    checks: tuple[Check, ...]

    @property
    def problems(self) -> tuple[Check, ...]:
        """The failing and warning checks of this step, failures first."""
        return _problems(self.checks)


def _problems(checks: Iterable[Check]) -> tuple[Check, ...]:
    checks = tuple(c for c in checks if c.checked)
    return tuple(c for c in checks if c.status == Status.FAIL) + tuple(
        c for c in checks if c.status == Status.WARN
    )


def guide_status(checks: Iterable[Check]) -> list[StepStatus]:
    """All seven steps in order, each with the worst status of its checks; None for a step none of
    whose checks could be checked (text that is not a URL)."""
    checks = tuple(checks)
    out = []
    for step in STEPS:
        mine = tuple(c for c in checks if c.step == step.number)
        ran = [c.status for c in mine if c.checked]
        out.append(StepStatus(step, worst(ran) if ran else None, mine))
    return out


def first_problem(checks: Iterable[Check]) -> Check | None:
    """The first failing check in step order, else the first warning, else None."""
    problems = _problems(sorted(checks, key=lambda c: c.step))
    return problems[0] if problems else None


@dataclass(frozen=True, slots=True)
class TroubleStatus:
    """A troubleshooting entry and what its diagnostics currently say.

    `detectors` pairs each check id the entry names with its status: None when it has not run (a data
    check before any fetch) or ran without checking (a URL check on a cut-off URL: `skipped` says why).
    `status` is the worst of those that ran, None when none ran.
    """

    trouble: Trouble
    status: Status | None
    detectors: tuple[tuple[str, Status | None], ...]
    checks: tuple[Check, ...]
    skipped: str = ""  # why a detector that ran was not checked ("the URL is cut off"), "" when none was

    @property
    def problems(self) -> tuple[Check, ...]:
        """The failing and warning checks behind this entry, failures first."""
        return _problems(self.checks)


def _fetch_attempted(checks: Sequence[Check]) -> bool:
    return any(phase_of(c.id) in (Phase.FETCH, Phase.DATA) for c in checks)


def _why_not_checked(check: Check) -> str:
    """Why a check ran without checking, from its title ("Not checked: the URL is cut off (…)"; a bare
    "Not checked" is text that is not a URL)."""
    reason = check.title.removeprefix("Not checked").lstrip(": ").partition(" (")[0]
    return reason or "the text is not a URL"


def trouble_status(checks: Iterable[Check]) -> list[TroubleStatus]:
    """Each troubleshooting entry of the guide with the status of the checks that detect it."""
    checks = tuple(checks)
    fetched = _fetch_attempted(checks)
    out = []
    for trouble in TROUBLESHOOTING:
        mine = tuple(c for c in checks if c.id in trouble.check_ids)
        detectors: list[tuple[CheckId, Status | None]] = []
        for check_id in trouble.check_ids:
            found = [c.status for c in mine if c.id == check_id and c.checked]
            if found:
                detectors.append((check_id, worst(found)))
            elif phase_of(check_id) == Phase.FETCH and fetched:
                # fetch.* failures are only reported when they happen: after a fetch, absent means fine.
                detectors.append((check_id, Status.PASS))
            else:
                detectors.append((check_id, None))
        ran = [s for _, s in detectors if s is not None]
        status = worst(ran) if ran else None
        if status == Status.PASS and len(ran) < len(detectors):
            status = (
                None  # clear only once every check that detects it has run ("token expired" needs a fetch)
            )
        skipped = next((_why_not_checked(c) for c in mine if not c.checked), "")
        out.append(TroubleStatus(trouble, status, tuple(detectors), mine, skipped))
    return out
