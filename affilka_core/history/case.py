"""A case: one check or fetch as the history keeps it. Built from a `Diagnosis`, it holds the masked
URL, the Offer's key, the verdict, every check's id, status and title, the data summary and the
insights: never the token in any form, never the report's rows.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from affilka_core.catalogue import Phase, phase_of
from affilka_core.checks.model import Status
from affilka_core.url.masking import scrub

if TYPE_CHECKING:
    from affilka_core.diagnosis import Diagnosis

# Where a case was made: the URL check page, the command line, Batch check, or a case's "Check it again
# live" on the History page.
Source = Literal["app", "cli", "batch"]
ANONYMOUS = "anonymous"
MAX_USER_CHARS = 320  # the longest e-mail address there can be


@dataclass(frozen=True, slots=True)
class CaseCheck:
    """One check as recorded: its id, status and title."""

    id: str
    status: str
    title: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "status": self.status, "title": self.title}


@dataclass(frozen=True, kw_only=True, slots=True)
class Case:
    """One recorded check or fetch. `id` is None until stored; `at` is when the diagnosis was made
    (UTC); `data` is the data summary, None when nothing was fetched or no data came back."""

    id: int | None = None
    at: dt.datetime
    source: Source
    user: str
    host: str
    offer_key: str
    url: str
    verdict: str
    checks: tuple[CaseCheck, ...]
    data: dict[str, Any] | None = None
    insights: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The `history --json` shape: id, at (ISO 8601, UTC), source, user, host, offer_key, url,
        verdict, checks (id, status, title), data, insights."""
        return {
            "id": self.id,
            "at": self.at.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "source": self.source,
            "user": self.user,
            "host": self.host,
            "offer_key": self.offer_key,
            "url": self.url,
            "verdict": self.verdict,
            "checks": [c.to_dict() for c in self.checks],
            "data": self.data,
            "insights": list(self.insights),
        }

    @property
    def fetched(self) -> bool:
        """Whether the case is of a fetch (it holds a fetch check), not of the URL alone."""
        return any(phase_of(c.id) == Phase.FETCH for c in self.checks)

    @property
    def failing(self) -> tuple[CaseCheck, ...]:
        """The checks that failed."""
        return tuple(c for c in self.checks if c.status == Status.FAIL)


def os_user() -> str:
    """Who runs the CLI: the operating system's user name, "anonymous" when it cannot be told."""
    try:
        return getpass.getuser() or ANONYMOUS
    except (KeyError, OSError):
        return ANONYMOUS


def case_of(diagnosis: Diagnosis, *, source: Source, user: str) -> Case | None:
    """The case of a diagnosis of a URL (checked, or fetched as asked: with the dates it was fetched
    with); None when there is no URL (text that is not one, the demo, a saved file, a scenario). Every
    text is the masked JSON shape's, passed through `scrub` with the pasted text's secrets again, so no
    form of the token is kept, whatever a report or a check quotes."""
    result = diagnosis.url_result
    if result is None or result.url is None or result.asked is None:
        return None
    secrets = diagnosis.secrets
    shown = diagnosis.to_dict()  # scrubbed already: checks, data, insights
    return Case(
        at=diagnosis.at.astimezone(dt.UTC),
        source=source,
        user=scrub((user or ANONYMOUS)[:MAX_USER_CHARS], *secrets),
        host=scrub(result.url.netloc, *secrets),
        offer_key=scrub(result.url.offer_key(), *secrets),
        url=scrub(result.asked.masked(), *secrets),
        verdict=shown["verdict"],
        checks=tuple(CaseCheck(c["id"], c["status"], c["title"]) for c in shown["checks"]),
        data=shown.get("data"),
        insights=tuple(shown.get("insights") or ()),
    )
