"""Many offers at once: read a pasted list or a CSV of URLs, check (and optionally fetch) each one, and
lay the results out as one row per offer with the guide's seven steps as columns.

Items keep the URL as given (token in clear) in memory only; every table and export masks it.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from affilka_core.budgets import MAX_BATCH_CONCURRENCY
from affilka_core.catalogue import CheckId
from affilka_core.checks.guide_status import first_problem, guide_status
from affilka_core.checks.model import Check, Status, worst
from affilka_core.checks.url_checks import SUGGESTED_BELOW
from affilka_core.checks.url_result import UrlCheckResult
from affilka_core.checks.verdict import RETRY, step_icon
from affilka_core.diagnosis import Diagnosis, diagnose_failure, diagnose_text, diagnose_url, why_not_fetched
from affilka_core.errors import AffilkaError, FetchError, FetchTimeout, InvalidURL
from affilka_core.guide import STEPS
from affilka_core.text import first_n, plural
from affilka_core.url.masking import mask_token, redact, secrets_in
from affilka_core.url.parse import AffilkaUrl, parse_url

if TYPE_CHECKING:
    import pandas as pd

    from affilka_core.fetch.settings import FetchSettings

DEFAULT_CONCURRENCY = 4

# Where a URL starts in a line: a scheme, or a whole URL that was percent-encoded.
_URL_START = re.compile(r"https?(?::|%3A)", re.IGNORECASE)
_NAME_SEPARATORS = ",;\t"
_HEADER_URL = {"url", "api url", "api_url", "report url", "report_url", "link"}
_HEADER_NAME = {"name", "offer", "brand", "casino", "offer name"}
# Where a batch row's suggested URL is, for fixes that point at it (a batch table has none below it).
SUGGESTED_ELSEWHERE = (
    "the suggested URL (open the offer on the URL check page, or check its URL alone on the command line)"
)


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One offer to check: where it came from (line or CSV row, from 1), its name (may be empty) and
    the URL text as given."""

    line: int
    name: str
    text: str

    def __repr__(self) -> str:
        # `text` holds the token in clear, and a name may quote it; a repr lands in logs and tracebacks.
        try:
            secrets = secrets_in(self.text, parse_url(self.text).params)
        except InvalidURL:
            secrets = secrets_in(self.text)
        name, text = redact(self.name, *secrets), redact(self.text, *secrets)
        return f"BatchItem(line={self.line}, name={name!r}, text={text!r})"


@dataclass(frozen=True)
class BatchRow:
    """One item and its `Diagnosis`: the URL checklist and, after a fetch, the fetch and data checks and
    the data summary (the parsed rows themselves are not kept)."""

    item: BatchItem
    diagnosis: Diagnosis

    def __repr__(self) -> str:
        return f"BatchRow(item={self.item!r}, diagnosis={self.diagnosis!r})"

    @property
    def result(self) -> UrlCheckResult:
        """The URL checklist."""
        assert self.diagnosis.url_result is not None  # every batch item is checked as a URL
        return self.diagnosis.url_result

    @property
    def checks(self) -> tuple[Check, ...]:
        return self.diagnosis.checks

    @property
    def summary(self) -> dict[str, Any] | None:
        """The data summary after a successful fetch."""
        return self.diagnosis.summary()

    @property
    def fetched(self) -> bool:
        """Whether its report was asked of Affilka (a row `not_fetched` names never is)."""
        return self.diagnosis.fetched and self.diagnosis.not_fetched is None

    @property
    def not_fetched(self) -> str | None:
        """Why the row is never fetched (`diagnosis.why_not_fetched`: not a URL, a token masked or
        missing), None when it can be."""
        return why_not_fetched(self.result)

    @property
    def url(self) -> AffilkaUrl | None:
        return self.diagnosis.url

    @property
    def ok(self) -> bool:
        """True when no check fails (warnings allowed)."""
        return self.diagnosis.ok

    @property
    def token(self) -> str | None:
        return self.diagnosis.token

    @property
    def name(self) -> str:
        """The item's name, with anything token-like masked."""
        return redact(self.item.name, *self.diagnosis.secrets)

    @property
    def label(self) -> str:
        """What names the row, on screen and in the CSV alike: the item's name, else the URL's host, so a
        line given without a name can still be told apart from the others; "(not a URL)" for text that
        is none."""
        if self.name:
            return self.name
        if self.url is None:
            return "(not a URL)"
        return redact(self.url.netloc, *self.diagnosis.secrets)

    def step_statuses(self) -> dict[int, Status | None]:
        """Step number → the worst status of that step's checks."""
        return {s.step.number: s.status for s in guide_status(self.checks)}

    def step_icons(self) -> dict[int, str]:
        """Step number → its mark (`verdict.step_icon`): ✅ / ⚠️ / ❌ / ➖, or ⏳."""
        return {s.step.number: step_icon(s.checks) for s in guide_status(self.checks)}

    def first_fix(self) -> str:
        """What to do about the first problem (its fix, else its detail), token masked, "" when there is
        none. A batch row has no suggested URL "below": the fix says where it is."""
        problem = self.first_problem()
        if problem is None:
            return ""
        text = (problem.fix or problem.detail).replace(SUGGESTED_BELOW, SUGGESTED_ELSEWHERE)
        return redact(text, *self.diagnosis.secrets)

    def first_problem(self) -> Check | None:
        """The first failing check, else the first warning, else None. For text that is not a URL at
        all that is the URL check itself, not the steps it stopped from being checked."""
        if self.url is None:
            return self.diagnosis.by_id(CheckId.URL_PARSE)
        return first_problem(self.checks)

    def to_dict(self, *, show_token: bool = False) -> dict[str, Any]:
        """`name` plus exactly what `check --json` (with `--fetch`: `check --fetch --json`) prints."""
        return {
            "name": self.item.name if show_token else self.name,
            **self.diagnosis.to_dict(show_token=show_token),
        }


