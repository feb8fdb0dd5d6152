"""One bad line never costs the others their result, and `check --json` always prints JSON: malformed
ports, broken IPv6 literals, bytes that are not UTF-8, very long lines, and redirects to any of those."""

from __future__ import annotations

import http.server
import io
import json
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest

from affilka_core import cli
from affilka_core.batch import BatchItem, check_batch, fetch_batch
from affilka_core.catalogue import URL_CHECK_IDS
from affilka_core.fetch.settings import FetchSettings
from affilka_mock.mock_server import MockAffilka
from tests.support import GUIDE_URL, TOKEN, fast_settings

PATH = "/api/client/partner/report.json"
HOST = "https://primetime.partners"
BAD_LINES = {
    "port 99999": HOST.replace("https", "http") + ":99999" + PATH + f"?token={TOKEN}&page=1",
    "broken IPv6 literal": "http://[::1",
    "broken IPv6 literal with a query": f"https://[::1{PATH}?token={TOKEN}",
    "prose": "Hi team, the report link is below, thanks!",
    "a 20,000-character line": GUIDE_URL + "&x=" + "a" * 20_000,
    "control characters": "https://primetime.partners\x00\x7f/report.json",
}
# Where a hostile or broken program host redirects, as raw header bytes (a web framework would refuse to
# send most of them): the fetch must end in a failing check, not an error.
BAD_LOCATIONS = {
    "port 99999": b"http://127.0.0.1:99999/",
    "broken IPv6 literal": b"http://[::1",
    "broken IPv6 literal with a path": b"http://[::1/api?token=" + TOKEN.encode(),
    "non-UTF-8 bytes": b"http://127.0.0.1/\xff\xfe\xc3(",
    "relative non-UTF-8 bytes": b"/\xff\xfe" + PATH.encode(),
    "empty port": b"http://127.0.0.1:/x",
    "negative port": b"http://127.0.0.1:-1/x",
    "port beyond 65535 on the same host": b"http://{host}:655350/x",
}


def _stdin(*lines: str) -> bytes:
    return "\n".join(lines).encode() + b"\n"


def _with_bad_bytes(text: bytes) -> bytes:
    broken = b"Broken, https://primetime.partners/\xff\xfe?token=\xc3(\x80"
    return b"Casino Alpha, " + GUIDE_URL.encode() + b"\n" + broken + b"\n" + text


@pytest.mark.parametrize("bad", list(BAD_LINES.values()), ids=list(BAD_LINES))
def test_a_bad_line_keeps_every_other_lines_result_in_json(run_cli, bad):
    run = run_cli("check", "-", "--json", stdin=_stdin(f"first, {GUIDE_URL}", bad, f"last, {GUIDE_URL}"))
    first, middle, last = run.json_lines()
    assert first["ok"] is True and last["ok"] is True
    assert middle["ok"] is False and {c["id"] for c in middle["checks"]} == set(URL_CHECK_IDS)
    assert run.err == ""


@pytest.mark.parametrize("bad", list(BAD_LINES.values()), ids=list(BAD_LINES))
def test_a_bad_line_keeps_every_other_lines_result_in_the_table(run_cli, bad):
    run = run_cli("check", "-", stdin=_stdin(f"first, {GUIDE_URL}", bad, f"last, {GUIDE_URL}"))
    assert run.code == 1 and run.err == ""
    assert "3 URLs: 0 ready, 2 usable with warnings, 1 not usable yet." in run.out


def test_bytes_that_are_not_utf8_cost_no_other_line(run_cli):
    run = run_cli("check", "-", "--json", stdin=_with_bad_bytes(f"last, {GUIDE_URL}\n".encode()))
    first, broken, last = run.json_lines()
    assert (first["name"], broken["name"], last["name"]) == ("Casino Alpha", "Broken", "last")
    assert first["ok"] and last["ok"] and not broken["ok"]


@pytest.mark.parametrize("bad", list(BAD_LINES.values()), ids=list(BAD_LINES))
def test_check_json_prints_json_for_any_input(run_cli, bad):
    run = run_cli("check", bad, "--json")
    assert run.err == "" and run.code == 1
    assert run.json()["ok"] is False and TOKEN not in run.printed


def test_check_batch_keeps_every_row():
    items = [BatchItem(n, name, text) for n, (name, text) in enumerate(BAD_LINES.items(), start=1)]
    items.append(BatchItem(len(items) + 1, "good", GUIDE_URL))
    rows = check_batch(items)
    assert [r.item for r in rows] == items
    assert [r.ok for r in rows] == [False] * len(BAD_LINES) + [True]


