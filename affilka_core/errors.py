"""The failures affilka_core reports, and what a user should do about each.

Every exception message is safe to show: a token never appears in one (callers pass masked URLs).
`ADVICE` is the one table that turns a failure into a checklist item: its check id, a title and the fix
in Affilka's terms (the guide step comes with the id, from the catalogue).
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import CheckId, step_of


class AffilkaError(Exception):
    """Base class of every error this package raises on purpose."""


class InvalidURL(AffilkaError):
    """The pasted text cannot be read as a web address with a host."""


class ReportFormatError(AffilkaError):
    """The body is JSON but not an Affilka report (no `rows.data` list of rows).

    `affilka_message` holds Affilka's own words when the body carried some (masked, length-capped)."""

    def __init__(self, message: str, *, affilka_message: str | None = None) -> None:
        super().__init__(message)
        self.affilka_message = affilka_message


class FetchError(AffilkaError):
    """Fetching a report failed. `url` is always masked; `affilka_message` holds Affilka's own words from a
    JSON error body, when there were some (masked, length-capped)."""

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        status: int | None = None,
        affilka_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
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


class Rejected(FetchError):
    """Another 4xx: Affilka refused the request's parameters."""


class NotJSON(FetchError):
    """The body is not JSON: an HTML page, or JSON cut short."""


class TooLarge(FetchError):
    """The body passed the size cap."""


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
        "Wait a minute and try again. If it keeps happening, fetch a shorter date range.",
    ),
    ServerError: Advice(
        CheckId.FETCH_SERVER_ERROR,
        "Affilka answered with a server error",
        "The affiliate program's server failed. Try again in a few minutes; if it persists, contact "
        "the Affiliate Manager.",
    ),
    FetchTimeout: Advice(
        CheckId.FETCH_TIMEOUT,
        "Affilka did not answer in time",
        "Try again. A long date range makes a slow report: narrow from/to (Filters) and re-export.",
    ),
    ConnectionFailed: Advice(
        CheckId.FETCH_CONNECTION,
        "Could not reach the host",
        "Check the host name in the URL is your affiliate program's dashboard, as in the browser's "
        "address bar, then copy the URL again.",
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


def advice_for(exc: AffilkaError) -> Advice:
    """The advice for an error, by the most specific class the table knows."""
    for cls in type(exc).__mro__:
        if cls in ADVICE:
            return ADVICE[cls]  # type: ignore[index]
    return Advice(CheckId.FETCH_CONNECTION, "Could not fetch the report", _RE_EXPORT)
