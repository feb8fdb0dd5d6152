"""Hostile servers, over loopback: a trickling answer meets the page deadline, big reports meet the
report-wide cap, an absurd page count fails, malformed headers and redirects become the project's
errors, and the address guard refuses IPv6 forms that smuggle a private IPv4 address.

Servers that must break HTTP are raw sockets (`RawServer`); the others are pytest-httpserver."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from affilka_core.catalogue import CheckId
from affilka_core.checks.model import Status
from affilka_core.diagnosis import diagnose_url
from affilka_core.errors import (
    AffilkaError,
    BadRedirect,
    BadSetting,
    BlockedAddress,
    ConnectionFailed,
    FetchTimeout,
    RedirectedToOtherHost,
    TooLarge,
    TooManyPages,
)
from affilka_core.fetch.address_guard import is_public_address, parse_target
from affilka_core.fetch.pacing import Pacer
from affilka_core.fetch.report import fetch_report
from affilka_core.fetch.settings import FetchSettings
from tests.support import GUIDE_URL, TOKEN, fast_settings

PATH = "/api/client/partner/report.json"


def report_json(page: int, total: int, padding: int = 0) -> bytes:
    row = [
        {"name": "date", "value": f"2026-04-{page % 28 + 1:02d}", "type": "date"},
        {"name": "campaign_id", "value": 500, "type": "integer"},
        {"name": "note", "value": "x" * padding, "type": "string"},
    ]
    return json.dumps({"total_pages": total, "rows": {"data": [row]}}).encode()


class RawServer:
    """A TCP server on loopback that answers each connection with `respond(conn, request_head)`;
    it records how many connections and requests came and whether the client hung up before the answer was
    done."""

    def __init__(self, respond: Callable[[socket.socket, bytes], None]) -> None:
        self.respond = respond
        self.requests = 0
        self.connections = 0
        self.hung_up = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.host_port = f"127.0.0.1:{self.port}"
        self._closed = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self) -> str:
        return GUIDE_URL.replace("https://primetime.partners", f"http://{self.host_port}")

    def settings(self, **overrides) -> FetchSettings:
        return fast_settings(self.host_port, pacer=Pacer(), **{"retries": 0, **overrides})

    def _serve(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                data = conn.recv(4096)
                if not data:
                    return
                head += data
            self.requests += 1
            try:
                self.respond(conn, head)
            except OSError:
                self.hung_up.set()

    def close(self) -> None:
        self._closed.set()
        self._listener.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket, bytes], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(respond: Callable[[socket.socket, bytes], None]) -> RawServer:
        servers.append(RawServer(respond))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def trickle(conn: socket.socket, data: bytes, every: float) -> None:
    for i in range(len(data)):
        conn.sendall(data[i : i + 1])
        time.sleep(every)


# --- the page deadline ---------------------------------------------------------------------------


def test_the_page_deadline_comes_from_the_environment():
    assert FetchSettings.from_env({"AFFILKA_PAGE_DEADLINE": "5"}).page_deadline == 5.0
    assert FetchSettings.from_env({}).page_deadline == 120.0
    with pytest.raises(BadSetting, match=r"AFFILKA_PAGE_DEADLINE is 'soon', not a number"):
        FetchSettings.from_env({"AFFILKA_PAGE_DEADLINE": "soon"})


def test_a_body_trickling_a_byte_at_a_time_meets_the_page_deadline(raw_server):
    body = report_json(1, 1)

    def respond(conn: socket.socket, head: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        conn.sendall(b"Content-Length: %d\r\n\r\n" % len(body))
        trickle(conn, body, 0.25)  # each byte well within the read timeout; the whole far past 1 s

    server = raw_server(respond)
    with pytest.raises(FetchTimeout, match="over 1 s"):
        fetch_report(server.url(), settings=server.settings(page_deadline=1.0))
    assert server.hung_up.wait(5), "the client closes the connection instead of reading on"


def test_headers_trickling_a_byte_at_a_time_meet_the_page_deadline(raw_server):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: " + b"." * 200 + b"\r\n\r\n"
    server = raw_server(lambda conn, _: (trickle(conn, head, 0.05), conn.sendall(report_json(1, 1))))
    with pytest.raises(FetchTimeout):
        fetch_report(server.url(), settings=server.settings(page_deadline=1.0))


def test_a_page_cut_at_its_deadline_is_not_tried_again(raw_server):
    # urllib3 retries a failed read (with a backoff): once the deadline has cut the page, the cut is final.
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: " + b"." * 200 + b"\r\n\r\n"
    server = raw_server(lambda conn, _: trickle(conn, head, 0.5))
    settings = server.settings(page_deadline=1.0, retries=3, backoff=0.2, backoff_max=1.0)
    with pytest.raises(FetchTimeout, match=r"over 1 s to arrive \(AFFILKA_PAGE_DEADLINE\)"):
        fetch_report(server.url(), settings=settings)
    time.sleep(0.3)  # a connection the client made before returning is accepted by now
    assert (server.connections, server.requests) == (1, 1), "no connection after the deadline cut the page"


def test_pages_cut_at_the_report_deadline_are_not_tried_again(raw_server):
    gone = threading.Event()

    def respond(conn: socket.socket, head: bytes) -> None:
        page = int(head.split(b"page=")[1].split(b" ")[0].split(b"&")[0])
        if page > 1:
            gone.wait(3)  # far past the report's deadline
        body = report_json(page, 20)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))

    server = raw_server(respond)
    settings = server.settings(page_deadline=30, report_deadline=1.0, retries=3, backoff=0.2, concurrency=4)
    try:
        with pytest.raises(FetchTimeout, match="AFFILKA_REPORT_DEADLINE"):
            fetch_report(server.url(), settings=settings)
        time.sleep(0.3)
        # page 1, then pages 2-5 in flight when the deadline passed: no page retried, no page 6 asked for
        assert (server.connections, server.requests) == (5, 5)
    finally:
        gone.set()


# --- the report-wide cap and the page-count limit ------------------------------------------------


def test_pages_over_the_report_cap_after_decompression_are_too_large(httpserver: HTTPServer):
    def handler(request) -> Response:
        page = int(request.args["page"])
        body = gzip.compress(report_json(page, 8, padding=1_000_000))  # ~1 MB, ~1 KB on the wire
        return Response(body, content_type="application/json", headers={"Content-Encoding": "gzip"})

    httpserver.expect_request(PATH).respond_with_handler(handler)
    url = GUIDE_URL.replace("https://primetime.partners", f"http://{httpserver.host}:{httpserver.port}")
    settings = fast_settings(
        f"{httpserver.host}:{httpserver.port}", pacer=Pacer(), max_report_bytes=3_000_000
    )
    with pytest.raises(TooLarge, match="across its pages"):
        fetch_report(url, settings=settings)
    assert len(httpserver.log) < 8, "the fetch stops once the cap is passed"


def test_a_report_under_the_report_cap_is_fetched_whole(httpserver: HTTPServer):
    def handler(request) -> Response:
        return Response(
            report_json(int(request.args["page"]), 3, padding=1000), content_type="application/json"
        )

    httpserver.expect_request(PATH).respond_with_handler(handler)
    url = GUIDE_URL.replace("https://primetime.partners", f"http://{httpserver.host}:{httpserver.port}")
    settings = fast_settings(f"{httpserver.host}:{httpserver.port}", pacer=Pacer(), max_report_bytes=10_000)
    report = fetch_report(url, settings=settings)
    assert report.total_pages == 3 and len(report.pages) == 3


def test_a_page_count_past_the_limit_fails_rather_than_fetching_part(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data(report_json(1, 10**9), content_type="application/json")
    url = GUIDE_URL.replace("https://primetime.partners", f"http://{httpserver.host}:{httpserver.port}")
    settings = fast_settings(f"{httpserver.host}:{httpserver.port}", pacer=Pacer())
    with pytest.raises(TooManyPages, match="has 1,000,000,000 pages; the doctor fetches at most 1,000"):
        fetch_report(url, settings=settings)
    assert len(httpserver.log) == 1
    diagnosis = diagnose_url(url, settings=settings)
    assert not diagnosis.ok
    failed = {c.id for c in diagnosis.checks if c.status == Status.FAIL}
    assert CheckId.FETCH_TOO_LARGE.value in failed


# --- malformed answers become the project's errors -----------------------------------------------


def redirect_to(location: bytes) -> Callable[[socket.socket, bytes], None]:
    def respond(conn: socket.socket, head: bytes) -> None:
        if b"page=" not in head.split(b"\r\n", 1)[0]:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
            return
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n")

    return respond


@pytest.mark.parametrize(
    "location",
    [
        b"http://127.0.0.1:99999/api/client/partner/report.json",
        b"http://127.0.0.1:0/",
        b"http://127.0.0.1:-1/",
        b"http://[::1",
        b"http://[::1]x/",
        b"http://[127.0.0.1]/",
        b"http://[fe80::1%eth0/",
        b"http://\xff\xfe\x80/report.json",
        b"//user@127.0.0.1/x",
        b"http://127.0.0.1:65536/",
        b"javascript:alert(1)",
    ],
)
def test_a_malformed_redirect_is_a_connection_failure_not_a_crash(raw_server, location):
    server = raw_server(redirect_to(location))
    with pytest.raises((BadRedirect, RedirectedToOtherHost), match="redirected") as info:
        fetch_report(server.url(), settings=server.settings())
    assert TOKEN not in str(info.value) + info.value.url
    assert server.requests == 1


def test_a_redirect_with_non_utf8_bytes_in_its_path_is_followed_on_the_same_host(raw_server):
    server = raw_server(redirect_to(b"/caf\xe9\xff/report.json"))
    with pytest.raises(AffilkaError, match="rows"):  # followed, to a body that is not a report
        fetch_report(server.url(), settings=server.settings())
    assert server.requests == 2


def test_a_backslash_in_a_redirect_never_reaches_another_port(raw_server):
    other = raw_server(lambda conn, head: conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    server = raw_server(lambda conn, head: None)
    server.respond = redirect_to(f"http://127.0.0.1:{other.port}\\@127.0.0.1:{server.port}/x".encode())
    settings = fast_settings(None, pacer=Pacer(), retries=0)
    settings = FetchSettings(
        **{**settings.__dict__, "allow_private_hosts": frozenset({server.host_port, other.host_port})}
    )
    with pytest.raises(ConnectionFailed, match="backslash"):
        fetch_report(server.url(), settings=settings)
    assert other.requests == 0


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 abc OK\r\nContent-Length: 2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nthis line has no colon\r\nContent-Length: 2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nX-Name: \xff\xfe\x00\x80\r\nContent-Length: 2\r\n\r\n[]",
        b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"total_pages": 1',
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbroken\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 9\r\n\r\nnot gzip!",
        b"HTTP/1.1 429 Too Many\r\nRetry-After: \xff soon\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 503 Busy\r\nRetry-After: -5\r\nContent-Length: 0\r\n\r\n",
        b"\x00\x01\x02 garbage",
        b"",
    ],
)
def test_a_malformed_answer_is_one_of_the_projects_errors(raw_server, answer):
    server = raw_server(lambda conn, head: conn.sendall(answer))
    with pytest.raises(AffilkaError) as info:  # a FetchError, or a ReportFormatError for what was read
        fetch_report(server.url(), settings=server.settings())
    assert TOKEN not in str(info.value) + getattr(info.value, "url", "")


@pytest.mark.parametrize(
    "host", ["primetime.partners:99999", "primetime.partners:0", "[::1", "[::1]x", "[2001:db8::zz]"]
)
def test_an_unreadable_host_or_port_in_the_pasted_url_is_one_of_the_projects_errors(host):
    url = GUIDE_URL.replace("primetime.partners", host)
    with pytest.raises(AffilkaError):
        fetch_report(url, settings=FetchSettings(allow_private_hosts=frozenset(), retries=0, pacer=Pacer()))


def test_a_batch_keeps_every_other_offer_when_one_redirects_badly(raw_server):
    from affilka_core import batch
    from affilka_mock.mock_server import MockAffilka

    bad = raw_server(redirect_to(b"http://[::1"))
    with MockAffilka(token=TOKEN, days=3, campaigns=2) as good:
        settings = FetchSettings(
            allow_private_hosts=frozenset({bad.host_port, good.host_port}), retries=0, pacer=Pacer()
        )
        good_url = good.report_url().replace(good.settings.token, TOKEN)
        items = [batch.BatchItem(1, "Bad", bad.url()), batch.BatchItem(2, "Good", good_url)]
        rows = batch.fetch_batch(items, settings=settings)
    assert [r.name for r in rows] == ["Bad", "Good"]
    assert not rows[0].ok and rows[1].summary and rows[1].summary["rows"] == 6
    failed = {c.id for c in rows[0].checks if c.status == Status.FAIL}
    assert CheckId.FETCH_CONNECTION.value in failed


# --- the address guard: IPv6 forms that carry IPv4, site-local, one parse ------------------------


@pytest.mark.parametrize(
    "address",
    [
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "2001:0:7f00:1::",  # Teredo, server 127.0.0.1
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo, client 192.0.2.45 (documentation)
        "fec0::1",  # site-local
        "feff:ffff::1",  # the top of fec0::/10
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    ],
)
def test_ipv6_forms_of_non_public_addresses_are_refused(address):
    assert not is_public_address(address)


def test_a_6to4_address_of_a_public_ipv4_address_is_allowed():
    assert is_public_address("2002:808:808::1")  # 6to4 of 8.8.8.8


@pytest.mark.parametrize(
    "host", ["[2002:7f00:1::1]", "[2001:0:7f00:1::]", "[fec0::1]", "[64:ff9b::a9fe:a9fe]"]
)
def test_hosts_that_embed_a_private_ipv4_address_are_blocked(host):
    url = GUIDE_URL.replace("primetime.partners", host)
    settings = FetchSettings(allow_private_hosts=frozenset(), retries=0, pacer=Pacer())
    with pytest.raises(BlockedAddress):
        fetch_report(url, settings=settings)
    diagnosis = diagnose_url(url, settings=settings)
    assert CheckId.FETCH_BLOCKED_ADDRESS.value in {c.id for c in diagnosis.checks if c.status == Status.FAIL}


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:8443\\@127.0.0.1:9000/", "backslash"),
        ("http://user:pw@primetime.partners/", "user name"),
        ("http://primetime.partners:99999/", "cannot be read"),
        ("http://primetime.partners:0/", "invalid port"),
        ("http://[::1/", "cannot be read"),
        ("http://primetime.partners/a b", "space"),
        ("ftp://primetime.partners/", "http"),
    ],
)
def test_a_target_the_parsers_could_read_differently_is_refused(url, reason):
    with pytest.raises(ConnectionFailed, match=reason):
        parse_target(url)


def test_the_target_is_read_once_as_the_connection_reads_it():
    target = parse_target("HTTPS://PrimeTime.Partners:8443/api/r.json?x=é")
    assert (target.scheme, target.host, target.port) == ("https", "primetime.partners", 8443)
    assert target.url == "https://primetime.partners:8443/api/r.json?x=%C3%A9"
