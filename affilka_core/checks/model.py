"""A check, the unit of every checklist: its id, guide step, status, title, detail and fix, and how
several of them order and add up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from affilka_core.catalogue import step_of
from affilka_core.url.masking import mask_url, redactor


class Status(StrEnum):
    """How a check came out: pass, warn or fail (the JSON contract's words)."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


ICONS = {Status.PASS: "✅", Status.WARN: "⚠️", Status.FAIL: "❌"}
_RANK = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2}


@dataclass(frozen=True, slots=True)
class Check:
    """One item of the checklist. Three marks are not part of the JSON contract: `temporary`, a failure
    that says nothing about the URL (Affilka did not answer now: 429, 5xx, timeout, refused
    connection), which the verdict carries as "retry"; `checked` False, an id that could not be
    checked at all (pasted text that is not a URL), shown as "warn" but counted by no verdict; and
    `confirms`, the id of another failing check whose problem this one sees again (the rows lack the
    columns the URL does not ask for): it fails too, with no fix of its own, and the verdict counts the
    problem once."""

    id: str
    step: int
    status: Status
    title: str
    detail: str
    fix: str = ""
    temporary: bool = False
    checked: bool = True
    confirms: str = ""

    def __post_init__(self) -> None:
        # Details quote the user's URL; whatever they quote, a token never reaches the screen.
        for name in ("title", "detail", "fix"):
            object.__setattr__(self, name, mask_url(getattr(self, name)))

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict with the contract's fields: id, step, status, title, detail, fix."""
        return {
            "id": str(self.id),
            "step": self.step,
            "status": str(self.status),
            "title": self.title,
            "detail": self.detail,
            "fix": self.fix,
        }


def make_check(
    check_id: str, status: Status, title: str, detail: str, fix: str = "", *, temporary: bool = False
) -> Check:
    """A check with its guide step from the catalogue; a passing check carries no fix."""
    return Check(
        check_id, step_of(check_id), status, title, detail, fix if status != Status.PASS else "", temporary
    )


def without_secrets(checks: Iterable[Check], secrets: Iterable[str]) -> tuple[Check, ...]:
    """The checks with every one of `secrets` masked wherever their text quotes it."""
    secrets = tuple(secrets)
    if not secrets:
        return tuple(checks)
    hide = redactor(*secrets)
    out = []
    for c in checks:
        title, detail, fix = hide(c.title), hide(c.detail), hide(c.fix)
        changed = (title, detail, fix) != (c.title, c.detail, c.fix)
        out.append(replace(c, title=title, detail=detail, fix=fix) if changed else c)
    return tuple(out)


def none_fail(checks: Iterable[Check]) -> bool:
    """True when no check fails (warnings allowed): what `ok` means in every result and exit code."""
    return all(c.status != Status.FAIL for c in checks)


def sort_checks(checks: Iterable[Check]) -> tuple[Check, ...]:
    """Order checks by guide step, keeping their relative order within a step."""
    return tuple(sorted(checks, key=lambda c: c.step))


def worst(statuses: Iterable[Status]) -> Status:
    """The most severe of several statuses (pass when there are none)."""
    return max(statuses, key=_RANK.__getitem__, default=Status.PASS)
