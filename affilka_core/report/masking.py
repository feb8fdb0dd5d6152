"""A parsed report with its text masked, as it is loaded: a program host may quote the token back (a
campaign or brand named with it, in any case, inside other text), and whatever the frame holds reaches
pages, charts, exports and tickets. Masked once here, none of them can show it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from affilka_core.report.frame import Figures, ParsedReport
from affilka_core.url.masking import redactor


def _text(value: object, hide: Callable[[str], str]) -> object:
    return hide(value) if isinstance(value, str) else value


def _masked_column(column: pd.Series, hide: Callable[[str], str]) -> pd.Series | None:
    """The column with its text masked, None when nothing in it changes. A categorical's categories are
    masked (a few hundred names, not every row)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = list(column.cat.categories)
        masked = [_text(c, hide) for c in categories]
        if masked == categories:
            return None
        if len(set(masked)) == len(masked):
            return column.cat.rename_categories(masked)
        # Two names that differ only in the secret now read alike: one category for both.
        codes = column.cat.codes.to_numpy()
        values = np.array([*masked, None], dtype=object)[codes]
        return pd.Series(pd.Categorical(values), index=column.index, name=column.name)
    if pd.api.types.is_string_dtype(column.dtype) or pd.api.types.is_object_dtype(column.dtype):
        masked_rows = column.map(lambda v: _text(v, hide))
        return None if masked_rows.equals(column) else masked_rows
    return None


def _names(columns: Sequence[Hashable], hide: Callable[[str], str]) -> list[Hashable]:
    """Column names masked, kept apart when two would read alike."""
    out: list[Hashable] = []
    for name in columns:
        shown = _text(name, hide)
        while shown in out:
            shown = f"{shown} (2)"
        out.append(shown)
    return out


def mask_report(parsed: ParsedReport, secrets: Sequence[str] = ()) -> ParsedReport:
    """`parsed` with every one of `secrets` (in any case and written form, inside longer text) and
    anything token-like masked in its text: the frame's text columns and column names, its currencies,
    the names in Affilka's totals and the dates that could not be read. The same report when nothing
    changes."""
    hide = redactor(*secrets)
    frame = parsed.frame
    changed = {
        i: masked
        for i, name in enumerate(frame.columns)
        if (masked := _masked_column(frame.iloc[:, i], hide)) is not None
    }
    names = _names(list(frame.columns), hide)
    renamed = dict(zip(frame.columns, names, strict=True))
    if changed or names != list(frame.columns):
        frame = frame.copy(deep=False)
        for i, masked in changed.items():
            frame.isetitem(i, masked.array)
        frame.columns = pd.Index(names)
    currencies = tuple(hide(c) for c in parsed.currencies)

    def figures(sums: Figures | None) -> Figures | None:
        return None if sums is None else {str(renamed.get(k, hide(k))): v for k, v in sums.items()}

    not_numbers = {str(renamed.get(k, hide(k))): rows for k, rows in parsed.not_numbers.items()}
    undated_examples = tuple(hide(example) for example in parsed.undated_examples)
    by_currency = parsed.totals_by_currency
    masked_totals = figures(parsed.totals)
    masked_by_currency = (
        None if by_currency is None else {hide(c): figures(s) or {} for c, s in by_currency.items()}
    )
    if (
        frame is parsed.frame
        and currencies == parsed.currencies
        and masked_totals == parsed.totals
        and masked_by_currency == by_currency
        and list(not_numbers) == list(parsed.not_numbers)
        and undated_examples == parsed.undated_examples
    ):
        return parsed
    return replace(
        parsed,
        frame=frame,
        currencies=currencies,
        totals=masked_totals,
        totals_by_currency=masked_by_currency,
        not_numbers=not_numbers,
        undated_examples=undated_examples,
    )
