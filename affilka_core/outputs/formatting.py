"""Figures as people read them: 12,345 · €1,234.56 · 4.2% · — when unknown, compact on cards (1.12M).

One format per kind of metric (`analysis.registry.Kind`), so a row of cards never mixes "536k" with
"52,028" for the same kind.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from affilka_core.analysis.registry import Kind

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹", "BRL": "R$", "TRY": "₺"}
# Currencies with a named number format in a table column; the others read as plain localized numbers.
_NAMED_MONEY_FORMATS = {"EUR": "euro", "USD": "dollar", "JPY": "yen"}


def compact(value: float) -> str:
    """Three significant digits with a suffix (1.12M, 753k, 11.0M); small numbers in full."""
    rounded = float(f"{value:.3g}")  # round first, so 999,999 reads 1.00M rather than 1,000k
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(rounded) >= limit and abs(rounded) >= 1e5:
            scaled = rounded / limit
            digits = 2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0
            return f"{scaled:,.{digits}f}{suffix}"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 1e3 else f"{value:,.2f}"


def format_value(
    value: float | int | None, kind: Kind, currency: str | None = None, *, compact_form: bool = False
) -> str:
    """A figure as people read it: 12,345 · €1,234.56 · 4.2% · — when unknown. `compact_form` shortens
    large numbers for cards (1.12M, €7.56M)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if kind == "rate":
        return f"{value:.1%}"
    if kind == "money":
        symbol = CURRENCY_SYMBOLS.get(currency or "", "")
        if compact_form and abs(value) >= 1e5:
            text = compact(abs(value))
        elif compact_form and abs(value) >= 1e4:
            text = f"{abs(value):,.0f}"  # cents are noise on a card at this size, and would not fit
        else:
            text = f"{abs(value):,.2f}"
        sign = "-" if value < 0 else ""
        return f"{sign}{symbol}{text}" if symbol else f"{sign}{text}" + (f" {currency}" if currency else "")
    return compact(value) if compact_form else f"{int(value):,}"


# A set of cards abbreviates a kind once one of its figures reaches this; then every figure of that kind
# from a thousand up is abbreviated alike ("536k" beside "52.0k", never beside "52,028").
ABBREVIATE_FROM = 1e5


def _abbreviated(value: float) -> str:
    """Three significant digits with k, M or B from a thousand up: 52.0k, 536k, 1.98M."""
    rounded = float(f"{value:.3g}")  # round first, so 999,999 reads 1.00M rather than 1,000k
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(rounded) >= limit:
            scaled = rounded / limit
            digits = 2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0
            return f"{scaled:,.{digits}f}{suffix}"
    return f"{value:,.0f}"


def card_figures(
    figures: Sequence[tuple[float | int | None, Kind]], currency: str | None = None
) -> list[str]:
    """The figures of one set of cards, one format per kind: a kind whose largest figure reaches
    `ABBREVIATE_FROM` shows every figure from a thousand up abbreviated (536k, 52.0k, €1.98M; smaller
    ones as they are: €43.32), else every figure in full (52,028, €5,242.10). Rates are percentages.
    The full figure belongs in the card's help (`format_value`)."""
    largest: dict[str, float] = {}
    for value, kind in figures:
        if value is not None and math.isfinite(value):
            largest[kind] = max(largest.get(kind, 0.0), abs(float(value)))
    out = []
    for value, kind in figures:
        short = kind != "rate" and largest.get(kind, 0.0) >= ABBREVIATE_FROM
        if value is None or not math.isfinite(value) or not short or abs(value) < 1e3:
            out.append(format_value(value, kind, currency))
            continue
        sign = "-" if value < 0 else ""
        text = _abbreviated(abs(float(value)))
        symbol = CURRENCY_SYMBOLS.get(currency or "", "") if kind == "money" else ""
        if kind == "money" and not symbol and currency:
            out.append(f"{sign}{text} {currency}")
        else:
            out.append(f"{sign}{symbol}{text}")
    return out


def money_format(currency: str | None) -> str:
    """The number format for money in a table column: "euro", "dollar" or "yen" when the currency has
    one, else "localized"."""
    return _NAMED_MONEY_FORMATS.get(currency or "", "localized")
