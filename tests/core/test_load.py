"""load_file and preview_json: a saved report becomes a frame, its checks and a short, masked preview; its
text masked as it is loaded."""

from __future__ import annotations

import json
from typing import Any

import pytest

from affilka_core.errors import NotJSON
from affilka_core.load import load_file, masked
from affilka_core.report.masking import mask_report
from affilka_core.report.preview import PREVIEW_ROWS, preview_json
from tests.support import TOKEN


def report_rows(count: int) -> list[list[dict[str, Any]]]:
    return [
        [
            {"name": "date", "value": f"2026-04-{1 + i % 28:02d}", "type": "date"},
            {"name": "brand", "value": "Casino Alpha", "type": "string"},
            {"name": "campaign_id", "value": 501, "type": "integer"},
            {"name": "visits_count", "value": i, "type": "integer"},
            {
                "name": "ngr",
                "value": {"amount": "1.50", "amount_cents": "150", "currency": "EUR"},
                "type": "money",
            },
        ]
        for i in range(count)
    ]


def saved_report(count: int, **top: Any) -> bytes:
    doc = {"report_type": "partner", "total_pages": 1, "rows": {"data": report_rows(count)}, **top}
    doc["relations"] = {"campaigns": [{"id": 501, "name": "Spring banners"}]}
    return json.dumps(doc).encode()


def test_the_preview_shows_the_first_rows_and_counts_the_rest():
    doc = json.loads(preview_json(saved_report(PREVIEW_ROWS + 5)))
    assert doc["rows"]["data"] == report_rows(PREVIEW_ROWS)
    assert doc["rows"]["…"] == "5 more rows on this page"


def test_the_preview_keeps_every_other_key_of_the_page_as_sent():
    doc = json.loads(preview_json(saved_report(2, page=1)))
    assert doc["report_type"] == "partner" and doc["page"] == 1 and doc["total_pages"] == 1
    assert doc["relations"] == {"campaigns": [{"id": 501, "name": "Spring banners"}]}
    assert doc["rows"] == {"data": report_rows(2)}


def test_the_preview_cuts_rows_given_directly_as_a_list():
    body = json.dumps({"rows": report_rows(PREVIEW_ROWS + 1)}).encode()
    shown = json.loads(preview_json(body))["rows"]
    assert shown[:-1] == report_rows(PREVIEW_ROWS) and shown[-1] == "… 1 more rows on this page"


def test_the_preview_masks_the_token():
    body = saved_report(1, request=f"https://primetime.partners/report.json?token={TOKEN}")
    text = preview_json(body, secrets=(TOKEN,))
    assert TOKEN not in text and TOKEN[:4] + "…" + TOKEN[-4:] in text


def test_the_preview_masks_a_short_secret_quoted_bare_where_no_pattern_would_find_it():
    secret = "k9Qw-partner-2026"  # too short and hyphenated for the token pattern
    body = saved_report(1, note=f"issued for {secret}")
    assert secret in preview_json(body)
    text = preview_json(body, secrets=(secret,))
    assert secret not in text and "issued for k9Qw…2026" in text


def test_the_repr_of_a_loaded_report_shows_neither_its_rows_nor_its_preview():
    campaigns = {"campaigns": [{"id": 501, "name": f"Campaign {TOKEN}"}]}
    report = load_file(saved_report(3, relations=campaigns, note=TOKEN), "report.json")
    text = repr(report)
    assert TOKEN not in text and "Campaign" not in text and "report.json" in text


def test_the_preview_of_a_body_that_is_not_json_is_its_start_as_text():
    assert preview_json(b"<html>Sign in</html>") == "<html>Sign in</html>"


def test_the_preview_reads_a_body_with_a_byte_order_mark():
    doc = json.loads(preview_json(b"\xef\xbb\xbf" + saved_report(1)))
    assert doc["rows"]["data"] == report_rows(1)


def test_a_saved_report_loads_into_a_frame_with_checks_and_a_preview():
    body = saved_report(30)
    loaded = load_file(body, "report.json")
    assert loaded.source == "file" and loaded.label == "report.json" and loaded.size == len(body)
    assert len(loaded.frame) == 30 and loaded.frame["campaign"].iloc[0] == "Spring banners"
    assert loaded.checks and json.loads(loaded.preview)["rows"]["…"] == "10 more rows on this page"


