"""The Offer's campaigns, on Performance: pick the report's campaigns a CasinoFlux Offer is for and see
what CasinoFlux will attribute to it and what belongs to other deals."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from affilka_core.analysis.offer import campaign_table, split_offer
from affilka_core.analysis.registry import kind, metric
from affilka_core.outputs.formatting import card_figures, format_value, money_format
from affilka_core.outputs.markdown import md, md_join
from affilka_core.outputs.tables import offer_rows

from .cards import Card, card_row
from .session import PERF_OFFER_CAMPAIGNS

FIGURES = ("visits_count", "first_deposits_count", "partner_income")


@dataclass(frozen=True, slots=True)
class OfferFigures:
    """The sums for the Offer's campaigns and for the others, other deals' shares, and the warning."""

    offer: dict[str, float]
    others: dict[str, float]
    shares: dict[str, float | None]
    warning: str | None


@st.cache_data(max_entries=16, show_spinner=False)
def _table(key: str, brand: str | None, _part: pd.DataFrame) -> pd.DataFrame:
    return campaign_table(_part)


@st.cache_data(max_entries=32, show_spinner=False)
def offer_figures(
    key: str, brand: str | None, campaigns: tuple[str, ...], _part: pd.DataFrame
) -> OfferFigures:
    """What CasinoFlux attributes to an Offer tagged to `campaigns`, and what other deals bring."""
    split = split_offer(_part, campaigns)
    present = [m for m in FIGURES if m in _part.columns]
    return OfferFigures(
        {m: float(split.offer[m].sum()) for m in present},
        {m: float(split.others[m].sum()) for m in present},
        {m: split.share(m) for m in present},
        split.inflation_warning,
    )


def _option_labels(table: pd.DataFrame) -> dict[str, str]:
    """Each campaign's pick value (its id when the report has ids) and how it reads."""
    if "campaign_id" in table.columns:
        return {
            str(i): f"{name} (id {i})"
            for i, name in zip(table["campaign_id"], table["campaign"], strict=True)
        }
    return {str(name): str(name) for name in table["campaign"]}


def _cards(
    title: str, sums: dict[str, float], shares: dict[str, float | None], currency: str | None, mixed: bool
) -> None:
    st.markdown(md("**{}**", title))
    shown = [m for m in FIGURES if m in sums and not (mixed and kind(m) == "money")]
    values = card_figures([(sums[m], kind(m)) for m in shown], currency)
    cards = []
    for m, value in zip(shown, values, strict=True):
        share, name = shares.get(m), metric(m).short
        full = format_value(sums[m], kind(m), currency)
        part = f", {share:.0%} of the report's {name.lower()}" if share is not None else ""
        cards.append(Card(name, value, help=f"{full}{part}"))
    card_row(cards)


def offer_section(
    key: str, part: pd.DataFrame, brand: str | None, currency: str | None, mixed: bool
) -> dict[str, pd.DataFrame]:
    """The campaign table, the pick, the split figures and the warning; returns the split as a table for
    the downloads (`offer`) once campaigns are picked."""
    st.subheader("The Offer's campaigns", anchor="offer")
    table = _table(key, brand, part)
    if table.empty:
        st.caption("The report has no campaign column, so it cannot be split by deal.")
        return {}
    st.caption(
        "A CasinoFlux Offer is one deal. Pick the campaign(s) this Offer is for: CasinoFlux attributes what "
        "they bring to the Offer, and anything else in the report belongs to other deals."
    )
    money = money_format(currency)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(table), 300),
        column_config={
            "campaign_id": st.column_config.TextColumn("Id"),
            "campaign": st.column_config.TextColumn("Campaign"),
            "visit_share": st.column_config.ProgressColumn(
                "Share of visits", format="percent", min_value=0, max_value=1
            ),
            "visits_count": st.column_config.NumberColumn(metric("visits_count").short, format="localized"),
            "first_deposits_count": st.column_config.NumberColumn(
                metric("first_deposits_count").short, format="localized"
            ),
            "partner_income": st.column_config.NumberColumn(metric("partner_income").short, format=money)
            if not mixed
            else None,
        },
    )
    labels = _option_labels(table)
    picked = st.multiselect(
        "This Offer's campaigns",
        list(labels),
        format_func=lambda value: labels.get(value, value),
        key=PERF_OFFER_CAMPAIGNS,
        placeholder="Pick the campaign(s) the Offer is tagged to",
    )
    if not picked:
        st.caption(
            md(
                "Nothing picked: CasinoFlux would count all {} campaigns as this Offer's unless the "
                "Offer is tagged to its campaign.",
                len(table),
            )
        )
        return {}
    figures = offer_figures(key, brand, tuple(picked), part)
    left, right = st.columns(2)
    with left:
        offer_shares = {m: (1 - s) if s is not None else None for m, s in figures.shares.items()}
        _cards("What CasinoFlux will attribute to this Offer", figures.offer, offer_shares, currency, mixed)
    with right:
        _cards("What belongs to other deals", figures.others, figures.shares, currency, mixed)
    if figures.warning:
        st.warning(md("{}", figures.warning), icon="⚠️")
    else:
        names = md_join(", ", (labels[p] for p in picked))
        st.success(md("Other deals bring little to this report: the figures are {}'s own.", names), icon="✅")
    # As the cards: money left out when the report mixes currencies.
    keep = [m for m in figures.offer if not (mixed and kind(m) == "money")]
    return {
        "offer": offer_rows(
            [labels.get(p, p) for p in picked],
            {m: figures.offer[m] for m in keep},
            {m: figures.others[m] for m in keep},
            figures.shares,
            currency,
        )
    }
