"""The URL checklist of pasted text: every URL check run, the cut-off and unreadable cases said once,
and the suggested URL.

`check_url` never raises: any input gives every URL check id, each pass, warn or fail with a title, a
detail naming what is wrong and a fix in the guide's terms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from functools import cached_property

from affilka_core.catalogue import URL_CHECK_IDS, CheckId, step_of
from affilka_core.checks.model import (
    Check,
    Status,
    make_check,
    none_fail,
    sort_checks,
    without_secrets,
)
from affilka_core.checks.url_checks import URL_CHECKS, check_url_parse, http_allowed
from affilka_core.checks.verdict import verdict
from affilka_core.errors import InvalidURL
from affilka_core.text import mid_sentence, plural
from affilka_core.url.masking import mask_url, redact, secrets_in
from affilka_core.url.parse import AffilkaUrl, parse_url, with_dates
from affilka_core.url.suggest import suggest_url


@dataclass(frozen=True)
class UrlCheckResult:
    """The checklist for one pasted text. `url` is None when the text is not a URL at all; `chosen` is
    the range picked to fetch instead of the URL's own dates, when one was (see `asked`)."""

    text: str
    url: AffilkaUrl | None
    checks: tuple[Check, ...]
    suggested: str | None = field(default=None, repr=False)
    chosen: tuple[dt.date, dt.date] | None = None

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
        return secrets_in(self.text, self.url.secret_params if self.url else ())

    @property
    def asked(self) -> AffilkaUrl | None:
        """The URL as it is fetched: with the chosen range when there is one (as CasinoFlux rewrites
        from/to on every sync), else as pasted."""
        if self.url is None or self.chosen is None:
            return self.url
        return with_dates(self.url, *self.chosen)

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


# Warnings about a parameter that is absent: on a cut URL the cut may have taken it.
_ABSENT_PARAM: dict[str, str] = {
    CheckId.PAGE_FIRST: "page",
    CheckId.CURRENCY_CONVERSION: "convert_all_currencies",
}


def _cut_off(c: Check, u: AffilkaUrl) -> Check:
    """A failure on a URL that was cut off (or wrapped over lines that could not be joined for certain),
    or a warning about a parameter it lacks, as a warning no verdict counts: what is missing may only
    be the cut, so "select these columns in Affilka" would send people to fix what is not broken."""
    lost = c.status == Status.WARN and c.id in _ABSENT_PARAM and not u.has(_ABSENT_PARAM[c.id])
    if not (c.status == Status.FAIL or lost) or c.id == CheckId.URL_PARSE:
        return c
    wrapped = u.wrapped
    how = "wrapped or cut off" if wrapped else "cut off"
    return replace(
        c,
        status=Status.WARN,
        title=f"Not checked: the URL is {how} ({mid_sentence(c.title)})",
        detail=f"The {how.replace(' off', '-off')} URL shows: {c.detail} That may be only the cut.",
        # One cause, one fix: the cut's, on url.parse; this only points at it.
        fix=f"See “URL is {how}”.",
        checked=False,
    )


def _day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _with_chosen_dates(c: Check, u: AffilkaUrl, start: str | dt.date, end: str | dt.date) -> Check:
    """dates.range as a fetch with another range uses it: the chosen range, the URL's own dates named
    beside it."""
    if c.id != CheckId.DATES_RANGE or c.status != Status.PASS:
        return c
    days = (_day(end) - _day(start)).days + 1
    return replace(
        c,
        detail=f"Chosen range {start} → {end} ({plural(days, 'day')}), used for fetching, as CasinoFlux "
        f"replaces the dates on every sync; the URL itself says {u.date_from} → {u.date_to}.",
    )


def check_url(
    text: str,
    *,
    date_from: str | dt.date | None = None,
    date_to: str | dt.date | None = None,
    today: dt.date | None = None,
    allow_hosts: Collection[str] = frozenset(),
) -> UrlCheckResult:
    """Run every URL check on pasted text. Never raises; every check id is always present.

    `date_from`/`date_to` are a range chosen to fetch instead of the URL's own (the suggested URL and
    the dates check carry it); `allow_hosts` are the hosts that may use http (`FetchSettings.
    allow_private_hosts`)."""
    try:
        u = parse_url(text)
    except InvalidURL as exc:
        text = text if isinstance(text, str) else ""
        return UrlCheckResult(text, None, without_secrets(_unreadable(text, str(exc)), secrets_in(text)))
    checks = without_secrets(
        (check_url_parse(u, allow_hosts) if check is check_url_parse else check(u) for check in URL_CHECKS),
        secrets_in(text, u.secret_params),
    )
    if u.truncation:
        checks = tuple(_cut_off(c, u) for c in checks)
    if date_from and date_to:
        checks = tuple(_with_chosen_dates(c, u, date_from, date_to) for c in checks)
    suggested = suggest_url(u, date_from, date_to, today=today)
    if suggested.startswith("http://") and not http_allowed(u, allow_hosts):
        suggested = "https://" + suggested.removeprefix("http://")
    if u.json_array_columns:
        # The array form is replaced by the columns[]= the suggestion already carries.
        base, _, query = suggested.partition("?")
        suggested = base + "?" + "&".join(p for p in query.split("&") if not p.startswith("columns="))
    chosen = (_day(date_from), _day(date_to)) if date_from and date_to else None
    return UrlCheckResult(text, u, sort_checks(checks), suggested, chosen)
