"""The token never leaves in clear: whatever its shape and wherever it sits in what was pasted, no output
holds it: `check` (text, --json, --ticket), `check -` (text, JSON lines), the batch CSV, the `inspect`
header, `Diagnosis.to_dict()`, the ticket, the repr() of every object holding the URL, and log records.

The properties check URLs without fetching (the `inspect` ones point at hosts refused before any
connection); one example fetches from the mock Affilka on loopback and looks at what came back.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import string
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Response

from affilka_core import cli
from affilka_core.batch import batch_csv, check_batch, fetch_batch, parse_batch_text
from affilka_core.checks.url_result import check_url
from affilka_core.diagnosis import diagnose_text, diagnose_url
from affilka_mock.mock_server import MockAffilka
from tests.support import TOKEN, diagnosis_ticket, fast_settings

REPORT = "/api/client/partner/report.json"
QUERY = "from=2026-04-01&to=2026-04-21&period=custom&columns%5B%5D=visits_count&group_by%5B%5D=day"
# Unreserved URL characters: a token of any of them travels unencoded in a query.
ANY_TOKEN = st.text(string.ascii_letters + string.digits + "-._~", min_size=13, max_size=64)
TEMPLATES = {
    "query": "https://{host}" + REPORT + "?" + QUERY + "&token={t}&page=1",
    "first parameter": "https://{host}" + REPORT + "?token={t}&" + QUERY,
    "last parameter": "https://{host}" + REPORT + "?" + QUERY + "&token={t}",
    "semicolon parameters": "https://{host}" + REPORT + "?" + QUERY + ";token={t};page=1",
    "fragment": "https://{host}" + REPORT + "?" + QUERY + "#token={t}",
    "percent-encoded key": "https://{host}" + REPORT + "?" + QUERY + "&token%3D{t}&page=1",
    "percent-encoded key, last": "https://{host}" + REPORT + "?" + QUERY + "&token%3D{t}",
    "JSON-escaped separator": "https://{host}" + REPORT + "?from=2026-04-01\\u0026token={t}\\u0026page=1",
    "HTML-escaped separator": "https://{host}" + REPORT + "?" + QUERY + "&amp;token={t}&amp;page=1",
    "capitalised key": "https://{host}" + REPORT + "?" + QUERY + "&Token={t}&page=1",
    "upper-case key": "https://{host}" + REPORT + "?" + QUERY + "&TOKEN={t}&page=1",
    "scheme-less": "www.{host}" + REPORT + "?" + QUERY + "&token={t}&page=1",
    "broken scheme": "https:/{host}" + REPORT + "?" + QUERY + "&token={t}&page=1",
    "double-encoded key": "https://{host}" + REPORT + "?" + QUERY + "&token%253D{t}&page=1",
    "fragment, upper-case key": "https://{host}" + REPORT + "?" + QUERY + "#TOKEN={t}",
    "key ending in token": "https://{host}" + REPORT + "?" + QUERY + "&api_token={t}&page=1",
    "percent-encoded whole URL": "{encoded}",
    "in angle brackets": "Link: <https://{host}" + REPORT + "?" + QUERY + "&token={t}&page=1>",
    "Markdown link": "[report](https://{host}" + REPORT + "?" + QUERY + "&token={t}&page=1)",
    "encoded full-width equals": "https://{host}" + REPORT + "?" + QUERY + "&token%EF%BC%9D{t}&page=1",
    "encoded full-width colon": "https://{host}" + REPORT + "?" + QUERY + "&token%EF%BC%9A{t}&page=1",
    "HTML5 entity for equals": "https://{host}" + REPORT + "?" + QUERY + "&token&equals;{t}&page=1",
    "hex-escaped equals": "https://{host}" + REPORT + "?" + QUERY + "&token\\x3d{t}&page=1",
    "percent-encoded JSON key": "https://{host}" + REPORT + "?" + QUERY + "&token%22%3A%22{t}%22&page=1",
    "path segment after report.json": "https://{host}" + REPORT + "/{t}?" + QUERY,
    "in an e-mail": "Hi,\nhere is our link: https://{host}" + REPORT + "?" + QUERY + "&token={t}&page=1 —"
    " thanks!\nRegards, Ana",
}
PLACEMENTS = st.sampled_from(sorted(TEMPLATES))
NEUTRAL_TOKEN = "Zq0Zq0Zq0Zq0Zq0Zq0Zq0Zq0Zq0Zq0Zq"


@functools.cache
def our_own_text() -> str:
    """Everything the outputs say whatever the token: check ids, titles, the host, the dates, the command
    line's flags ("--concurrency"). A token that is part of it ("filters.narro") cannot be told apart from
    it, so it is not generated."""
    # Each command's usage, as a usage error prints it: its flags are ours ("--concurrency").
    texts = [
        run("check", "--concurrency", "x"),
        run("inspect"),
        run("history", "show"),
        run("--no-such-flag"),
    ]
    for placement in TEMPLATES:
        text = place(placement, NEUTRAL_TOKEN)
        diagnosis = diagnose_text(text)
        texts += [text, repr(diagnosis), diagnosis_ticket(diagnosis, brand="Casino Alpha", offer="Alpha")]
        texts += [run("check", text), run("check", text, "--json"), run("check", "-", stdin=text.encode())]
        texts += [run("inspect", inspect_source(placement, NEUTRAL_TOKEN)), run("check", text, text)]
    texts.append(batch_csv(check_batch(parse_batch_text(text))).decode("utf-8-sig"))
    return "\n".join(texts)


TOKENS = ANY_TOKEN.filter(lambda token: token not in our_own_text())


def place(placement: str, token: str, host: str = "primetime.partners") -> str:
    """The pasted text: `token` in `placement`, for a program at `host`."""
    encoded = quote(f"https://{host}{REPORT}?{QUERY}&token={token}&page=1", safe="")
    return TEMPLATES[placement].format(host=host, t=token, encoded=encoded)


def inspect_source(placement: str, token: str) -> str:
    """A URL `inspect` may fetch: loopback is refused before any connection, and a scheme-less URL
    names a reserved host that never resolves."""
    return place(placement, token, "affilka.invalid" if placement == "scheme-less" else "127.0.0.1")


def assert_hidden(token: str, **outputs: str) -> None:
    """No output holds the token, raw or percent-encoded."""
    forms = {token, quote(token, safe=""), quote(quote(token, safe=""), safe="")}
    for name, text in outputs.items():
        assert not any(form in text for form in forms), f"the token shows in {name}:\n{text}"


def run(*argv: str, stdin: bytes = b"") -> str:
    """`python -m affilka_core *argv` in-process: stdout and stderr together."""
    out, err = io.StringIO(), io.StringIO()
    cli.main(list(argv), out, stdin=io.BytesIO(stdin), err=err, settings=fast_settings())
    return out.getvalue() + err.getvalue()


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@contextmanager
def log_records() -> Iterator[list[str]]:
    """Every record logged meanwhile, at any level, formatted (message and any traceback)."""
    handler, root = _Records(), logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def one_line(text: str) -> str:
    return " ".join(text.splitlines())


@given(token=TOKENS, placement=PLACEMENTS)
def test_check_text_json_and_ticket_hide_the_token(token, placement):
    text = place(placement, token)
    with log_records() as logged:
        outputs = {
            "check": run("check", text),
            "check --json": run("check", text, "--json"),
            "check --ticket": run("check", text, "--ticket", "--brand", "Casino Alpha"),
        }
    assert_hidden(token, logs="\n".join(logged), **outputs)


@given(token=TOKENS, placement=PLACEMENTS)
def test_check_dash_and_the_batch_csv_hide_the_token(token, placement):
    lines = f"Casino Alpha, {one_line(place(placement, token))}\n{one_line(place(placement, token))}\n"
    with log_records() as logged:
        table = run("check", "-", stdin=lines.encode())
        json_lines = run("check", "-", "--json", stdin=lines.encode())
        csv = batch_csv(check_batch(parse_batch_text(lines))).decode("utf-8-sig")
    assert_hidden(token, table=table, json_lines=json_lines, csv=csv, logs="\n".join(logged))


@given(token=TOKENS, placement=PLACEMENTS)
def test_the_inspect_header_hides_the_token(token, placement):
    source = inspect_source(placement, token)
    with log_records() as logged:
        text, as_json = run("inspect", source), run("inspect", source, "--json")
    assert text.startswith(("Affilka report: ", "error: no such file: "))
    assert_hidden(token, inspect=text, inspect_json=as_json, logs="\n".join(logged))


@given(token=TOKENS, placement=PLACEMENTS)
def test_results_their_dicts_tickets_and_reprs_hide_the_token(token, placement):
    text = place(placement, token)
    with log_records() as logged:
        diagnosis = diagnose_text(text)
        result = diagnosis.url_result
        (row,) = check_batch(parse_batch_text(f"{token}, {one_line(text)}"))
    assert_hidden(
        token,
        to_dict=json.dumps(diagnosis.to_dict(), ensure_ascii=False),
        ticket=diagnosis_ticket(diagnosis, brand=f"Casino {token}", offer="Alpha"),
        url_check_result=repr(result),
        diagnosis=repr(diagnosis),
        checks=repr(result.checks),
        batch_item=repr(row.item),
        batch_row=repr(row),
        batch_row_dict=json.dumps(row.to_dict(), ensure_ascii=False),
        logs="\n".join(logged),
    )


@given(token=TOKENS, placement=PLACEMENTS)
def test_usage_errors_and_missing_files_hide_the_token(token, placement):
    text = place(placement, token)
    assert_hidden(
        token,
        extra_argument=run("check", text, text),
        bad_concurrency=run("check", "-", "--concurrency", text),
        # No "://": not taken for a URL (which inspect would fetch), so reported as a missing file.
        missing_file=run("inspect", "saved/" + one_line(text).replace("://", ":")),
    )


# --- fetched from the mock Affilka ------------------------------------------------------------------

TRICKY_TOKEN = "Tk.9-x~_Q2fv.Zm-8"  # not hex, with every unreserved sign


@pytest.fixture(scope="module")
def tricky_mock() -> Iterator[MockAffilka]:
    """A mock Affilka whose token is not hex: a token of any shape must be masked after a fetch too."""
    with MockAffilka(token=TRICKY_TOKEN, days=10, brands=1, campaigns=3, page_size=10) as mock:
        yield mock


@pytest.mark.parametrize("token", [TRICKY_TOKEN, TOKEN])
def test_fetched_outputs_hide_the_token(tricky_mock, token, caplog):
    caplog.set_level(logging.DEBUG)
    settings = fast_settings(tricky_mock.host_port)
    url = tricky_mock.report_url(token=token)
    outputs = {
        "inspect": run_with(settings, "inspect", url),
        "inspect --json": run_with(settings, "inspect", url, "--json"),
        "check --fetch": run_with(settings, "check", url, "--fetch"),
        "check --fetch --json": run_with(settings, "check", url, "--fetch", "--json"),
        "check --fetch --ticket": run_with(settings, "check", url, "--fetch", "--ticket"),
        "check - --fetch --json": run_with(settings, "check", "-", "--fetch", "--json", stdin=url.encode()),
    }
    rows = fetch_batch(parse_batch_text(f"Casino Alpha, {url}"), settings=settings)
    outputs["batch csv"] = batch_csv(rows).decode("utf-8-sig")
    outputs["batch repr"] = repr(rows)
    assert_hidden(token, logs="\n".join(r.getMessage() for r in caplog.records), **outputs)
    if token == TRICKY_TOKEN:  # the fetch worked: the data and its preview were there to leak
        assert json.loads(outputs["check --fetch --json"])["data"]["rows"] > 0


def test_the_inspect_data_preview_hides_the_token(tricky_mock):
    diagnosis = diagnose_url(tricky_mock.report_url(), settings=fast_settings(tricky_mock.host_port))
    assert diagnosis.report is not None and diagnosis.report.preview
    assert_hidden(
        TRICKY_TOKEN,
        preview=diagnosis.report.preview,
        diagnosis=repr(diagnosis),
        loaded_report=repr(diagnosis.report),
        fetched_rows=repr(
            fetch_batch(
                parse_batch_text(tricky_mock.report_url()), settings=fast_settings(tricky_mock.host_port)
            )
        ),
    )


# --- what a repr shows ------------------------------------------------------------------------------


def test_reprs_show_the_url_with_its_token_masked():
    text = place("query", TOKEN)
    diagnosis = diagnose_text(text)
    result = diagnosis.url_result
    (row,) = check_batch(parse_batch_text(f"Casino Alpha, {text}"))
    for obj in (result, diagnosis, row.item, row):
        shown = repr(obj)
        assert TOKEN not in shown and "token=b7e3…5678" in shown, shown


def test_the_repr_of_a_check_quoting_a_url_masks_its_token():
    check = check_url(place("query", TOKEN)).checks[0]
    quoted = type(check)(check.id, check.step, check.status, "t", f"see {place('fragment', TOKEN)}")
    assert TOKEN not in repr(quoted) and "b7e3…5678" in repr(quoted)


def run_with(settings, *argv: str, stdin: bytes = b"") -> str:
    """`run` with the given fetch settings."""
    out, err = io.StringIO(), io.StringIO()
    cli.main(list(argv), out, stdin=io.BytesIO(stdin), err=err, settings=settings)
    return out.getvalue() + err.getvalue()


def test_a_paste_with_many_tokens_hides_every_one():
    tokens = [f"Tk{i:03d}.x-{'q' * 10}{i}" for i in range(100)]
    prose = " and ".join(f"{place('query', token)}" for token in tokens)
    assert_hidden_all(tokens, json=run("check", prose, "--json"), text=run("check", prose))


def assert_hidden_all(tokens: list[str], **outputs: str) -> None:
    """`assert_hidden` for each of several tokens."""
    for token in tokens:
        assert_hidden(token, **outputs)


# --- a program host that quotes the token back ----------------------------------------------------


def echoing_page(token: str) -> str:
    """A report page whose brand and campaign are named after the token, as a careless host might."""
    cells = [
        {"name": "date", "value": "2026-04-01", "type": "date"},
        {"name": "brand", "value": f"Brand {token}", "type": "string"},
        {"name": "campaign_id", "value": 501, "type": "integer"},
        {"name": "campaign", "value": token, "type": "string"},
        {"name": "visits_count", "value": 10, "type": "integer"},
    ]
    return json.dumps({"total_pages": 1, "rows": {"data": [cells]}})


@pytest.mark.parametrize(
    "respond",
    [
        pytest.param(lambda t: Response(echoing_page(t), content_type="application/json"), id="in the data"),
        pytest.param(
            lambda t: Response(json.dumps({"error": f"token {t} has expired"}), status=401), id="in a 401"
        ),
        pytest.param(lambda t: Response(f"<h1>Bad request for {t}</h1>", status=400), id="in a 400 page"),
        pytest.param(lambda t: Response(f"not json, {t}", content_type="application/json"), id="in a body"),
    ],
)
def test_a_host_quoting_the_token_back_shows_it_masked(httpserver: HTTPServer, respond):
    httpserver.expect_request(REPORT).respond_with_response(respond(TRICKY_TOKEN))
    settings = fast_settings(f"{httpserver.host}:{httpserver.port}", retries=0)
    url = f"http://{httpserver.host}:{httpserver.port}{REPORT}?{QUERY}&Token={TRICKY_TOKEN}&token={TRICKY_TOKEN}"
    diagnosis = diagnose_url(url, settings=settings)
    assert_hidden(
        TRICKY_TOKEN,
        inspect=run_with(settings, "inspect", url) + run_with(settings, "inspect", url, "--json"),
        check=run_with(settings, "check", url, "--fetch")
        + run_with(settings, "check", url, "--fetch", "--json"),
        ticket=diagnosis_ticket(diagnosis),
        to_dict=json.dumps(diagnosis.to_dict(), ensure_ascii=False),
        checks=repr(diagnosis.checks),
        csv=batch_csv(fetch_batch(parse_batch_text(url), settings=settings)).decode("utf-8-sig"),
    )
