"""The CLI as a user runs it, in a real subprocess: the few things only a subprocess shows."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support import GUIDE_URL, ROOT, TOKEN, without_param

NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")


def python(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, *args], input=stdin, capture_output=True, timeout=60, cwd=ROOT)


def test_check_json_imports_neither_pandas_nor_requests():
    script = (
        "import io, json, sys\n"
        "from affilka_core import cli\n"
        "out = io.StringIO()\n"
        f"code = cli.main(['check', {GUIDE_URL!r}, '--json'], out)\n"
        "heavy = sorted(m for m in ('pandas', 'requests', 'numpy') if m in sys.modules)\n"
        "print(json.dumps({'code': code, 'heavy': heavy, 'out': json.loads(out.getvalue())}))\n"
    )
    proc = python("-c", script)
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout)
    assert result["heavy"] == []
    assert result["code"] == 0 and result["out"]["ok"] is True


def test_check_exit_code_and_output_of_python_m():
    proc = python("-m", "affilka_core", "check", NO_CAMPAIGN)
    assert proc.returncode == 1
    out = proc.stdout.decode()
    assert "❌ Group by lacks campaign" in out and "Not usable yet" in out
    assert TOKEN not in out + proc.stderr.decode()


def test_check_reads_urls_from_standard_input():
    proc = python(
        "-m", "affilka_core", "check", "-", "--json", stdin=f"A, {GUIDE_URL}\nB, {NO_CAMPAIGN}\n".encode()
    )
    assert proc.returncode == 1, proc.stderr.decode()
    objects = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [(o["name"], o["ok"]) for o in objects] == [("A", True), ("B", False)]
