"""`python -m affilka_core check --list`: the check catalogue, the same as README's id table."""

from __future__ import annotations

import re

from affilka_core.catalogue import CATALOGUE, URL_CHECK_IDS
from tests.support import ROOT

ALL_IDS = {
    *URL_CHECK_IDS,
    "fetch.ok",
    "fetch.blocked_address",
    "fetch.unauthorized",
    "fetch.not_found",
    "fetch.rate_limited",
    "fetch.server_error",
    "fetch.timeout",
    "fetch.connection",
    "fetch.rejected",
    "fetch.not_json",
    "fetch.too_large",
    "data.empty",
    "data.columns_missing",
    "data.multi_brand",
    "data.multi_currency",
    "data.date_coverage",
    "data.date_bounds",
    "data.outside_range",
    "data.freshness",
    "data.totals_mismatch",
    "data.non_finite",
}


def readme_id_table() -> list[dict[str, object]]:
    """The rows of README's "Check ids" table, as `check --list --json` objects."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Check ids", 1)[1].split("\n## ", 1)[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == ["id", "step", "phase", "detects"]
    assert re.fullmatch(r"\|(-+\|)+", lines[1].replace(" ", ""))
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        rows.append(dict(zip(header, [cells[0].strip("`"), int(cells[1]), cells[2], cells[3]], strict=True)))
    return rows


def test_list_json_is_every_id_once_with_step_phase_and_what_it_detects(run_cli):
    run = run_cli("check", "--list", "--json")
    assert run.code == 0 and run.err == ""
    entries = run.json()
    assert [e["id"] for e in entries] == [str(e.id) for e in CATALOGUE]
    assert {e["id"] for e in entries} == ALL_IDS and len(entries) == len(ALL_IDS)
    for e in entries:
        assert set(e) == {"id", "step", "phase", "detects"}
        assert 1 <= e["step"] <= 7 and e["phase"] in ("url", "fetch", "data") and e["detects"]
        assert e["phase"] == {"fetch": "fetch", "data": "data"}.get(e["id"].split(".")[0], "url")


def test_readme_id_table_equals_list_json(run_cli):
    assert readme_id_table() == run_cli("check", "--list", "--json").json()


def test_list_text_is_a_table_with_a_line_per_id(run_cli):
    run = run_cli("check", "--list")
    header, *rows = run.out.splitlines()
    assert run.code == 0 and header.split() == ["id", "step", "phase", "detects"]
    assert [row.split()[0] for row in rows] == [str(e.id) for e in CATALOGUE]
    assert "fetch.not_found" in run.out and "404" in run.out
