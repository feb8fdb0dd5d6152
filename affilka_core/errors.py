"""The failures affilka_core reports, and what a user should do about each.

Every exception message is safe to show: a token never appears in one (callers pass masked URLs).
`ADVICE` is the one table that turns a failure into a checklist item: its check id, a title and the fix
in Affilka's terms (the guide step comes with the id, from the catalogue).
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import CheckId, step_of


class AffilkaError(Exception):
    """Base class of every error this package raises on purpose.

    `affilka_message` is Affilka's own error text when the answer carried one (a JSON error body), token
    already masked; None otherwise.
    """

    affilka_message: str | None = None


class InvalidURL(AffilkaError):
    """The pasted text cannot be read as a web address with a host."""


class ReportFormatError(AffilkaError):
    """The body is JSON but not an Affilka report (no `rows.data` list of rows).

    `affilka_message` holds Affilka's own words when the body carried some (masked, length-capped)."""

    def __init__(self, message: str, *, affilka_message: str | None = None) -> None:
        super().__init__(message)
        self.affilka_message = affilka_message


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


class ServerError(FetchError):
    """5xx, still after the retries."""


class FetchTimeout(FetchError):
    """The server did not answer, or not completely, in time."""


class ConnectionFailed(FetchError):
    """DNS, refused connection, TLS, or an unsafe redirect: no usable answer at all."""


class RedirectedToOtherHost(ConnectionFailed):
    """Affilka answered with a redirect to another host, which is never followed."""


class BadRedirect(ConnectionFailed):
    """Affilka answered with a redirect that cannot be followed: a malformed address, or too many."""


class TLSFailed(ConnectionFailed):
    """The secure connection failed: a certificate or TLS set-up the host must fix."""


class Rejected(FetchError):
    """Another 4xx: Affilka refused the request's parameters."""


class NotJSON(FetchError):
    """The body is not JSON: an HTML page, or JSON cut short."""


class TruncatedJSON(NotJSON):
    """The body is the start of a JSON report, cut off before its end: the download was incomplete."""


class TooLarge(FetchError):
    """A page passed the size cap, or the report passed the cap across its pages."""


class TooManyPages(TooLarge):
    """Affilka says the report has more pages than the doctor fetches: it was not fetched whole."""


@dataclass(frozen=True, slots=True)
class Advice:
    """What a failure means on the checklist."""

    check_id: CheckId
    title: str
    fix: str

    @property
    def step(self) -> int:
        """The guide step of the check id, from the catalogue."""
        return step_of(self.check_id)


_RE_EXPORT = (
    "In Affilka, open Reports → Statistics, click Filter, then Export report → JSON, and copy the new "
    "tab's URL."
)

# Fix texts of temporary failures take `{when}`: "in a few minutes", or the wait the server asked for.
_CHANGE_NOTHING = "The URL may be fine: {what} Change nothing in the URL; try again {when}."