class _RawRedirects(http.server.BaseHTTPRequestHandler):
    """Answers /bad/N/… with a 302 whose Location is BAD_LOCATIONS' Nth value, byte for byte."""

    def do_GET(self) -> None:
        index = int(self.path.split("/")[2])
        host = f"{self.server.server_address[0]}".encode()
        location = list(BAD_LOCATIONS.values())[index].replace(b"{host}", host)
        self.wfile.write(b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n")
        self.wfile.write(b"Connection: close\r\n\r\n")

    def log_message(self, *args: object) -> None:
        pass  # the request line holds the token


@pytest.fixture(scope="module")
def redirects() -> Iterator[str]:
    """`host:port` of a loopback program host answering every report request with a malformed redirect."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RawRedirects)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _bad_url(host_port: str, name: str) -> str:
    index = list(BAD_LOCATIONS).index(name)
    return f"http://{host_port}/bad/{index}{PATH}?token={TOKEN}&page=1"


@pytest.mark.parametrize("name", list(BAD_LOCATIONS))
def test_a_malformed_redirect_is_a_failing_fetch_check_in_json(run_cli, redirects, name):
    settings = fast_settings(redirects)
    run = run_cli("check", _bad_url(redirects, name), "--fetch", "--json", settings=settings)
    assert run.err == "" and run.code in (1, 75)
    failing = [c["id"] for c in run.json()["checks"] if c["status"] == "fail"]
    assert any(i.startswith("fetch.") for i in failing), failing
    assert TOKEN not in run.printed


def _both(redirects: str, mock: MockAffilka) -> FetchSettings:
    """Fetch settings allowing the malformed-redirect host and the mock Affilka."""
    return replace(fast_settings(redirects), allow_private_hosts=frozenset({redirects, mock.host_port}))


def test_fetch_batch_keeps_every_other_row_past_malformed_redirects_and_lines(redirects, mock_affilka):
    bad = [_bad_url(redirects, name) for name in BAD_LOCATIONS] + list(BAD_LINES.values())
    texts = [mock_affilka.report_url(), *bad, mock_affilka.report_url(page=1, extra={"name": "again"})]
    items = [BatchItem(n, f"offer {n}", text) for n, text in enumerate(texts, start=1)]
    rows = fetch_batch(items, concurrency=2, settings=_both(redirects, mock_affilka))
    assert [r.item for r in rows] == items
    first, *middle, last = rows
    assert first.ok and first.summary["rows"] == 100 and last.ok and last.summary["rows"] == 100
    for row in middle[: len(BAD_LOCATIONS)]:
        assert any(c.id.startswith("fetch.") and c.status == "fail" for c in row.checks), row
    assert not any(row.ok for row in middle)
    assert TOKEN not in json.dumps([r.to_dict() for r in rows]) + repr(rows)


def test_check_dash_fetch_prints_a_line_for_every_url_past_malformed_redirects(
    run_cli, redirects, mock_affilka
):
    lines = [f"{name}, {_bad_url(redirects, name)}" for name in BAD_LOCATIONS]
    lines += [f"{name}, {text}" for name, text in BAD_LINES.items()]
    lines += [f"good, {mock_affilka.report_url()}"]
    stdin = _stdin(*lines)
    run = run_cli("check", "-", "--fetch", "--json", stdin=stdin, settings=_both(redirects, mock_affilka))
    assert run.err == ""
    *bad, good = run.json_lines()
    # A line without a URL keeps its text whole (no name split off); it still gets its own result.
    assert len(bad) == len(lines) - 1 and not any(o["ok"] for o in bad)
    assert [o["name"] for o in bad[: len(BAD_LOCATIONS)]] == list(BAD_LOCATIONS) and good["name"] == "good"
    assert good["ok"] is True and good["data"]["rows"] == 100
    assert TOKEN not in run.printed
    table = run_cli("check", "-", "--fetch", stdin=stdin, settings=_both(redirects, mock_affilka))
    assert table.err == "" and f"{len(lines)} URLs: 1 ready" in table.out


@pytest.mark.parametrize(
    "bad", ["\udcff\udcfe", "\ud800"], ids=["bytes that are not UTF-8", "a lone surrogate"]
)
def test_check_json_prints_json_for_an_argument_that_is_not_utf8(bad):
    # Python hands a command-line argument holding bytes that are not UTF-8 over as lone surrogates,
    # which no UTF-8 output can print.
    raw, err = io.BytesIO(), io.StringIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    code = cli.main(["check", f"{GUIDE_URL.replace('report.json', 'report' + bad)}", "--json"], out, err=err)
    out.flush()
    shown = json.loads(raw.getvalue())
    assert code == 1 and err.getvalue() == "" and shown["ok"] is False
    assert TOKEN not in raw.getvalue().decode()


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b'{"rows": {"data": ' + b"[" * 100_000, b"\xff\xfe\x00\x00", b""],
    ids=["deeply nested array", "deeply nested rows", "not UTF-8", "empty"],
)
def test_inspect_json_prints_json_for_a_hostile_file(run_cli, body):
    run = run_cli("inspect", "-", "--json", stdin=body)
    assert run.err == "" and run.code == 1
    assert [c["status"] for c in run.json()["checks"]] == ["fail"]
