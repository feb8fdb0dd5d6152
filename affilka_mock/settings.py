"""What the mock serves and which faults it injects: one frozen dataclass, from which the CLI flags derive.

Each field's metadata holds its flag's help (and metavar and group where they differ from argparse's own),
so a new setting is one field: `MockAffilka(new_field=…)` and `--new-field` follow from it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, get_type_hints

from affilka_core.demo import DEFAULT_SEED

from .reports import DEFAULT_STYLE, ReportStyle

DEFAULT_TOKEN = "5f0c7a9e2b814d6f93a1c8e07b2d4e61"
FAULTS = "faults"


TOTALS_AT = ("top", "rows", "none")
ERROR_BODIES = ("errors", "message", "error", "ok-false")


def _flag(
    help: str,
    metavar: str | None = None,
    *,
    group: str | None = None,
    choices: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """A field's metadata: its command-line flag's help, metavar and choices."""
    return {"help": help, "metavar": metavar, "group": group, "choices": choices}


def _fault(
    help: str, metavar: str | None = None, *, choices: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """A fault's metadata: its flag goes in the help's "faults" group."""
    return _flag(help, metavar, group=FAULTS, choices=choices)


@dataclass(frozen=True, slots=True)
class MockSettings:
    """Everything the mock serves and every fault it injects (all faults off, totals right, by default).

    Request counting is per server; rate limits come first, then server errors, then (for a request with
    the right token) an HTML or JSON error body.
    """

    token: str = field(default=DEFAULT_TOKEN, metadata=_flag("the token report URLs must carry"))
    days: int = field(default=90, metadata=_flag("days of data (default %(default)s)"))
    end_date: dt.date | None = field(default=None, metadata=_flag("last day of data, YYYY-MM-DD (yesterday)"))
    brands: int = field(default=1, metadata=_flag("number of brands (default %(default)s)"))
    campaigns: int = field(default=12, metadata=_flag("number of campaigns (default %(default)s)"))
    page_size: int = field(default=5000, metadata=_flag("rows per page (default %(default)s)"))
    latency_ms: int = field(default=0, metadata=_flag("latency added to every request"))
    seed: int = field(default=DEFAULT_SEED, metadata=_flag("data seed"))
    verbose: bool = field(default=False, metadata=_flag("log request lines (token masked) to stderr"))
    style: ReportStyle = DEFAULT_STYLE  # no flag: styles are for tests
    rate_limit: int = field(default=0, metadata=_fault("first N report requests: 429", "N"))
    retry_after: int = field(
        default=1, metadata=_fault("the 429s' Retry-After header, in seconds (default %(default)s)", "S")
    )
    rate_limit_page: int | None = field(
        default=None, metadata=_fault("--rate-limit counts only the requests for page P (any page)", "P")
    )
    server_errors: int = field(default=0, metadata=_fault("next N report requests: 503", "N"))
    server_error_retry_after: int | None = field(
        default=None, metadata=_fault("the 503s' Retry-After header, in seconds (default: none)", "S")
    )
    always_status: int | None = field(default=None, metadata=_fault("every report request: CODE", "CODE"))
    html_error: bool = field(default=False, metadata=_fault("report requests: 200 with an HTML error page"))
    truncate_json: bool = field(default=False, metadata=_fault("report bodies cut in the middle"))
    slow_ms: int = field(
        default=0,
        metadata=_fault("hold every report request MS before answering (keeps requests in flight)", "MS"),
    )
    currencies: tuple[str, ...] = field(
        default=("EUR",), metadata=_fault("money currencies, cycled by row (default EUR)", "CUR,...")
    )
    drop_columns: tuple[str, ...] = field(
        default=(), metadata=_fault("columns the account lacks", "COLUMN,...")
    )
    empty: bool = field(default=False, metadata=_fault("reports have no rows"))
    gap_days: int = field(default=0, metadata=_fault("every N-th day has no rows", "N"))
    redirect_to: str | None = field(default=None, metadata=_fault("report requests: 302 to URL", "URL"))
    error_body: str | None = field(
        default=None,
        metadata=_fault(
            "report requests: Affilka's JSON error instead of the report; SHAPE is errors "
            "({errors: [{message}]}), message ({message}), error ({error}) or ok-false "
            "({ok: false, message})",
            "SHAPE",
            choices=ERROR_BODIES,
        ),
    )
    error_status: int = field(
        default=200, metadata=_fault("the HTTP status of --error-body answers (default %(default)s)", "CODE")
    )
    error_message: str = field(
        default="Invalid date range",
        metadata=_fault("the message of --error-body answers (default: %(default)s)", "TEXT"),
    )
    totals_at: str = field(
        default="top",
        metadata=_fault(
            "where every page carries the whole report's totals (all pages, after filters): top "
            "(totals.data, the default), rows (rows.totals.data) or none",
            "WHERE",
            choices=TOTALS_AT,
        ),
    )
    wrong_totals: tuple[str, ...] = field(
        default=(),
        metadata=_fault(
            "the totals of these metrics (e.g. partner_income) disagree with the rows", "METRIC,..."
        ),
    )
    wrong_totals_by: float = field(
        default=0.1,
        metadata=_fault(
            "how far --wrong-totals are off, as a fraction of the right total (default %(default)s)", "F"
        ),
    )
    extra_day: bool = field(
        default=False, metadata=_fault("rows for the day after 'to' come back too (and count in the totals)")
    )
    currency_rows: bool = field(
        default=False,
        metadata=_fault("with several --currencies: one row per currency, with a row-level currency cell"),
    )

    def __post_init__(self) -> None:
        if self.days < 1 or self.brands < 1 or self.campaigns < 1 or self.page_size < 1:
            raise ValueError("days, brands, campaigns and page_size must each be at least 1")
        # Callers pass lists as often as tuples; keep the settings hashable and immutable.
        object.__setattr__(self, "currencies", tuple(self.currencies))
        object.__setattr__(self, "drop_columns", tuple(self.drop_columns))
        object.__setattr__(self, "wrong_totals", tuple(self.wrong_totals))
        if not self.currencies:
            raise ValueError("at least one currency is needed")
        if self.totals_at not in TOTALS_AT:
            raise ValueError(f"totals_at must be one of {TOTALS_AT}, not {self.totals_at!r}")
        if self.error_body is not None and self.error_body not in ERROR_BODIES:
            raise ValueError(f"error_body must be one of {ERROR_BODIES}, not {self.error_body!r}")
        if not 100 <= self.error_status <= 599:
            raise ValueError(f"error_status must be an HTTP status (100-599), not {self.error_status}")
        if self.wrong_totals and self.wrong_totals_by == 0:
            raise ValueError("wrong_totals_by must not be 0 when wrong_totals names metrics")
        if self.retry_after < 0:
            raise ValueError("retry_after must be 0 or more seconds")
        if self.rate_limit_page is not None and self.rate_limit_page < 1:
            raise ValueError("rate_limit_page must be a page number (1 or more)")


def _csv(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


# How a flag's text becomes a field's value, by the field's type (`X | None` reads as X).
_READERS: dict[Any, Callable[[str], Any]] = {
    int: int,
    float: float,
    str: str,
    dt.date: dt.date.fromisoformat,
    tuple[str, ...]: _csv,
}


def add_setting_flags(parser: argparse.ArgumentParser, *, required: tuple[str, ...] = ()) -> None:
    """Add a `--flag-name` for every setting with a flag, its default the field's; `required` names
    fields the command line must give (a server started by hand needs its own token)."""
    hints = get_type_hints(MockSettings)
    groups: dict[str | None, Any] = {None: parser}
    for f in dataclasses.fields(MockSettings):
        if "help" not in f.metadata:
            continue
        help_text, group = f.metadata["help"], f.metadata["group"]
        if group not in groups:
            groups[group] = parser.add_argument_group(group)
        flag = "--" + f.name.replace("_", "-")
        kind = hints[f.name]
        if isinstance(kind, types.UnionType):  # `X | None`
            kind = next(arg for arg in kind.__args__ if arg is not type(None))
        if kind is bool:
            groups[group].add_argument(flag, action="store_true", help=help_text)
            continue
        options: dict[str, Any] = {"type": _READERS[kind], "help": help_text}
        if f.name in required:
            options["required"] = True
        else:
            options["default"] = f.default
        if f.metadata["metavar"]:
            options["metavar"] = f.metadata["metavar"]
        if f.metadata["choices"]:
            options["choices"] = f.metadata["choices"]
        groups[group].add_argument(flag, **options)


def settings_from_flags(args: argparse.Namespace) -> MockSettings:
    """The settings the parsed flags ask for; settings without a flag keep their defaults."""
    given = {f.name: getattr(args, f.name) for f in dataclasses.fields(MockSettings) if hasattr(args, f.name)}
    return MockSettings(**given)
