"""The URL checklist: what CasinoFlux needs from a pasted Affilka URL, step by step.

`check_url` never raises: any input gives every check id, each pass, warn or fail with a title, a
detail naming what is wrong and a fix in the guide's terms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from functools import cached_property

from .catalogue import URL_CHECK_IDS as _URL_IDS
from .catalogue import CheckId, step_of
from .errors import InvalidURL
from .masking import redactor
from .url import AffilkaUrl, mask_url, parse_url, redact, secret_values, suggest_url


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


ICONS = {Status.PASS: "✅", Status.WARN: "⚠️", Status.FAIL: "❌"}
_RANK = {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2}


@dataclass(frozen=True, slots=True)
class Check:
    """One item of the checklist. Two marks are not part of the JSON contract: `temporary`, a failure
    that says nothing about the URL (Affilka did not answer now: 429, 5xx, timeout, refused
    connection), which the verdict carries as "retry"; and `checked` False, an id that could not be
    checked at all (pasted text that is not a URL), shown as "warn" but counted by no verdict."""

    id: str
    step: int
    status: Status
    title: str
    detail: str
    fix: str = ""
    temporary: bool = False
    checked: bool = True

    def __post_init__(self) -> None:
        # Details quote the user's URL; whatever they quote, a token never reaches the screen.
        for name in ("title", "detail", "fix"):
            object.__setattr__(self, name, mask_url(getattr(self, name)))

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict with the contract's fields."""
        out = asdict(self)
        out["status"] = str(self.status)
        del out["temporary"], out["checked"]
        return out


# Derived from the catalogue; kept here because other modules and tools import them from here.
URL_CHECK_IDS: tuple[str, ...] = _URL_IDS
URL_CHECK_STEPS: dict[str, int] = {check_id: step_of(check_id) for check_id in URL_CHECK_IDS}


def make_check(
    check_id: str, status: Status, title: str, detail: str, fix: str = "", *, temporary: bool = False
) -> Check:
    """A check with its guide step from the catalogue; a passing check carries no fix."""
    return Check(
        check_id, step_of(check_id), status, title, detail, fix if status != Status.PASS else "", temporary
    )


@dataclass(frozen=True)
class UrlCheckResult:
    """The checklist for one pasted text. `url` is None when the text is not a URL at all."""

    text: str
    url: AffilkaUrl | None
    checks: tuple[Check, ...]
    suggested: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        # `text` and `url` hold the token in clear; a repr lands in logs and tracebacks.
        return (
            f"UrlCheckResult(url={self.masked_url()!r}, ok={self.ok}, checks={self.checks!r}, "
            f"suggested={self.masked_suggested()!r})"
        )

    @property
    def ok(self) -> bool:
        """True when no check fails (warnings allowed)."""
        return none_fail(self.checks)

    @property
    def token(self) -> str | None:
        return self.url.token if self.url else None

    @cached_property
    def secrets(self) -> tuple[str, ...]:
        """Every token the pasted text holds, wherever it sits (see `secrets_in`)."""
        return secrets_in(self.text, self.url)

    def by_id(self, check_id: str) -> Check | None:
        """The check with this id, if present."""
        return next((c for c in self.checks if c.id == check_id), None)

    def masked_url(self) -> str:
        """The pasted URL as read (repaired), token masked; the masked text itself if unreadable."""
        return self.url.masked() if self.url else redact(self.text.strip())

    def masked_suggested(self) -> str | None:
        """The suggested URL with the token masked."""
        return mask_url(self.suggested) if self.suggested else None

    def to_dict(self, *, show_token: bool = False) -> dict[str, object]:
        """The `--json` shape: url, ok, verdict, checks, suggested_url (masked unless show_token)."""
        from .verdict import verdict  # verdict.py builds on this module

        if show_token:
            url: str | None = self.url.url() if self.url else self.text.strip()
            suggested = self.suggested
        else:
            url, suggested = self.masked_url(), self.masked_suggested()
        return {
            "url": url,
            "ok": self.ok,
            "verdict": verdict(self.checks).code,
            "checks": [c.to_dict() for c in self.checks],
            "suggested_url": suggested,
        }