# --- reading the input ---------------------------------------------------------------------------


def _split_name(line: str) -> tuple[str, str]:
    """("name", "url text") of a line; the name is what precedes the URL and its separator."""
    match = _URL_START.search(line)
    if not match:
        return "", line
    prefix = line[: match.start()]
    core = prefix.rstrip(" \t\"'<(")
    if not core:
        return "", line
    if core[-1] in _NAME_SEPARATORS:
        core = core[:-1]
    elif core == prefix:
        # Nothing separates the text from the URL ("URL:https://…"): all of it is the URL.
        return "", line
    return _unquote(core), line[match.start() :]


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text


def too_many(items: Sequence[BatchItem], limit: int, *, lines: int | None = None) -> str | None:
    """What to say when a list holds more URLs than a batch takes (`AFFILKA_MAX_BATCH_URLS`), else None.
    The list is read no further than the URL past the limit (`parse_batch_text`, `parse_batch_csv`), so
    the count said is of its `lines` (`line_count`, a count made at C speed), or "more than"."""
    if len(items) <= limit:
        return None
    if lines is not None and lines > limit:
        count = f"{lines:,} lines, more than the {limit:,} URLs one batch checks"
    else:
        count = f"More than {limit:,} URLs, the most one batch checks"
    return f"{count} (AFFILKA_MAX_BATCH_URLS): split the list and check each part."


def line_count(text: str | bytes) -> int:
    """The lines of a list, blank ones included: what a refusal can count of a list too long to read."""
    if isinstance(text, bytes):
        return text.count(b"\n") + (0 if not text or text.endswith(b"\n") else 1)
    return text.count("\n") + (0 if not text or text.endswith("\n") else 1)


# A physical line and its ending (\r\n, \r or \n), or the last line without one.
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def _physical_lines(text: str) -> Iterator[str]:
    """The text's lines with their endings, one at a time: a list of millions of lines is never built."""
    return (match.group() for match in _PHYSICAL_LINE.finditer(text))


def parse_batch_text(text: str, limit: int | None = None) -> list[BatchItem]:
    """Items from pasted text: one URL per line, optionally preceded by a name and ", ", "," or a tab.
    Blank lines and lines starting with # are skipped. With `limit` (`AFFILKA_MAX_BATCH_URLS`), reading
    stops at the item past it: `too_many` then refuses the list, whatever its length, in bounded time and
    memory."""
    items: list[BatchItem] = []
    number = 0
    for physical in _physical_lines((text or "").lstrip("\ufeff")):
        for raw in physical.splitlines():  # the other separators `str.splitlines` knows
            number += 1
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if not items and _is_header(line):
                continue  # `name,url` copied from a spreadsheet with the list
            name, url = _split_name(line)
            items.append(BatchItem(number, name, url.strip()))
            if limit is not None and len(items) > limit:
                return items
    return items


