"""What Performance shows, as tables for its downloads: the headline figures, the comparison with the
previous period and the Offer's split, each figure as it is read, money to two decimals with its currency
beside it, counts whole, rates as shares to six decimals (no float noise such as 40.019999999999996).

Tables only: the CSV and HTML writers in `outputs.exports` turn them into files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import pandas as pd

from affilka_core.analysis.compare import KpiDelta
from affilka_core.analysis.metrics import Kpi, metric_columns
from affilka_core.analysis.registry import Kind, kind, metric

MONEY_DECIMALS = 2
RATE_DECIMALS = 6
_DIMENSIONS = ("date", "brand", "campaign", "campaign_id", "day", "previous_date")


def rounded(value: float | int | None, of: Kind) -> float | int | None:
    """One figure as a download holds it: money to cents, a count whole, a rate to six decimals."""
    if value is None or pd.isna(value):
        return None
    if of == "money":
        return round(float(value), MONEY_DECIMALS)
    if of == "rate":
        return round(float(value), RATE_DECIMALS)
    return round(float(value)) if float(value).is_integer() else round(float(value), MONEY_DECIMALS)


def written(value: float | int | None, of: Kind) -> object:
    """One figure as a CSV cell writes it, kind by kind in one column: a count as a whole number
    ("318331", never "318331.0"), money with two decimals ("12.50"), a rate as `rounded` has it."""
    value = rounded(value, of)
    if value is None:
        return None
    if of == "money":
        return Decimal(f"{value:.{MONEY_DECIMALS}f}")
    if of != "rate" and float(value).is_integer():
        return int(value)
    return value


def _column(values: list[object]) -> pd.Series:
    """Figures of several kinds in one column, each kept as written (pandas would make them all floats)."""
    return pd.Series(values, dtype=object)


def tidy(table: pd.DataFrame, currency: str | None, *, money: bool = True) -> pd.DataFrame:
    """A table of figures (by day, by campaign) as downloads hold it: every metric column rounded by its
    kind, counts as whole numbers, a `currency` column after the dimensions; without `money` (a report
    that mixes currencies) money columns are left out, as the page leaves them out of its charts."""
    table = table.copy()
    for column in metric_columns(table):
        of = kind(column)
        if of == "money" and not money:
            table = table.drop(columns=column)
        elif of == "money":
            table[column] = table[column].astype("float64").round(MONEY_DECIMALS)
        elif of == "rate":
            table[column] = table[column].astype("float64").round(RATE_DECIMALS)
        elif table[column].dropna().map(float).map(float.is_integer).all():
            table[column] = table[column].round().astype("Int64")
    if money:
        at = sum(c in _DIMENSIONS for c in table.columns)
        table.insert(at, "currency", currency)
    return table


def kpi_rows(kpis: Iterable[Kpi], currency: str | None, shown: Sequence[str] | None = None) -> pd.DataFrame:
    """Headline figures as rows: key, label, value (rounded by kind), currency (money only), shown (as
    the card reads, when given)."""
    kpis = list(kpis)
    rows = [
        {
            "key": k.key,
            "label": k.label,
            "value": None,
            "currency": currency if k.kind == "money" else None,
            **({"shown": shown[i]} if shown is not None else {}),
        }
        for i, k in enumerate(kpis)
    ]
    columns = ["key", "label", "value", "currency", *(["shown"] if shown is not None else [])]
    table = pd.DataFrame(rows, columns=columns)
    table["value"] = _column([written(k.value, k.kind) for k in kpis])
    return table


def comparison_rows(deltas: Iterable[KpiDelta], currency: str | None) -> pd.DataFrame:
    """This period against the last, a row per headline figure: key, label, current, previous, change
    (rounded by kind), change_percent (a share; empty when the previous period had none), currency
    (money only)."""
    deltas = list(deltas)
    rows = [
        {
            "key": d.key,
            "label": d.label,
            "current": None,
            "previous": None,
            "change": None,
            "change_percent": rounded(d.percent, "rate"),
            "currency": currency if d.kind == "money" else None,
        }
        for d in deltas
    ]
    columns = ["key", "label", "current", "previous", "change", "change_percent", "currency"]
    table = pd.DataFrame(rows, columns=columns)
    for name in ("current", "previous", "change"):
        table[name] = _column([written(getattr(d, name), d.kind) for d in deltas])
    return table


def mover_rows(movers: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]], currency: str | None) -> pd.DataFrame:
    """The campaigns that moved most, a row per campaign and metric: metric, direction (gained, lost),
    campaign, current, previous, change (rounded by kind), currency (money only)."""
    rows = []
    for key, (gainers, losers) in movers.items():
        of = kind(key)
        for direction, table in (("gained", gainers), ("lost", losers)):
            for record in table.to_dict("records"):
                rows.append(
                    {
                        "metric": metric(key).label,
                        "direction": direction,
                        "campaign": str(record["campaign"]),
                        **{c: rounded(record[c], of) for c in ("current", "previous", "change")},
                        "currency": currency if of == "money" else None,
                    }
                )
    columns = ["metric", "direction", "campaign", "current", "previous", "change", "currency"]
    return pd.DataFrame(rows, columns=columns)


def offer_rows(
    campaigns: Sequence[str],
    offer: Mapping[str, float],
    others: Mapping[str, float],
    shares: Mapping[str, float | None],
    currency: str | None,
) -> pd.DataFrame:
    """The Offer's split, a row per part and metric: part ("this Offer", "other deals"), campaigns (the
    Offer's, as picked), metric, value (rounded by kind), share of the report's figure, currency (money
    only). `shares` are other deals' shares, as `OfferSplit.share` gives them."""
    rows = []
    picked = ", ".join(campaigns)
    for part, sums in (("this Offer", offer), ("other deals", others)):
        for key, value in sums.items():
            theirs = shares.get(key)
            share = None if theirs is None else (theirs if part == "other deals" else 1 - theirs)
            rows.append(
                {
                    "part": part,
                    "campaigns": picked,
                    "metric": metric(key).label,
                    "value": rounded(value, kind(key)),
                    "share": rounded(share, "rate"),
                    "currency": currency if kind(key) == "money" else None,
                }
            )
    return pd.DataFrame(rows, columns=["part", "campaigns", "metric", "value", "share", "currency"])