# A report URL holds one token; a paste, a handful. Masking each output costs time per secret, so a paste
# of thousands of token-like runs is bounded here; every one of them is still masked by `mask_url`.
MAX_SECRETS = 32


def secrets_in(text: str, url: AffilkaUrl | None = None) -> tuple[str, ...]:
    """Every value that may be a token in pasted text (the first `MAX_SECRETS`): in `url`'s parameters
    once repaired (`Token=…`, a key `token=…` decoded from `token%3D…`), after any key naming a token
    in any of its written forms (see `url.mask_url`), and token-like runs. Outputs mask each of them
    wherever they are quoted."""
    found: list[str] = []
    for key, value in url.params if url else ():
        name, eq, rest = key.partition("=")
        if "token" in name.lower():
            found += [value, rest] if eq else [value]
    found += secret_values(text) if isinstance(text, str) else []
    return tuple(dict.fromkeys(s for s in found if s))[:MAX_SECRETS]


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


def _unreadable(text: str, reason: str) -> tuple[Check, ...]:
    first = make_check(
        CheckId.URL_PARSE,
        Status.FAIL,
        "Not a report URL",
        redact(reason),
        "Copy the whole URL from the address bar of the JSON tab that Export report → JSON "
        "opened, and paste it here.",
    )
    # Every id stays in the result (tools read them all), as a warning no verdict counts: the one thing
    # to fix is the paste itself.
    rest = tuple(
        Check(
            cid,
            step_of(cid),
            Status.WARN,
            "Not checked",
            "The text is not a URL, so this was not checked.",
            "Paste a complete report URL first (step 7).",
            checked=False,
        )
        for cid in URL_CHECK_IDS
        if cid != CheckId.URL_PARSE
    )
    return sort_checks((first, *rest))


# Names keep their capital mid-sentence.
_NAMES = ("Affilka", "CasinoFlux")


def mid_sentence(title: str) -> str:
    """A check's title inside a sentence: "token expired or invalid", but "Affilka answered…"."""
    return title if title.startswith(_NAMES) else title[:1].lower() + title[1:]


def _cut_off(c: Check) -> Check:
    """A failure on a URL that was cut off, as a warning no verdict counts: what is missing may only be
    the cut, so "select these columns in Affilka" would send people to fix what is not broken."""
    if c.status != Status.FAIL or c.id == CheckId.URL_PARSE:
        return c
    return replace(
        c,
        status=Status.WARN,
        title=f"Not checked: the URL is cut off ({mid_sentence(c.title)})",
        detail=f"The cut-off URL shows: {c.detail} That may be only the cut: check the whole URL.",
        fix="Copy the whole URL again from the JSON tab's address bar and paste it here (step 7).",
        checked=False,
    )


def check_url(
    text: str,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    today: dt.date | None = None,
    allow_hosts: Collection[str] | None = None,
) -> UrlCheckResult:
    """Run every URL check on pasted text. Never raises; every check id is always present.
    `allow_hosts` are the hosts that may use http (default: AFFILKA_ALLOW_PRIVATE_HOSTS)."""
    from .url_checks import URL_CHECKS, check_url_parse, http_allowed  # the checks build on this module

    try:
        u = parse_url(text)
    except InvalidURL as exc:
        text = text if isinstance(text, str) else ""
        return UrlCheckResult(text, None, without_secrets(_unreadable(text, str(exc)), secrets_in(text)))
    checks = without_secrets(
        (check_url_parse(u, allow_hosts) if check is check_url_parse else check(u) for check in URL_CHECKS),
        secrets_in(text, u),
    )
    if u.truncation:
        checks = tuple(_cut_off(c) for c in checks)
    suggested = suggest_url(u, date_from, date_to, today=today)
    if suggested.startswith("http://") and not http_allowed(u, allow_hosts):
        suggested = "https://" + suggested.removeprefix("http://")
    if u.json_array_columns:
        # The array form is replaced by the columns[]= the suggestion already carries.
        base, _, query = suggested.partition("?")
        suggested = base + "?" + "&".join(p for p in query.split("&") if not p.startswith("columns="))
    return UrlCheckResult(text, u, sort_checks(checks), suggested)
