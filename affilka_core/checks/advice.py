"""What a user should do about each failure: the one table from an exception to a checklist item.

`ADVICE` maps each exception class of `affilka_core.errors` to its check id, a title and the fix in
Affilka's terms (the guide step comes with the id, from the catalogue); `advice_for` picks the most
specific entry and says when to try again for temporary trouble.
"""

from __future__ import annotations

from dataclasses import dataclass

from affilka_core.budgets import MAX_RETRY_AFTER
from affilka_core.catalogue import CheckId, step_of
from affilka_core.errors import (
    AffilkaError,
    BadRedirect,
    BlockedAddress,
    ConnectionBroken,
    ConnectionFailed,
    FetchTimeout,
    FileCutShort,
    InvalidURL,
    NestedTooDeeply,
    NotAskedAgain,
    NotFound,
    NotJSON,
    NotOneTable,
    RateLimited,
    RedirectedToOtherHost,
    Rejected,
    RejectedInFile,
    ReportFormatError,
    ServerError,
    TLSFailed,
    TooLarge,
    TruncatedJSON,
    Unauthorized,
    UnreadableNumber,
)
from affilka_core.text import clock_time, plural


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
# The same instruction inside a sentence, for fixes that say one more thing about it (each once).
_EXPORT_AGAIN = "export the report again (Reports → Statistics → Filter → Export report → JSON)"

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
        f"In Affilka, {_EXPORT_AGAIN} and copy the new tab's URL: its host is your affiliate program's "
        "dashboard and its path /api/client/partner/report.json.",
    ),
    NotAskedAgain: Advice(
        CheckId.FETCH_RATE_LIMITED,
        "Not asked again: Affilka asked to wait",
        "The URL may be fine: Affilka asked every request to this host to wait, so it was not asked "
        "again. Change nothing in the URL; try again {until}.",
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
            "{what}",
            "the host gave no usable answer (the connection failed or was refused, or its name did not "
            "resolve).",
        )
        + " If it keeps failing, compare the host with your affiliate dashboard's address.",
    ),
    ConnectionBroken: Advice(
        CheckId.FETCH_CONNECTION,
        "The download was cut off",
        _CHANGE_NOTHING.replace("{what}", "the connection broke while the report was arriving.")
        + " If it breaks every time, the report may be too large for the server: narrow the date range "
        "(from/to).",
    ),
    RedirectedToOtherHost: Advice(
        CheckId.FETCH_CONNECTION,
        "Affilka redirected to another host",
        "The server sent the request on to a different host, which is never followed (the token would "
        f"go with it). From the dashboard you log in to, {_EXPORT_AGAIN} and copy the new tab's URL.",
    ),
    BadRedirect: Advice(
        CheckId.FETCH_CONNECTION,
        "Affilka's redirect cannot be followed",
        "The server answered with a redirect to an unreadable address, or with one redirect after another. "
        f"A URL copied whole from the JSON tab does not cause this: {_EXPORT_AGAIN} and copy the new tab's "
        "URL. If it happens again, tell the Affiliate Manager.",
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
    RejectedInFile: Advice(
        CheckId.FETCH_REJECTED,
        "The file holds Affilka's error, not a report",
        "The JSON tab showed Affilka's error when it was saved. In Reports → Statistics, "
        "check the date range and the columns, click Filter and confirm rows appear, then Export report → "
        "JSON and save the new tab once it shows the report (or paste its URL here).",
    ),
    NotJSON: Advice(
        CheckId.FETCH_NOT_JSON,
        "The answer is not a JSON report",
        "In Affilka, open Reports → Statistics, click Filter, then Export report → JSON, and copy the URL "
        "of the tab that shows the JSON, not of a dashboard or sign-in page.",
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
    FileCutShort: Advice(
        CheckId.FETCH_NOT_JSON,
        "The saved file ends mid-way",
        "Save the JSON tab again (Ctrl+S / ⌘S) once it has fully loaded, and open the new file: waiting "
        "does not mend a saved file.",
    ),
    NestedTooDeeply: Advice(
        CheckId.FETCH_NOT_JSON,
        "The answer is not an Affilka report",
        "A report's JSON is rows of cells a few levels deep; this nests far deeper, so it is something "
        "else. " + _RE_EXPORT,
    ),
    UnreadableNumber: Advice(
        CheckId.FETCH_NOT_JSON,
        "A number in the report cannot be read",
        "No figure of a report has thousands of digits: the answer is damaged. " + _RE_EXPORT + " If the "
        "new one is damaged too, tell the Affiliate Manager.",
    ),
    NotOneTable: Advice(
        CheckId.FETCH_NOT_JSON,
        "The rows are not one report table",
        "In Reports → Statistics, pick the columns under Columns and Day, Brand and Campaign under Group "
        "by, click Filter, then Export report → JSON and copy the new tab's URL: that report's rows all "
        "carry the same cells.",
    ),
    ReportFormatError: Advice(
        CheckId.FETCH_NOT_JSON,
        "The answer is not an Affilka report",
        "The JSON is not shaped like the report Affilka's JSON tab exports (rows of cells under rows.data). "
        + _RE_EXPORT,
    ),
    InvalidURL: Advice(
        CheckId.URL_PARSE,
        "Not a report URL",
        "Copy the whole URL from the address bar of the JSON tab (step 6) and paste it here.",
    ),
}


def retry_when(retry_after: float | None) -> str:
    """When to try again, in words: the server's Retry-After when given (read as at most
    `MAX_RETRY_AFTER`: "in an hour or more"), else "in a few minutes"."""
    if retry_after is None or not retry_after > 0:  # also NaN
        return "in a few minutes"
    if retry_after >= MAX_RETRY_AFTER:
        return "in an hour or more (Affilka asked to wait at least an hour)"
    if retry_after < 60:
        return f"in {max(1, round(retry_after))} s (Affilka asked to wait that long)"
    minutes = -(-int(retry_after) // 60)
    return f"in {plural(minutes, 'minute')} (Affilka asked to wait {int(retry_after)} s)"


def advice_for(exc: AffilkaError) -> Advice:
    """The advice for an error, by the most specific class the table knows; a temporary failure's fix
    says when to try again (after when, for a host still in the pause a 429 asked for)."""
    for cls in type(exc).__mro__:
        if cls in ADVICE:
            advice = ADVICE[cls]
            fix = advice.fix.replace("{when}", retry_when(exc.retry_after))
            if isinstance(exc, NotAskedAgain):
                until = f"after {clock_time(exc.until)}" if exc.until else retry_when(exc.retry_after)
                fix = fix.replace("{until}", until)
            return Advice(advice.check_id, advice.title, fix) if fix != advice.fix else advice
    return Advice(CheckId.FETCH_CONNECTION, "Could not fetch the report", _RE_EXPORT)
