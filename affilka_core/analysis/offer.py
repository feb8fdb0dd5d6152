"""The Offer's campaigns: a CasinoFlux Offer is one commercial deal, so which of the report's campaigns
belong to it decides what CasinoFlux will attribute, and whether other deals would inflate its figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from affilka_core.analysis.metrics import metric_columns, overflow_reported

# Other deals' share of visits or partner income above which the Offer's numbers would be visibly
# inflated if the URL is not narrowed to the Offer's campaigns.
INFLATION_WARNING_SHARE = 0.10

_TABLE_METRICS = ("visits_count", "first_deposits_count", "partner_income")


@overflow_reported
def campaign_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per campaign: campaign_id, campaign, visits_count, visit_share, first_deposits_count,
    partner_income (the metrics the report has), largest by visits first."""
    if frame.empty or "campaign" not in frame.columns:
        return pd.DataFrame(columns=["campaign_id", "campaign", "visit_share"])
    keys = [k for k in ("campaign_id", "campaign") if k in frame.columns]
    present = [m for m in _TABLE_METRICS if m in metric_columns(frame)]
    grouped = frame.groupby([frame[k].astype(str) for k in keys], observed=True)[present].sum()
    table = grouped.reset_index()
    if "visits_count" in table.columns:
        total = table["visits_count"].sum()
        table.insert(len(keys), "visit_share", table["visits_count"] / total if total else 0.0)
        table = table.sort_values("visits_count", ascending=False)
    return table.reset_index(drop=True)


@dataclass(frozen=True, slots=True)
class OfferSplit:
    """The report split into the Offer's campaigns and everything else."""

    offer: pd.DataFrame
    others: pd.DataFrame
    campaigns: tuple[str, ...]

    def share(self, metric: str) -> float | None:
        """Other deals' share of `metric` in the whole report (None when the report has no such figure)."""
        if metric not in self.offer.columns and metric not in self.others.columns:
            return None
        mine = float(self.offer[metric].sum()) if metric in self.offer.columns else 0.0
        theirs = float(self.others[metric].sum()) if metric in self.others.columns else 0.0
        total = mine + theirs
        return theirs / total if total else None

    @property
    def inflation_warning(self) -> str | None:
        """A plain warning when other deals would inflate the Offer's numbers, else None."""
        if not self.campaigns or self.others.empty:
            return None
        parts = []
        for metric, label in (("visits_count", "visits"), ("partner_income", "partner income")):
            share = self.share(metric)
            if share is not None and share >= INFLATION_WARNING_SHARE:
                parts.append(f"{share:.0%} of the {label}")
        if not parts:
            return None
        return (
            f"Other deals bring {' and '.join(parts)} in this report. Unless the Offer in CasinoFlux is "
            "tagged to its own campaign, CasinoFlux counts them as this Offer's and its numbers come out "
            "inflated. Tag the Offer to its campaign in CasinoFlux, or filter the report to it in Affilka "
            "(Reports → Statistics → Filters) and export again."
        )


@overflow_reported
def split_offer(frame: pd.DataFrame, campaigns: Iterable[str]) -> OfferSplit:
    """The rows of the chosen campaigns (by name or id) and the rest."""
    chosen = tuple(str(c) for c in campaigns)
    if not chosen or frame.empty:
        return OfferSplit(frame, frame.iloc[0:0], chosen)
    mask = pd.Series(False, index=frame.index)
    for key in ("campaign", "campaign_id"):
        if key in frame.columns:
            mask |= frame[key].astype(str).isin(chosen)
    return OfferSplit(frame[mask], frame[~mask], chosen)