def _is_header(line: str) -> bool:
    """Whether a line names columns (`url`, `name,url`, `Name;URL`) rather than holding a URL."""
    cells = [_unquote(c.strip()).lower() for c in re.split(r"[,;\t]", line)]
    return any(c in _HEADER_URL for c in cells) and all(c in _HEADER_URL or c in _HEADER_NAME for c in cells)


class BatchFileError(AffilkaError):
    """The uploaded file is not a CSV (or text list) of URLs."""


_SAVE_AS_CSV = "In your spreadsheet, use File → Save as → CSV (UTF-8), with a name column and a url column."


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")  # Excel's "Unicode text" export
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Spreadsheets on Windows still save CSV in the ANSI code page.
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise BatchFileError(
            "This file is not text (it holds binary data), so it has no URLs to read. " + _SAVE_AS_CSV
        )
    return text


def _delimiter(first_line: str) -> str:
    match = _URL_START.search(first_line)
    head = first_line[: match.start()] if match else first_line
    counts = {d: head.count(d) for d in _NAME_SEPARATORS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _looks_like_url(cell: str) -> bool:
    return bool(_URL_START.match(cell.strip())) or "://" in cell


def parse_batch_csv(data: bytes, limit: int | None = None) -> list[BatchItem]:
    """Items from a CSV: columns `name,url` or just `url`, header optional, `,`, `;` or tab separated,
    a byte-order mark tolerated. Blank rows and rows starting with # are skipped. With `limit`, reading
    stops at the item past it (see `parse_batch_text`). Raises `BatchFileError` when the file is not text
    or not CSV."""
    text = _decode(data).lstrip("\ufeff")
    first = next((ln for ln in _physical_lines(text) if ln.strip()), "")
    try:
        return _read_csv(text, _delimiter(first), limit)
    except csv.Error as exc:
        raise BatchFileError(f"This file cannot be read as CSV ({exc}). " + _SAVE_AS_CSV) from None


def _read_csv(text: str, delimiter: str, limit: int | None = None) -> list[BatchItem]:
    reader = csv.reader(_physical_lines(text), delimiter=delimiter)
    header: list[str] | None = None
    url_col: int | None = None
    name_col: int | None = None
    items: list[BatchItem] = []
    for cells in reader:
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        lowered = [_unquote(c).lower() for c in cells]
        if header is None and not items and any(c in _HEADER_URL for c in lowered):
            header = lowered
            url_col = next(i for i, c in enumerate(lowered) if c in _HEADER_URL)
            name_col = next((i for i, c in enumerate(lowered) if c in _HEADER_NAME), None)
            continue
        if header is not None and url_col is not None and url_col < len(cells):
            url = cells[url_col]
            if url_col == len(header) - 1:
                # An unquoted URL holding the delimiter spills into extra cells: join them back.
                url = delimiter.join(cells[url_col:])
            name = cells[name_col] if name_col is not None and name_col < len(cells) else ""
        else:
            at = next((i for i, c in enumerate(cells) if _looks_like_url(c)), 1 if len(cells) > 1 else 0)
            url = delimiter.join(cells[at:])
            name = " ".join(c for c in cells[:at] if c)
        items.append(BatchItem(reader.line_num, _unquote(name), url.strip()))
        if limit is not None and len(items) > limit:
            break
    return items


# --- checking and fetching -----------------------------------------------------------------------


def check_batch(
    items: Iterable[BatchItem],
    *,
    settings: FetchSettings | None = None,
    known: dict[str, Diagnosis] | None = None,
) -> list[BatchRow]:
    """The URL checklist of every item, in order (no network); `settings` say which hosts may use http.
    `known` holds diagnoses by URL text from earlier calls: they are reused and the new ones added, so a
    page that keeps it checks each line once however often it is drawn."""
    known = {} if known is None else known
    rows = []
    for item in items:
        found = known.get(item.text)
        if found is None:
            found = known[item.text] = diagnose_text(item.text, settings=settings)
        rows.append(BatchRow(item, found))
    return rows


def _frame_bytes(diagnosis: Diagnosis) -> int:
    frame = diagnosis.frame
    return int(frame.memory_usage(deep=True).sum()) if frame is not None else 0


def fetch_batch(
    items: Sequence[BatchItem],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_progress: Callable[[int, int], None] | None = None,
    on_row: Callable[[BatchRow], None] | None = None,
    settings: FetchSettings | None = None,
    keep_bytes: int = 0,
) -> list[BatchRow]:
    """Check and fetch every item (as the home page's Fetch does), `concurrency` reports at a time, all
    within `settings.batch_deadline`: a report still on its way then, or not yet asked for, is a row that
    says so (temporary: fetch again later), and every other row is kept.

    The same URL listed twice is fetched once; a line `why_not_fetched` names (not a URL, a token masked
    or missing) is never fetched: its row says why. `on_progress(done, total)` (`total`: the distinct
    URLs fetched) and `on_row(row)` (the row of the URL's first item) run in the calling thread as each
    distinct URL to fetch finishes. Rows keep their
    reports' parsed rows while they take `keep_bytes` at most altogether (0: none), else their checks
    and summary only. Results come back in the items' order; failures are checks, not errors, and one
    row's failure, whatever it is, never costs the others theirs.
    """
    from affilka_core.fetch.settings import FetchSettings

    settings = settings or FetchSettings()
    workers = max(1, min(concurrency, MAX_BATCH_CONCURRENCY))
    first = {item.text: item for item in reversed(items)}
    done: dict[str, Diagnosis] = {}
    distinct = []
    for text in dict.fromkeys(item.text for item in items):
        pasted = diagnose_url(text, settings=settings) if not_fetchable(text, settings) else None
        if pasted is not None:
            done[text] = pasted  # nothing sent: its URL checks, and why it is not fetched
        else:
            distinct.append(text)
    started = time.monotonic()

    def diagnose(text: str) -> Diagnosis:
        left = settings.batch_deadline - (time.monotonic() - started)
        try:
            if left <= 0:
                return _past_deadline(text, settings)
            # Each report's own deadline ends, at the latest, with the batch's.
            bounded = replace(settings, report_deadline=min(settings.whole_report_deadline, left))
            found = diagnose_url(text, settings=bounded)
            timed_out = found.failed_fetch is not None and found.failed_fetch.id == CheckId.FETCH_TIMEOUT
            if timed_out and time.monotonic() - started >= settings.batch_deadline:
                return _past_deadline(text, settings)
            return found  # its rows are kept or dropped as it arrives (`keep_bytes`)
        except Exception as exc:  # a bug one URL provokes is that row's failure, never the batch's
            return diagnose_failure(
                FetchError(f"This URL could not be checked ({type(exc).__name__}); the other rows are kept."),
                diagnose_text(text, settings=settings).url_result,
            )

    kept = 0
    if distinct:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch-fetch") as pool:
            futures = {pool.submit(diagnose, text): text for text in distinct}
            for count, future in enumerate(as_completed(futures), start=1):
                text, diagnosis = futures[future], future.result()
                size = _frame_bytes(diagnosis)
                if diagnosis.report is not None and kept + size <= keep_bytes:
                    kept += size
                else:
                    diagnosis = diagnosis.without_frame()
                done[text] = diagnosis
                if on_progress:
                    on_progress(count, len(distinct))
                if on_row:
                    on_row(BatchRow(first[text], diagnosis))
    return [BatchRow(item, done[item.text]) for item in items]


def not_fetchable(text: str, settings: FetchSettings | None = None) -> bool:
    """Whether a line is never fetched (`why_not_fetched`)."""
    result = diagnose_text(text, settings=settings).url_result
    return result is None or why_not_fetched(result) is not None


def to_fetch(rows: Iterable[BatchRow]) -> list[str]:
    """The distinct URL texts a fetch of these rows asks Affilka for: every row's but those
    `BatchRow.not_fetched` names."""
    return list(dict.fromkeys(r.item.text for r in rows if r.not_fetched is None))


def not_fetched_note(rows: Iterable[BatchRow]) -> str:
    """The rows a fetch leaves out and why, by line: "2 lines not fetched: not a URL (lines 3, 5); this
    token is masked (line 7)." ("" when every row is fetched)."""
    why: dict[str, list[int]] = {}
    for r in rows:
        reason = r.not_fetched
        if reason is not None:
            why.setdefault(reason, []).append(r.item.line)
    if not why:
        return ""
    count = sum(len(lines) for lines in why.values())
    parts = [f"{said} ({plural(len(at), 'line', count=False)} {first_n(at)})" for said, at in why.items()]
    return f"{plural(count, 'line')} not fetched, nothing sent to Affilka: {'; '.join(parts)}."


def _past_deadline(text: str, settings: FetchSettings) -> Diagnosis:
    """The row of a URL whose report the batch's deadline left no time for: its URL checks, and a fetch
    that could not be verified now."""
    reason = FetchTimeout(
        f"Not fetched: the batch took over {settings.batch_deadline:g} s (AFFILKA_BATCH_DEADLINE) before "
        "this report came back; the rows fetched in time are kept."
    )
    return diagnose_failure(reason, diagnose_text(text, settings=settings).url_result)


def with_fetched(rows: Iterable[BatchRow], fetched: Mapping[str, BatchRow]) -> list[BatchRow]:
    """The rows, each replaced by its URL's fetched diagnosis when one is known (keyed by URL text),
    so editing the list keeps what was already fetched."""
    return [replace(fetched[r.item.text], item=r.item) if r.item.text in fetched else r for r in rows]


def tally(rows: Iterable[BatchRow]) -> dict[str, int]:
    """How many rows are ready ("pass"), usable with warnings ("warn"), not usable yet ("fail") and
    could not be verified now ("retry": only temporary failures). Keys compare equal to `Status`."""
    counts: dict[str, int] = {**dict.fromkeys(Status, 0), RETRY: 0}
    for r in rows:
        counts[RETRY if r.diagnosis.verdict.retry else worst(c.status for c in r.checks)] += 1
    return counts


def failing(rows: Iterable[BatchRow]) -> list[BatchRow]:
    """The rows with at least one failing check."""
    return [r for r in rows if not r.ok]


# --- the table -----------------------------------------------------------------------------------

STEP_COLUMNS: tuple[str, ...] = tuple(f"Step {s.number}" for s in STEPS)


def batch_table(rows: Iterable[BatchRow], *, include_url: bool = True) -> pd.DataFrame:
    """One row per offer, ready to show or export: line, name, host, masked token, the verdict's
    headline ("Could not verify now" when Affilka did not answer), ✅/⚠️/❌ per step, the first problem
    and its fix, rows fetched (after a fetch) and the URL, token masked. A step that fails only
    because Affilka did not answer now shows ⏳."""
    import pandas as pd

    rows = list(rows)
    fetched = any(r.fetched for r in rows)
    records = []
    for r in rows:
        icons = r.step_icons()
        problem = r.first_problem()
        record: dict[str, Any] = {
            "line": r.item.line,
            "name": r.label,
            "host": r.url.netloc if r.url else "",
            "token": mask_token(r.token) or "(missing)",
            "verdict": r.diagnosis.verdict.headline,
        }
        record.update({col: icons[s.number] for col, s in zip(STEP_COLUMNS, STEPS, strict=True)})
        record["problem"] = redact(problem.title, *r.diagnosis.secrets) if problem else ""
        record["fix"] = r.first_fix()
        if fetched:
            record["rows"] = r.summary["rows"] if r.summary else None
        if include_url:
            record["url"] = redact(r.item.text, *r.diagnosis.secrets)
        records.append(record)
    columns = ["line", "name", "host", "token", "verdict", *STEP_COLUMNS, "problem", "fix"]
    columns += ["rows"] if fetched else []
    columns += ["url"] if include_url else []
    table = pd.DataFrame.from_records(records, columns=columns)
    if fetched:
        table["rows"] = table["rows"].astype("Int64")
    return table


# Read first on screen: which offer, whether it can be used, and what to do about it.
_SCREEN_FIRST = ("line", "name", "verdict", "problem", "fix")


def batch_view(rows: Iterable[BatchRow]) -> pd.DataFrame:
    """The batch table as the page shows it: the first problem and its fix right after the name and
    the verdict (the steps, host, token and URL after them); each row named as the CSV names it
    (`BatchRow.label`). `batch_csv` keeps the table's own column order, which other tools read."""
    table = batch_table(rows)
    return table[[*_SCREEN_FIRST, *(c for c in table.columns if c not in _SCREEN_FIRST)]]


def batch_csv(rows: Iterable[BatchRow], *, include_url: bool = True) -> bytes:
    """The batch table as CSV through the one writer (`csv_writer.csv_bytes`: UTF-8 with a byte-order
    mark, so spreadsheets show ✅ ⚠️ ❌; no cell a spreadsheet would run as a formula), tokens masked."""
    from affilka_core.outputs.csv_writer import csv_bytes  # pandas: only when a CSV is written

    return csv_bytes(batch_table(rows, include_url=include_url))