ADVICE: dict[type[AffilkaError], Advice] = {
    BlockedAddress: Advice(
        CheckId.FETCH_BLOCKED_ADDRESS,
        "Host refused: not a public address",
        "Paste the URL of your affiliate program's own dashboard (a public https host). Internal, "
        "loopback and cloud-metadata addresses are never fetched.",
    ),
    Unauthorized: Advice(
        CheckId.FETCH_UNAUTHORIZED,
        "Token expired or invalid",
        "Tokens expire. Log back in to Affilka, run the export again (Reports → Statistics → Filter → "
        "Export report → JSON) and copy the new URL with its fresh token.",
    ),
    NotFound: Advice(
        CheckId.FETCH_NOT_FOUND,
        "No report at this address (404)",
        "Check the host is your affiliate program's dashboard and the path is "
        "/api/client/partner/report.json. " + _RE_EXPORT,
    ),
    RateLimited: Advice(
        CheckId.FETCH_RATE_LIMITED,
        "Affilka is limiting requests (429)",
        _CHANGE_NOTHING.replace("{what}", "Affilka asked to slow down and did not send the report."),
    ),
    ServerError: Advice(
        CheckId.FETCH_SERVER_ERROR,
        "Affilka answered with a server error",
        _CHANGE_NOTHING.replace("{what}", "the affiliate program's server failed to answer.")
        + " If it persists for hours, tell the Affiliate Manager.",
    ),
    FetchTimeout: Advice(
        CheckId.FETCH_TIMEOUT,
        "Affilka did not answer in time",
        _CHANGE_NOTHING.replace("{what}", "Affilka did not send the report in time."),
    ),
    ConnectionFailed: Advice(
        CheckId.FETCH_CONNECTION,
        "Could not reach the host",
        _CHANGE_NOTHING.replace(
            "{what}", "the host did not answer (the connection was refused or its name did not resolve)."
        )
        + " If it keeps failing, compare the host with your affiliate dashboard's address.",
    ),
    RedirectedToOtherHost: Advice(
        CheckId.FETCH_CONNECTION,
        "Affilka redirected to another host",
        "The server sent the request on to a different host, which is never followed (the token would "
        "go with it). " + _RE_EXPORT + " Use the dashboard you log in to, as in the browser's address bar.",
    ),
    BadRedirect: Advice(
        CheckId.FETCH_CONNECTION,
        "Affilka's redirect cannot be followed",
        "The server answered with a redirect to an unreadable address, or with one redirect after another. "
        "A URL copied whole from the JSON tab does not cause this: " + _RE_EXPORT + " If it happens again, "
        "tell the Affiliate Manager.",
    ),
    TLSFailed: Advice(
        CheckId.FETCH_CONNECTION,
        "Secure connection failed (TLS)",
        "The host's certificate or TLS set-up was refused. Check the host is your affiliate program's "
        "dashboard, as in the browser's address bar; if it is, its certificate needs fixing (tell the "
        "Affiliate Manager).",
    ),
    Rejected: Advice(
        CheckId.FETCH_REJECTED,
        "Affilka rejected the request",
        "Check the date range and the columns, click Filter in Reports → Statistics, then export the JSON "
        "again and copy the new URL.",
    ),
    NotJSON: Advice(
        CheckId.FETCH_NOT_JSON,
        "The answer is not a JSON report",
        "Use Export report → JSON and copy the URL of the tab that shows JSON, not the dashboard page. "
        + _RE_EXPORT,
    ),
    TruncatedJSON: Advice(
        CheckId.FETCH_NOT_JSON,
        "The download was cut off",
        "The report arrived incomplete: the download was cut off before its end. Change nothing in the "
        "URL: fetch again {when}. If it is cut off every time, the report may be too large for the "
        "server: narrow the date range (from/to).",
    ),
    TooLarge: Advice(
        CheckId.FETCH_TOO_LARGE,
        "The report is too large",
        "Narrow the date range (from/to) so the report is smaller, then export again.",
    ),
    ReportFormatError: Advice(
        CheckId.FETCH_NOT_JSON,
        "The answer is not an Affilka report",
        "The JSON has no report rows. " + _RE_EXPORT,
    ),
    InvalidURL: Advice(
        CheckId.URL_PARSE,
        "Not a report URL",
        "Copy the whole URL from the address bar of the JSON tab (step 6) and paste it here.",
    ),
}

# Failures that say nothing about the URL: Affilka did not answer now and may well later.
TEMPORARY: tuple[type[FetchError], ...] = (
    RateLimited,
    ServerError,
    FetchTimeout,
    ConnectionFailed,
    TruncatedJSON,  # a download cut off midway: nothing points at the URL
)
# Connection failures the URL's host must fix: trying again changes nothing.
_LASTING: tuple[type[FetchError], ...] = (RedirectedToOtherHost, BadRedirect, TLSFailed)


def is_temporary(exc: AffilkaError) -> bool:
    """Whether a failure is temporary trouble (429, 5xx, timeout, refused or unresolved connection):
    the URL may be fine and trying again later may succeed. A redirect to another host, a TLS failure
    or too many redirects are not."""
    return isinstance(exc, TEMPORARY) and not isinstance(exc, _LASTING)


def retry_when(retry_after: float | None) -> str:
    """When to try again, in words: the server's Retry-After when given, else "in a few minutes"."""
    if retry_after is None or retry_after <= 0:
        return "in a few minutes"
    if retry_after < 60:
        return f"in {max(1, round(retry_after))} s (Affilka asked to wait that long)"
    minutes = -(-int(retry_after) // 60)
    return f"in {minutes} minute{'s' if minutes != 1 else ''} (Affilka asked to wait {int(retry_after)} s)"


def advice_for(exc: AffilkaError) -> Advice:
    """The advice for an error, by the most specific class the table knows; a temporary failure's fix
    says when to try again."""
    for cls in type(exc).__mro__:
        if cls in ADVICE:
            advice = ADVICE[cls]  # type: ignore[index]
            if "{when}" in advice.fix:
                when = retry_when(getattr(exc, "retry_after", None))
                return Advice(advice.check_id, advice.title, advice.fix.replace("{when}", when))
            return advice
    return Advice(CheckId.FETCH_CONNECTION, "Could not fetch the report", _RE_EXPORT)
