"""The command line's start-up: `python -m affilka_core check <guide URL> --json` in a fresh process.

A script or CI job calls `check` once per URL, so each call pays the interpreter's start and the
package's imports. Measured: wall time of the whole subprocess, best of 5 (`cli_check_s`), with the
output checked to be the JSON result so a crash is never timed as a fast run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# The guide's example URL, with a made-up token.
GUIDE_URL = (
    "https://primetime.partners/api/client/partner/report.json?from=2026-04-01&to=2026-04-21"
    "&period=custom&exchange_rates_date=2026-04-21&convert_all_currencies=true&conversion_currency=EUR"
    "&columns%5B%5D=visits_count&columns%5B%5D=registrations_count&columns%5B%5D=depositing_players_count"
    "&columns%5B%5D=first_deposits_count&columns%5B%5D=first_deposits_sum&columns%5B%5D=deposits_sum"
    "&columns%5B%5D=ngr&columns%5B%5D=partner_income&columns%5B%5D=fixed_per_player"
    "&columns%5B%5D=prequalified_players_count&columns%5B%5D=qualified_players_count"
    "&group_by%5B%5D=day&group_by%5B%5D=brand&group_by%5B%5D=campaign&name="
    "&token=0123456789abcdef0123456789abcdef&page=1"
)
REPEAT = 5


def check_once() -> float:
    """Seconds for one `check --json` subprocess, from spawn to exit."""
    command = [sys.executable, "-m", "affilka_core", "check", GUIDE_URL, "--json"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    seconds = time.perf_counter() - started
    try:
        json.loads(done.stdout)
    except ValueError:
        tail = done.stderr[-500:]
        raise RuntimeError(f"check --json printed no JSON (exit {done.returncode}): {tail}") from None
    return seconds


def run() -> dict[str, Any]:
    check_once()  # warm the OS file cache, as a second call in a script would find it
    return {"cli_check_s": min(check_once() for _ in range(REPEAT))}
