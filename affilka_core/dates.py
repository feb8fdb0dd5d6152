"""Date ranges as CasinoFlux rewrites them: the last N days ending yesterday, the presets of the date
control, and the previous period of the same length.

Every range ends yesterday, the last complete day: today has no revenue data yet, and would read as a
day without rows.
"""

from __future__ import annotations

import datetime as dt
import re

from affilka_core.budgets import EARLIEST_DATE, LATEST_DATE, MAX_SPAN_YEARS, within_range

# The one form Affilka's export writes a date in. `date.fromisoformat` also reads ISO week dates
# (2026-W01-1) and compact forms (20260401), which Affilka does not.
DAY_FORM = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def read_day(value: str | None) -> dt.date | None:
    """A URL's date written YYYY-MM-DD as a date; None when it is not in that form or not a day of the
    calendar (2026-02-29)."""
    if not value or not DAY_FORM.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


PRESETS: tuple[str, ...] = ("Last 7 days", "Last 30 days", "Last 90 days", "Month to date")


def yesterday(today: dt.date | None = None) -> dt.date:
    """The last complete day."""
    return (today or dt.date.today()) - dt.timedelta(days=1)


def last_days(days: int, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The `days` days up to and including yesterday."""
    end = yesterday(today)
    return end - dt.timedelta(days=days - 1), end


def preset_range(name: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The (from, to) of a preset: "Last N days" (see `last_days`), or "Month to date" from the 1st of
    yesterday's month. Raises ValueError for an unknown name."""
    if name == "Month to date":
        end = yesterday(today)
        return end.replace(day=1), end
    if name.startswith("Last ") and name.endswith(" days"):
        return last_days(int(name.split()[1]), today)
    raise ValueError(f"unknown preset {name!r}")


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length that ends the day before `start` (2026-04-01..10 → 2026-03-22..31).
    Raises ValueError, saying why, when start..end is no range a report covers (`budgets.within_range`)
    or the period before it would begin before the first day a report holds."""
    if not within_range(start, end):
        raise ValueError(
            f"{start} → {end} is not a range an Affilka report covers (at most {MAX_SPAN_YEARS} years, from "
            f"{EARLIEST_DATE} to {LATEST_DATE}), so there is no previous period to compare with."
        )
    days = (end - start).days + 1
    if (start - EARLIEST_DATE).days < days:
        raise ValueError(
            f"The period before {start} → {end} would begin before {EARLIEST_DATE}, earlier than any Affilka "
            "report holds: there is no previous period to compare with."
        )
    return start - dt.timedelta(days=days), start - dt.timedelta(days=1)
