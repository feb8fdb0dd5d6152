"""`affilka_core.demo`: the demo casino's report, deterministic per seed and realistic.

Its variants (styles, paging, the benchmark report) are specified in tests/mock/test_reports.py."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

import pytest

from affilka_core.demo import BLOCK_DAYS, demo_report, generate_rows, report_document
from affilka_core.guide import MONEY_COLUMNS, REQUIRED_COLUMNS

START = dt.date(2026, 1, 1)
END = dt.date(2026, 4, 30)  # 120 days: every weekday 17 times or more
BRANDS = ("Casino Alpha", "Casino Beta")
CAMPAIGNS = 30


def values(row: list[dict[str, Any]]) -> dict[str, Any]:
    """A row as {name: value}, money as float euros."""
    out: dict[str, Any] = {}
    for cell in row:
        value = cell["value"]
        if cell["type"] == "money" and value is not None:
            value = int(value["amount_cents"]) / 100
        out[cell["name"]] = value
    return out


@pytest.fixture(scope="module")
def report() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """120 days × 2 brands × 30 campaigns = 7,200 rows, as plain {name: value} dicts, and the campaigns."""
    rows, campaigns = generate_rows(START, END, brands=BRANDS, campaigns=CAMPAIGNS)
    return [values(r) for r in rows], campaigns


def by_campaign(rows: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["campaign_id"]].append(row)
    return grouped


# --- Determinism ---------------------------------------------------------------------------------------


def test_same_arguments_give_the_same_bytes():
    assert demo_report(30, end=END) == demo_report(30, end=END)


def test_another_seed_gives_other_numbers():
    assert demo_report(30, end=END, seed=1) != demo_report(30, end=END, seed=2)


def test_a_sub_range_has_exactly_the_numbers_of_the_full_range():
    full, _ = generate_rows(START, END, brands=BRANDS, campaigns=5)
    part, _ = generate_rows(dt.date(2026, 2, 10), dt.date(2026, 2, 20), brands=BRANDS, campaigns=5)
    assert part == [r for r in full if "2026-02-10" <= r[0]["value"] <= "2026-02-20"]


def test_a_day_has_the_same_numbers_in_every_window_even_across_random_blocks():
    year, _ = generate_rows(dt.date(2026, 1, 1), dt.date(2026, 12, 31), campaigns=2)
    by_date = {(r[0]["value"], r[2]["value"]): r for r in year}
    # Windows starting anywhere in a block, many crossing its end.
    for start in range(0, 365 - BLOCK_DAYS // 2, 23):
        first = dt.date(2026, 1, 1) + dt.timedelta(days=start)
        window, _ = generate_rows(first, first + dt.timedelta(days=BLOCK_DAYS // 2), campaigns=2)
        assert window == [by_date[(r[0]["value"], r[2]["value"])] for r in window]


def test_a_brand_or_campaign_has_the_same_numbers_whatever_else_is_generated():
    alone, _ = generate_rows(START, START, brands=("Casino Beta",), campaigns=3)
    together, _ = generate_rows(START, START, brands=BRANDS, campaigns=10)
    beta = [r for r in together if r[1]["value"] == "Casino Beta" and r[2]["value"] <= 503]
    assert alone == beta


# --- Shape ---------------------------------------------------------------------------------------------


def test_one_row_per_day_brand_campaign_in_that_order():
    rows, _ = generate_rows(START, START + dt.timedelta(days=1), brands=BRANDS, campaigns=3)
    keys = [(r[0]["value"], r[1]["value"], r[2]["value"]) for r in rows]
    assert keys == [(d, b, c) for d in ("2026-01-01", "2026-01-02") for b in BRANDS for c in (501, 502, 503)]


def test_cells_are_date_brand_campaign_id_then_the_columns_with_affilka_types():
    rows, _ = generate_rows(START, START)
    row = rows[0]
    assert [c["name"] for c in row] == ["date", "brand", "campaign_id", *REQUIRED_COLUMNS]
    assert row[0] == {"name": "date", "value": "2026-01-01", "type": "date"}
    assert row[1] == {"name": "brand", "value": "Casino Alpha", "type": "string"}
    assert row[2] == {"name": "campaign_id", "value": 501, "type": "integer"}
    for cell in row[3:]:
        if cell["name"] in MONEY_COLUMNS:
            assert cell["type"] == "money"
            assert set(cell["value"]) == {"amount", "amount_cents", "currency"}
        else:
            assert cell["type"] == "integer" and isinstance(cell["value"], int)


def test_money_amount_and_amount_cents_agree_even_when_negative():
    rows, _ = generate_rows(START, END, brands=BRANDS, campaigns=CAMPAIGNS)
    cells = [c["value"] for r in rows for c in r if c["type"] == "money"]
    assert any(c["amount"].startswith("-") for c in cells)
    for cell in cells:
        assert cell["currency"] == "EUR"
        assert round(float(cell["amount"]) * 100) == int(cell["amount_cents"])


def test_relation_campaigns_have_ids_from_501_unique_realistic_names_and_a_strategy():
    _, campaigns = generate_rows(START, START, campaigns=70)
    assert [c["id"] for c in campaigns] == list(range(501, 571))
    names = [c["name"] for c in campaigns]
    assert len(set(names)) == 70
    assert names[:4] == ["Spring banners", "Telegram VIP", "SEO – slot reviews", "Email reactivation"]
    assert not any(name.startswith("Campaign ") for name in names)
    assert {c["strategy"] for c in campaigns} == {"revshare", "cpa", "hybrid"}


# --- Realism -------------------------------------------------------------------------------------------


def test_funnel_invariants_hold_on_every_row(report):
    rows, _ = report
    for r in rows:
        assert 0 <= r["registrations_count"] <= r["visits_count"]
        assert r["first_deposits_count"] <= r["registrations_count"]
        assert r["depositing_players_count"] >= r["first_deposits_count"]
        assert (
            0 <= r["qualified_players_count"] <= r["prequalified_players_count"] <= r["first_deposits_count"]
        )
        assert r["deposits_sum"] >= r["first_deposits_sum"] >= 0
        ftd = r["first_deposits_count"]
        assert 20 * ftd - 0.01 <= r["first_deposits_sum"] <= 120 * ftd + 0.01


def test_zero_visits_mean_zero_registrations(report):
    rows, _ = report
    assert all(r["registrations_count"] == 0 for r in rows if r["visits_count"] == 0)


def test_funnel_rates_are_plausible_per_campaign(report):
    rows, _ = report
    for campaign_rows in by_campaign(rows).values():
        visits = sum(r["visits_count"] for r in campaign_rows)
        regs = sum(r["registrations_count"] for r in campaign_rows)
        ftds = sum(r["first_deposits_count"] for r in campaign_rows)
        if visits < 2000:
            continue  # too little traffic for a rate to mean anything
        assert 0.04 <= regs / visits <= 0.15
        assert 0.20 <= ftds / regs <= 0.45


def test_campaigns_convert_at_different_rates(report):
    rows, _ = report
    rates = [
        sum(r["first_deposits_count"] for r in rs) / sum(r["visits_count"] for r in rs)
        for rs in by_campaign(rows).values()
        if sum(r["visits_count"] for r in rs) >= 2000
    ]
    assert len(rates) >= 5 and max(rates) > 1.5 * min(rates)


def test_ngr_is_mostly_25_to_60_percent_of_deposits_and_sometimes_negative(report):
    rows, _ = report
    with_deposits = [r for r in rows if r["deposits_sum"] > 0]
    shares = [r["ngr"] / r["deposits_sum"] for r in with_deposits]
    assert sum(0.25 - 1e-3 <= s <= 0.60 + 1e-3 for s in shares) / len(shares) > 0.85
    assert 0.01 < sum(r["ngr"] < 0 for r in rows) / len(rows) < 0.15


def test_fixed_per_player_is_qualified_players_times_one_cpa_per_campaign(report):
    rows, campaigns = report
    strategy = {c["id"]: c["strategy"] for c in campaigns}
    for cid, campaign_rows in by_campaign(rows).items():
        cpas = {
            round(r["fixed_per_player"] / r["qualified_players_count"], 2)
            for r in campaign_rows
            if r["qualified_players_count"]
        }
        if strategy[cid] == "revshare":
            assert all(r["fixed_per_player"] == 0 for r in campaign_rows)
        elif cpas:
            assert len(cpas) == 1 and 50 <= cpas.pop() <= 150


def test_partner_income_is_revshare_of_ngr_plus_fixed_per_player(report):
    rows, campaigns = report
    strategy = {c["id"]: c["strategy"] for c in campaigns}
    for cid, campaign_rows in by_campaign(rows).items():
        ngr = sum(r["ngr"] for r in campaign_rows)
        share = sum(r["partner_income"] - r["fixed_per_player"] for r in campaign_rows)
        if strategy[cid] == "cpa":
            assert share == pytest.approx(0, abs=0.01)
        elif ngr > 1000:
            assert 0.25 - 1e-3 <= share / ngr <= 0.45 + 1e-3


def test_a_few_big_campaigns_and_a_long_tail(report):
    rows, _ = report
    totals = sorted((sum(r["visits_count"] for r in rs) for rs in by_campaign(rows).values()), reverse=True)
    assert totals[0] > 50 * totals[-1]
    assert sum(totals[:5]) > 0.5 * sum(totals)


def test_some_small_campaigns_have_days_without_visits_and_big_ones_do_not(report):
    rows, _ = report
    zero_days = {cid: sum(r["visits_count"] == 0 for r in rs) for cid, rs in by_campaign(rows).items()}
    assert zero_days[501] == 0
    assert sum(n > 0 for n in zero_days.values()) >= 5


def test_friday_to_sunday_are_busier_than_monday_to_thursday(report):
    rows, _ = report
    visits_by_weekday: dict[int, int] = defaultdict(int)
    for r in rows:
        visits_by_weekday[dt.date.fromisoformat(r["date"]).weekday()] += r["visits_count"]
    friday_to_sunday = sum(visits_by_weekday[d] for d in (4, 5, 6)) / 3
    monday_to_thursday = sum(visits_by_weekday[d] for d in (0, 1, 2, 3)) / 4
    assert friday_to_sunday > 1.2 * monday_to_thursday


# --- The document -------------------------------------------------------------------------------


def test_document_has_affilka_shape_and_only_the_campaigns_present():
    rows, campaigns = generate_rows(START, START, campaigns=6)
    doc = report_document([r for r in rows if r[2]["value"] in (502, 504)], campaigns)
    assert list(doc) == ["report_type", "total_pages", "page", "rows", "relations"]
    assert doc["report_type"] == "partner" and len(doc["rows"]["data"]) == 2
    assert [c["id"] for c in doc["relations"]["campaigns"]] == [502, 504]


def test_demo_report_is_compact_json_ending_yesterday_by_default():
    body = demo_report(7, campaigns=3)
    assert b", " not in body[:200] and b'": ' not in body[:200]
    doc = json.loads(body)
    dates = sorted({r[0]["value"] for r in doc["rows"]["data"]})
    yesterday = dt.date.today() - dt.timedelta(days=1)
    assert dates == [(yesterday - dt.timedelta(days=i)).isoformat() for i in range(6, -1, -1)]
    assert len(doc["rows"]["data"]) == 7 * 3 and doc["total_pages"] == 1


def test_demo_report_end_is_inclusive():
    doc = json.loads(demo_report(2, end=END, campaigns=1))
    assert [r[0]["value"] for r in doc["rows"]["data"]] == ["2026-04-29", "2026-04-30"]
