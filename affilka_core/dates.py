"""Date ranges as CasinoFlux rewrites them: the last N days ending yesterday, the presets of the date
control, and the previous period of the same length.

Every range ends yesterday, the last complete day: today has no revenue data yet, and would read as a
day without rows.
"""

from __future__ import annotations

import datetime as dt

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
    """The period of the same length that ends the day before `start` (2026-04-01..10 → 2026-03-22..31)."""
    days = (end - start).days + 1
    return start - dt.timedelta(days=days), start - dt.timedelta(days=1)
