"""Date ranges people pick: the presets of the date control, as CasinoFlux rewrites from/to."""

from __future__ import annotations

import datetime as dt

PRESETS: tuple[str, ...] = ("Last 7 days", "Last 30 days", "Last 90 days", "Month to date")


def preset_range(name: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The (from, to) of a preset. "Last N days" ends yesterday, the last complete day; "Month to
    date" runs from the 1st to today."""
    today = today or dt.date.today()
    if name == "Month to date":
        return today.replace(day=1), today
    if name.startswith("Last ") and name.endswith(" days"):
        days = int(name.split()[1])
        end = today - dt.timedelta(days=1)
        return end - dt.timedelta(days=days - 1), end
    raise ValueError(f"unknown preset {name!r}")
