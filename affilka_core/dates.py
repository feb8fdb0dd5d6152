"""Date ranges people pick: the presets of the date control, as CasinoFlux rewrites from/to."""

from __future__ import annotations

import datetime as dt

PRESETS: tuple[str, ...] = ("Last 7 days", "Last 30 days", "Last 90 days", "Month to date")


def preset_range(name: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The (from, to) of a preset. Every preset ends yesterday, the last complete day (today has no
    revenue data yet, and would read as a day without rows): "Last N days" are the N days up to it,
    "Month to date" runs from the 1st of its month."""
    today = today or dt.date.today()
    if name == "Month to date":
        end = today - dt.timedelta(days=1)
        return end.replace(day=1), end
    if name.startswith("Last ") and name.endswith(" days"):
        days = int(name.split()[1])
        end = today - dt.timedelta(days=1)
        return end - dt.timedelta(days=days - 1), end
    raise ValueError(f"unknown preset {name!r}")
