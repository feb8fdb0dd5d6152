"""Figure cards that never cut a figure: each set of cards is as wide as its longest value, label or
change needs, and a row holds as many as the screen fits (fewer on a narrow one), so "€5,42…" never
shows. Values follow one format per kind (`outputs.formatting.card_figures`); the full figure is on
hover. Their texts are the report's too (a currency beside a label): each is put in with `md`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from affilka_core.outputs.markdown import Markdown, md

DeltaColor = Literal["normal", "inverse", "off"]
DeltaArrow = Literal["auto", "up", "down", "off"]

# Character widths of the theme's font (Source Sans) in em, measured in Chromium and rounded up: a card's
# value is drawn at 36 px, its label and change at 14 px. A character not listed counts as wide, so an
# estimate errs wide, never cut.
_EM = {
    ch: width
    for chars, width in (
        (" ',.:;ij|lI!", 0.25),
        ("f()[]{}-t/\\r", 0.35),
        ('*s"?zx', 0.45),
        ("0123456789#$+<=>^_~×±€£¥₹₺FekcvyJYL", 0.5),
        ("agVXESTZA`hnoubdpq", 0.55),
        ("PRCKB&", 0.6),
        ("DG→NUHOQ", 0.67),
        ("wMW—", 0.8),
        ("%m@", 0.85),
        ("…", 0.95),
    )
    for ch in chars
}
_WIDE = 0.85
_SLACK = 1.04  # kerning and rounding
_VALUE_PX, _SMALL_PX = 36, 14
_PADDING = 36  # the card's border and inner padding, both sides
_HELP_ICON = 24  # the (?) after a label, with its gap
_ARROW = 22  # the change's arrow, with its gap
_MIN_WIDTH = 140


def text_px(text: str, size: int) -> float:
    """About how many pixels `text` takes in the theme's font at `size` px (a little more, not less)."""
    return sum(_EM.get(ch, _WIDE) for ch in text) * size * _SLACK


@dataclass(frozen=True, slots=True)
class Card:
    """One figure card: label, value as shown, its help (definition and full figure) and the change
    beside it (`delta`), coloured and arrowed as `st.metric` takes them."""

    label: str
    value: str
    help: str | None = None
    delta: str | None = None
    delta_color: DeltaColor = "normal"
    delta_arrow: DeltaArrow = "auto"


def card_width(cards: Sequence[Card]) -> int:
    """The width, in pixels, every card of the set gets: enough for its longest value, label (with the
    help icon) and change."""
    need = float(_MIN_WIDTH)
    for card in cards:
        arrow = _ARROW if card.delta_arrow != "off" else 0
        need = max(
            need,
            text_px(card.value, _VALUE_PX) + _PADDING,
            text_px(card.label, _SMALL_PX) + (_HELP_ICON if card.help else 0) + _PADDING,
            text_px(card.delta or "", _SMALL_PX) + arrow + _PADDING,
        )
    return int(need + 0.999)


def runs(cards: Sequence[Card], kinds: Sequence[str]) -> list[list[Card]]:
    """The cards cut into rows at each change of kind (`kinds[i]` is card i's): counts, money and rates
    each start a row of their own."""
    rows: list[list[Card]] = []
    for i, card in enumerate(cards):
        if i == 0 or kinds[i] != kinds[i - 1]:
            rows.append([])
        rows[-1].append(card)
    return rows


def _delta(delta: str | None) -> Markdown | None:
    """A change as `st.metric` takes it: its sign written in the template, where Streamlit reads the
    arrow's direction from, the rest escaped like any text."""
    if not delta:
        return None
    return md(delta[:1] + "{}", delta[1:]) if delta[:1] in "+-" else md("{}", delta)


def card_rows(rows: Sequence[Sequence[Card]], *, uniform: bool = True) -> None:
    """Rows of cards (a row per kind of figure, say), every card as wide as the widest of them all needs
    (`uniform`, a grid), or each as wide as its own words, each row holding as many as the screen fits
    whole and wrapping the rest."""
    width: int | Literal["content"] = (
        card_width([card for row in rows for card in row]) if uniform else "content"
    )
    for row in rows:
        if not row:
            continue
        with st.container(horizontal=True, gap="small"):
            for card in row:
                st.metric(
                    md("{}", card.label),
                    md("{}", card.value),
                    delta=_delta(card.delta),
                    delta_color=card.delta_color,
                    delta_arrow=card.delta_arrow,
                    help=md("{}", card.help) if card.help else None,
                    border=True,
                    width=width,
                )


def card_row(cards: Sequence[Card], *, uniform: bool = True) -> None:
    """One row of cards (see `card_rows`)."""
    card_rows([cards], uniform=uniform)
