"""`python -m affilka_core check URL [--fetch] --ticket`: the support-ticket Markdown."""

from __future__ import annotations

from tests.support import GUIDE_URL, TOKEN, without_param

NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")


def test_ticket_prints_the_steps_and_the_fix_with_the_token_masked(run_cli):
    run = run_cli("check", NO_CAMPAIGN, "--ticket")
    assert run.code == 1
    assert run.out.startswith("### Affilka URL check: primetime.partners\n")
    assert "- ❌ **Step 3 · Configure Group by**" in run.out
    assert "toggle Campaign ON" in run.out and "not fetched" in run.out
    assert "b7e3…5678" in run.out and TOKEN not in run.printed


def test_ticket_even_with_show_token_keeps_the_token_masked(run_cli):
    run = run_cli("check", GUIDE_URL, "--ticket", "--show-token")
    assert run.code == 0 and TOKEN not in run.out


def test_ticket_after_a_fetch_carries_the_data(run_cli, server):
    run = run_cli("check", server.report_url(), "--fetch", "--ticket")
    assert run.code == 0
    assert "**Data in the report**" in run.out and "Rows: 100" in run.out
    assert "Brands: Casino Alpha" in run.out and "✅ **Step 4 · Set the brand filter**" in run.out
    assert TOKEN not in run.printed


def test_ticket_of_a_failed_fetch_names_the_failure(run_cli, server):
    run = run_cli("check", server.report_url(token="f" * 32), "--fetch", "--ticket")
    assert run.code == 1
    assert "_The fetch failed: Token expired or invalid (step 7); no data to summarise._" in run.out


def test_ticket_takes_the_brand_and_the_offer(run_cli):
    run = run_cli("check", GUIDE_URL, "--ticket", "--brand", "Casino Alpha", "--offer", "EU CPA 2026")
    assert run.code == 0
    assert "- **Affilka brand:** Casino Alpha" in run.out and "- **CasinoFlux Offer:** EU CPA 2026" in run.out