def test_a_saved_file_that_is_not_json_raises_not_json():
    with pytest.raises(NotJSON):
        load_file(b"<html>Sign in</html>", "report.json")


def dated_report(days: list[str]) -> bytes:
    rows = [
        [
            {"name": "date", "value": day, "type": "date"},
            {"name": "brand", "value": "Casino Alpha", "type": "string"},
            {"name": "campaign_id", "value": 501, "type": "integer"},
            {"name": "visits_count", "value": 100, "type": "integer"},
        ]
        for day in days
    ]
    return json.dumps({"rows": {"data": rows}, "total_pages": 1}).encode()


@pytest.mark.parametrize(
    ("days", "grouping", "coverage"),
    [
        (["2026-03-02", "2026-03-09", "2026-03-23"], "week", "1 of 4 weeks has no rows"),  # all Mondays
        (["2026-01-01", "2026-02-01", "2026-04-01"], "month", "1 of 4 months has no rows"),
        (["2024-01-01", "2026-01-01"], "year", "1 of 3 years has no rows"),
        (["2026-03-02", "2026-03-03", "2026-03-05"], "day", "1 of 4 days has no rows"),
    ],
)
def test_a_saved_file_is_read_in_the_grouping_its_dates_show(days, grouping, coverage):
    report = load_file(dated_report(days), "saved.json")
    assert report.grouping == grouping
    assert next(c for c in report.checks if c.id == "data.date_coverage").title == coverage


def test_a_saved_week_grouped_file_raises_no_days_without_data():
    from affilka_core.diagnosis import diagnose_loaded

    diagnosis = diagnose_loaded(load_file(dated_report(["2026-03-02", "2026-03-09", "2026-03-16"]), "w.json"))
    assert "days_without_data" not in [f.id for f in diagnosis.insights or ()]


# --- masked as it is loaded -----------------------------------------------------------------------

QUOTING = "3f2c1a9e_7b4d_4e21_9c0a_5d8e7f6a1b2c"  # no token-like run: only knowing it masks it


def quoting_report(secret: str) -> bytes:
    """A report that quotes `secret` back: in a campaign's name (upper case, inside other text), a
    brand, a currency and a column's name."""
    cells = [
        {"name": "date", "value": "2026-04-01", "type": "date"},
        {"name": "brand", "value": f"Casino {secret}", "type": "string"},
        {"name": "campaign", "value": f"Promo{secret.upper()}x", "type": "string"},
        {"name": f"visits {secret}", "value": 10, "type": "integer"},
        {"name": "ngr", "value": {"amount": "1.50", "currency": secret[:3]}, "type": "money"},
    ]
    return json.dumps({"total_pages": 1, "rows": {"data": [cells]}, "echo": f"token={secret}"}).encode()


def test_a_file_loaded_with_a_pasted_urls_secrets_is_masked_in_every_text():
    report = load_file(quoting_report(QUOTING), f"{QUOTING}.json", secrets=(QUOTING,))
    written = report.frame.to_csv() + report.preview + report.label + repr(report.parsed.brands)
    assert QUOTING.lower() not in written.lower()
    assert report.parsed.brands == ["Casino 3f2c…1b2c"]
    assert list(report.frame["campaign"]) == ["Promo3f2c…1b2cx"]
    assert "visits 3f2c…1b2c" in report.frame.columns


def test_without_its_secret_a_file_still_has_its_keyed_and_token_like_text_masked():
    report = load_file(quoting_report(TOKEN), "saved.json")
    assert TOKEN not in report.preview and TOKEN.upper() not in report.frame.to_csv()


def test_a_loaded_report_is_masked_again_with_a_url_pasted_after_it():
    report = load_file(quoting_report(QUOTING), "saved.json")
    assert report.parsed.brands == [f"Casino {QUOTING}"]  # nothing told it was a token
    again = masked(report, (QUOTING,))
    assert again.parsed.brands == ["Casino 3f2c…1b2c"] and again.key != report.key
    assert masked(again, (QUOTING,)) is again


def test_masking_a_report_with_nothing_to_mask_keeps_it_as_it_is():
    parsed = load_file(saved_report(5), "saved.json").parsed
    assert mask_report(parsed, ("b7e3f1a2d4c9082e56781234abcd5678",)) is parsed
