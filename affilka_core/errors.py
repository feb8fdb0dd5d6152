"""The failures affilka_core raises on purpose: one family, named for what happened.

    AffilkaError
    ├── BadSetting               an environment variable holds a value out of range, or no number
    ├── InvalidURL               the pasted text is not a web address with a host
    ├── ReportFormatError        JSON, but not an Affilka report
    │   ├── FileCutShort         a saved file that ends mid-way (waiting does not mend a file)
    │   ├── NestedTooDeeply      JSON nested deeper than any report
    │   ├── UnreadableNumber     a number with thousands of digits (1e309 is read, as infinity)
    │   └── NotOneTable          rows with over 1,000 different cell names, or most rows lacking most
    └── FetchError               fetching failed (`url` masked, `status`, `retry_after`)
        ├── BlockedAddress       the host is or resolves to a non-public address
        ├── Unauthorized         401/403, or a sign-in page: the token was refused
        ├── NotFound             404
        ├── RateLimited          429, still after the retries                  (temporary)
        │   └── NotAskedAgain    the host is still in the pause a 429 asked for: no request sent
        ├── ServerError          5xx, still after the retries                  (temporary)
        ├── FetchTimeout         no complete answer in time                    (temporary)
        ├── ConnectionFailed     DNS, refused connection                       (temporary)
        │   ├── ConnectionBroken the connection broke mid-answer              (temporary)
        │   ├── RedirectedToOtherHost, BadRedirect, TLSFailed   the host must fix these
        ├── Rejected             another 4xx, or Affilka's JSON error at 200
        │   └── RejectedInFile   a saved file holding Affilka's JSON error: no request was made
        ├── NotJSON              not JSON: an HTML page
        │   └── TruncatedJSON    JSON cut off midway                           (temporary)
        └── TooLarge             a cap passed
            └── TooManyPages     more pages than the doctor fetches

and, beside the fetch, `HistoryUnavailable(AffilkaError)`: the case history cannot be opened, read or
written (never a reason to stop a check).

`temporary` says whether a failure is temporary trouble: Affilka did not answer now, the URL may be fine.
What a user should do about each failure is the checks' business (`affilka_core.checks.advice`). Every
message is safe to show: a token never appears in one (callers pass masked URLs).
"""

from __future__ import annotations

import datetime as dt


class AffilkaError(Exception):
    """Base class of every error this package raises on purpose.

    `affilka_message` is Affilka's own error text when the answer carried one (a JSON error body), token
    already masked; None otherwise. `temporary` is True for temporary trouble (Affilka did not answer
    now: trying again later may succeed); `retry_after` is the seconds the server asked to wait, if any.
    """

    affilka_message: str | None = None
    temporary: bool = False
    retry_after: float | None = None


class BadSetting(AffilkaError):
    """An environment variable holds a value the doctor does not accept (`budgets.Budget.read`); the
    message names the variable, what it holds and what it accepts."""


class InvalidURL(AffilkaError):
    """The pasted text cannot be read as a web address with a host."""


class ReportFormatError(AffilkaError):
    """The body is JSON but not an Affilka report (no `rows.data` list of rows).

    `affilka_message` holds Affilka's own words when the body carried some (masked, length-capped)."""

    def __init__(self, message: str, *, affilka_message: str | None = None) -> None:
        super().__init__(message)
        self.affilka_message = affilka_message


class FileCutShort(ReportFormatError):
    """A saved report file whose JSON stops before its end: the JSON tab was saved before it had fully
    loaded. Not temporary: the file stays cut however long one waits; saving it again mends it."""


class NestedTooDeeply(ReportFormatError):
    """JSON nested deeper than the parser follows: no report the JSON tab exports is."""


class UnreadableNumber(ReportFormatError):
    """A number literal too long to read (thousands of digits): the report is damaged. A literal merely past
    a double's range (1e309) is read, as infinity, and the data check `data.non_finite` names it."""


class NotOneTable(ReportFormatError):
    """Rows that are not one report table: more different cell names than `MAX_CELL_NAMES`, or rows that
    share few of their names (most rows lack most columns)."""


class FetchError(AffilkaError):
    """Fetching a report failed. `url` is always masked.

    `status` is the HTTP status when there was an answer; `retry_after` the seconds the server asked
    to wait before trying again (429/503 with a `Retry-After` header), else None; `affilka_message`
    the reason Affilka gave in a JSON error body (token masked, at most 300 characters), else None.
    """

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        status: int | None = None,
        retry_after: float | None = None,
        affilka_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.retry_after = retry_after
        self.affilka_message = affilka_message


class BlockedAddress(FetchError):
    """The host is, or resolves to, an address the fetcher refuses (private, loopback, metadata...)."""


class Unauthorized(FetchError):
    """401/403, or a redirect to a sign-in page: the token is expired or invalid."""


class NotFound(FetchError):
    """404: the host has no report at this path."""


class RateLimited(FetchError):
    """429 Too Many Requests, still after the retries."""

    temporary = True


class NotAskedAgain(RateLimited):
    """The host was not asked: a 429 asked every request to it to wait, and that pause is not over.

    `asked_at` is when the 429 came (UTC), `asked_for` the seconds it asked to wait, `until` when the pause
    ends (UTC); `retry_after` is the seconds left."""

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        asked_at: dt.datetime | None = None,
        asked_for: float | None = None,
        until: dt.datetime | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, url=url, status=429, retry_after=retry_after)
        self.asked_at = asked_at
        self.asked_for = asked_for
        self.until = until


class ServerError(FetchError):
    """5xx, still after the retries."""

    temporary = True


class FetchTimeout(FetchError):
    """The server did not answer, or not completely, in time."""

    temporary = True


class ConnectionFailed(FetchError):
    """DNS, refused connection, TLS, or an unsafe redirect: no usable answer at all."""

    temporary = True


class ConnectionBroken(ConnectionFailed):
    """The connection broke while the answer was arriving: the download was cut off midway."""


class RedirectedToOtherHost(ConnectionFailed):
    """Affilka answered with a redirect to another host, which is never followed."""

    temporary = False  # the host must change something: trying again changes nothing


class BadRedirect(ConnectionFailed):
    """Affilka answered with a redirect that cannot be followed: a malformed address, or too many."""

    temporary = False  # the host must change something: trying again changes nothing


class TLSFailed(ConnectionFailed):
    """The secure connection failed: a certificate or TLS set-up the host must fix."""

    temporary = False  # the host must change something: trying again changes nothing


class Rejected(FetchError):
    """Another 4xx: Affilka refused the request's parameters."""


class RejectedInFile(Rejected):
    """A saved file that holds Affilka's JSON error instead of a report: the JSON tab showed an error when it
    was saved. No request was made; the file must be saved again once the tab shows the report."""


class NotJSON(FetchError):
    """The body is not JSON: an HTML page, or JSON cut short."""


class TruncatedJSON(NotJSON):
    """The body is the start of a JSON report, cut off before its end: the download was incomplete."""

    temporary = True


class TooLarge(FetchError):
    """A page passed the size cap, or the report passed the cap across its pages."""


class TooManyPages(TooLarge):
    """Affilka says the report has more pages than the doctor fetches: it was not fetched whole."""


class HistoryUnavailable(AffilkaError):
    """The case history cannot be used: switched off, unreachable, read-only or not a database URL. The
    message says why (a password in the database URL never appears in it); a check goes on without it."""
