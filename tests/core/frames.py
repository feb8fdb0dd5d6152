"""Parsed-report frames built directly, for the analysis modules (insights, comparison, Offer split)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

START = dt.date(2026, 4, 1)
CAMPAIGNS = (("Spring banners", 501, 900), ("SEO – slot reviews", 502, 600), ("Telegram VIP", 503, 400))


def steady_report(days: int = 30, *, seed: int = 7, dispersion: float = 0.0) -> pd.DataFrame:
    """A report with steady traffic and rates: Poisson visits (gamma-mixed when `dispersion` > 0, as
    real daily traffic swings more than Poisson), binomial sign-ups and first deposits."""
    rng = np.random.default_rng(seed)
    rows = []
    for name, cid, mean_visits in CAMPAIGNS:
        for d in range(days):
            mean = mean_visits * (rng.gamma(1 / dispersion, dispersion) if dispersion else 1.0)
            visits = int(rng.poisson(mean))
            regs = int(rng.binomial(visits, 0.09))
            ftds = int(rng.binomial(regs, 0.35))
            ngr = float(round(ftds * rng.uniform(40, 160), 2))
            rows.append(
                {
                    "date": pd.Timestamp(START + dt.timedelta(days=d)),
                    "brand": "Casino Alpha",
                    "campaign": name,
                    "campaign_id": cid,
                    "visits_count": visits,
                    "registrations_count": regs,
                    "first_deposits_count": ftds,
                    "ngr": ngr,
                    "partner_income": round(ngr * 0.35, 2),
                }
            )
    return pd.DataFrame(rows)
