"""The one answer to "can CasinoFlux use this?", for the page, the CLI, batch rows and the ticket."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from affilka_core.checks.model import ICONS, Check, Status, worst

# Shown for a step or a diagnostic nothing has checked yet (no URL pasted, or no fetch done).
NOT_CHECKED_ICON = "➖"
# Shown when Affilka did not answer now: neither "fix this" nor "fine".
RETRY_ICON = "⏳"

USABLE, FIX, RETRY = "usable", "fix", "retry"
RETRY_HEADLINE = "Could not verify now"


def icon(status: Status | None) -> str:
    """✅ / ⚠️ / ❌, or ➖ when not checked."""
    return ICONS[status] if status is not None else NOT_CHECKED_ICON


def check_icon(check: Check) -> str:
    """A check's mark: ⏳ for a failure that is only temporary trouble (Affilka did not send the report
    now), else ✅ / ⚠️ / ❌."""
    return RETRY_ICON if check.temporary and check.status == Status.FAIL else ICONS[check.status]


def step_icon(checks: Iterable[Check]) -> str:
    """The mark of a guide step from its checks: the worst one, ⏳ when its only failures are temporary
    (❌ would send people to fix a URL that may be fine), ➖ when none of them could be checked."""
    counted = [c for c in checks if c.checked]
    fails = [c for c in counted if c.status == Status.FAIL]
    if fails and all(c.temporary for c in fails):
        return RETRY_ICON
    return icon(worst(c.status for c in counted)) if counted else NOT_CHECKED_ICON


@dataclass(frozen=True, slots=True)
class Verdict:
    """How a set of checks adds up. `status` is None when nothing was checked. `retry` is True when
    checks fail but every failure is temporary (Affilka did not answer now): the URL may be fine."""

    status: Status | None
    fails: int
    warns: int
    fail_steps: tuple[int, ...]
    retry: bool = False

    @property
    def code(self) -> str:
        """A stable word for tools: "usable" when nothing fails, "retry" when only temporary trouble
        fails, else "fix"."""
        if self.retry:
            return RETRY
        return FIX if self.status == Status.FAIL else USABLE

    @property
    def icon(self) -> str:
        """✅ / ⚠️ / ❌, ⏳ when it could not be verified now, ➖ when nothing was checked."""
        return RETRY_ICON if self.retry else icon(self.status)

    @property
    def headline(self) -> str:
        """A few words: "Not usable yet", "Could not verify now", "Usable", "Ready for CasinoFlux",
        "Nothing checked yet"."""
        if self.status is None:
            return "Nothing checked yet"
        if self.retry:
            return RETRY_HEADLINE
        return {Status.FAIL: "Not usable yet", Status.WARN: "Usable", Status.PASS: "Ready for CasinoFlux"}[
            self.status
        ]

    @property
    def sentence(self) -> str:
        """One sentence: the headline and how many things to fix and to look at."""
        if self.status is None:
            return "Nothing checked yet."
        if self.retry:
            looks = f" {self.warns} to look at." if self.warns else ""
            return (
                f"{RETRY_HEADLINE}: the report did not come back now, so the URL may be fine; try again "
                f"later.{looks}"
            )
        if self.status == Status.FAIL:
            return f"Not usable yet: {self.fails} to fix, {self.warns} to look at."
        if self.status == Status.WARN:
            return f"Usable, {self.warns} to look at."
        return "Ready for CasinoFlux."

    @property
    def line(self) -> str:
        """The icon and the sentence, as the CLI prints it."""
        return f"{self.icon} {self.sentence}"


def verdict(checks: Iterable[Check]) -> Verdict:
    """The verdict of a checklist: fail if any check fails (retry when every failure is temporary),
    warn if any warns, pass otherwise. Ids that could not be checked (`checked` False) count for
    nothing; a failure that confirms another failing check (`confirms`) is the same thing to fix and
    counts once."""
    checks = tuple(c for c in checks if c.checked)
    fails = [c for c in checks if c.status == Status.FAIL]
    warns = sum(c.status == Status.WARN for c in checks)
    if not checks:
        status = None
    elif fails:
        status = Status.FAIL
    else:
        status = Status.WARN if warns else Status.PASS
    retry = bool(fails) and all(c.temporary for c in fails)
    failing = {c.id for c in fails}
    to_fix = [c for c in fails if not (c.confirms and c.confirms in failing)]
    return Verdict(status, len(to_fix), warns, tuple(sorted({c.step for c in to_fix})), retry)
