"""The Offer's campaigns: the campaign table, the split, and the warning when other deals inflate it."""

from __future__ import annotations

import pytest

from affilka_core.analysis.offer import campaign_table, split_offer
from tests.core.frames import steady_report


def test_the_campaign_table_has_one_row_per_campaign_with_its_share_of_visits():
    frame = steady_report()
    table = campaign_table(frame)
    assert list(table.columns) == [
        "campaign_id", "campaign", "visit_share", "visits_count", "first_deposits_count", "partner_income"
    ]  # fmt: skip
    assert len(table) == 3 and table["visit_share"].sum() == pytest.approx(1.0)
    assert table.loc[0, "campaign"] == "Spring banners"  # the most visits first


def test_choosing_a_campaign_splits_the_report_into_the_offer_and_other_deals():
    frame = steady_report()
    split = split_offer(frame, ["Telegram VIP"])
    assert set(split.offer["campaign"]) == {"Telegram VIP"}
    assert len(split.offer) + len(split.others) == len(frame)


def test_a_campaign_can_be_chosen_by_its_id():
    split = split_offer(steady_report(), ["503"])
    assert set(split.offer["campaign"]) == {"Telegram VIP"}


def test_other_deals_with_a_large_share_give_a_plain_warning():
    split = split_offer(steady_report(), ["Telegram VIP"])
    assert split.share("visits_count") == pytest.approx(1 - 400 / 1900, abs=0.03)
    assert split.inflation_warning is not None and "inflated" in split.inflation_warning


def test_an_offer_that_is_the_whole_report_has_no_warning():
    split = split_offer(steady_report(), ["Spring banners", "SEO – slot reviews", "Telegram VIP"])
    assert split.others.empty and split.inflation_warning is None


def test_no_campaign_chosen_means_the_whole_report_and_no_warning():
    split = split_offer(steady_report(), [])
    assert len(split.offer) == len(steady_report()) and split.inflation_warning is None
