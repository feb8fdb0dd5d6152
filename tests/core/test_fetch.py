"""The fetcher against real HTTP servers on loopback (pytest-httpserver): guard, retries, redirects,
size cap, timeouts, pagination, and a token that never leaks."""

from __future__ import annotations

import json
import logging
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from affilka_core.errors import (
    BadRedirect,
    BlockedAddress,
    ConnectionFailed,
    FetchTimeout,
    NotFound,
    NotJSON,
    RateLimited,
    RedirectedToOtherHost,
    ServerError,
    TooLarge,
    Unauthorized,
)
from affilka_core.fetch.address_guard import check_host, is_public_address
from affilka_core.fetch.pacing import Pacer
from affilka_core.fetch.report import fetch_report, wait_message
from affilka_core.fetch.session import SessionPerThread
from affilka_core.fetch.settings import FetchSettings
from affilka_core.load import load_live
from affilka_core.url.parse import parse_url
from tests.support import GUIDE_URL, TOKEN, fast_settings

PATH = "/api/client/partner/report.json"


def page_body(page: int, total: int, rows: int = 2) -> str:
    data = [
        [
            {"name": "date", "value": f"2026-04-{page:02d}", "type": "date"},
            {"name": "brand", "value": "Casino Alpha", "type": "string"},
            {"name": "campaign_id", "value": 500 + i, "type": "integer"},
            {"name": "visits_count", "value": 100 * page + i, "type": "integer"},
        ]
        for i in range(rows)
    ]
    return json.dumps({"total_pages": total, "rows": {"data": data}})


def settings_for(server: HTTPServer, **overrides) -> FetchSettings:
    # A pacer per test: the httpserver fixture keeps one port, and a 429 would pace the next test.
    return fast_settings(f"{server.host}:{server.port}", **{"read_timeout": 2, "pacer": Pacer(), **overrides})


def report_url(server: HTTPServer) -> str:
    return GUIDE_URL.replace("https://primetime.partners", f"http://{server.host}:{server.port}")


# --- the address guard ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255",
        "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
        "ff02::1",
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "185.199.108.153", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert is_public_address(address)


def test_a_host_name_that_resolves_to_loopback_is_refused():
    with pytest.raises(BlockedAddress, match="localhost resolves to"):
        check_host("localhost", 443, frozenset())


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "169.254.169.254", "10.0.0.1"])
def test_literal_private_hosts_are_refused_before_any_connection(host):
    url = GUIDE_URL.replace("primetime.partners", host)
    with pytest.raises(BlockedAddress):
        fetch_report(url, settings=FetchSettings(allow_private_hosts=frozenset()))


def test_loopback_server_is_refused_unless_allowed(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data(page_body(1, 1), content_type="application/json")
    with pytest.raises(BlockedAddress):
        fetch_report(
            report_url(httpserver), settings=settings_for(httpserver, allow_private_hosts=frozenset())
        )
    assert len(fetch_report(report_url(httpserver), settings=settings_for(httpserver)).pages) == 1


def test_allow_list_comes_from_the_environment(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data(page_body(1, 1), content_type="application/json")
    env = {"AFFILKA_ALLOW_PRIVATE_HOSTS": f"example.org, {httpserver.host}:{httpserver.port}"}
    assert fetch_report(report_url(httpserver), settings=FetchSettings.from_env(env)).total_pages == 1


def test_http_is_refused_for_hosts_not_allowed():
    with pytest.raises(BlockedAddress, match="https"):
        fetch_report(
            GUIDE_URL.replace("https://", "http://"), settings=FetchSettings(allow_private_hosts=frozenset())
        )


# --- answers and failures ------------------------------------------------------------------------


def test_pages_are_fetched_concurrently_and_merged_in_order(httpserver: HTTPServer):
    seen: list[int] = []

    def handler(request: Request) -> Response:
        page = int(request.args["page"])
        seen.append(page)
        time.sleep(0.05 * (6 - page))  # later pages answer first
        return Response(page_body(page, 5), content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(handler)
    progress: list[tuple[int, int]] = []
    report = fetch_report(
        report_url(httpserver),
        settings=settings_for(httpserver),
        on_progress=lambda d, t: progress.append((d, t)),
    )
    assert report.total_pages == 5 and sorted(seen) == [1, 2, 3, 4, 5]
    assert [json.loads(p)["rows"]["data"][0][0]["value"] for p in report.pages] == [
        f"2026-04-0{i}" for i in range(1, 6)
    ]
    assert progress[0] == (1, 5) and progress[-1] == (5, 5) and len(progress) == 5


def test_503_is_retried_then_succeeds(httpserver: HTTPServer):
    httpserver.expect_ordered_request(PATH).respond_with_data("busy", status=503)
    httpserver.expect_ordered_request(PATH).respond_with_data("busy", status=503)
    httpserver.expect_ordered_request(PATH).respond_with_data(
        page_body(1, 1), content_type="application/json"
    )
    settings = settings_for(httpserver)
    assert fetch_report(report_url(httpserver), settings=settings).total_pages == 1


def test_429_honours_retry_after(httpserver: HTTPServer):
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_data(
        page_body(1, 1), content_type="application/json"
    )
    started = time.monotonic()
    fetch_report(report_url(httpserver), settings=settings_for(httpserver))
    assert time.monotonic() - started >= 0.9


def test_every_wait_affilka_causes_reaches_the_caller_with_its_reason_and_retry(httpserver: HTTPServer):
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "busy", status=503, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_data(
        "slow", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request(PATH).respond_with_data(
        page_body(1, 1), content_type="application/json"
    )
    waits: list[tuple] = []
    report = load_live(
        parse_url(report_url(httpserver)),
        settings=settings_for(httpserver),
        on_wait=lambda *w: waits.append(w),
    )
    assert len(report.frame) == 2
    (backoff, rate_limit) = waits
    assert backoff == (0.0, "503", 1, 3)
    assert rate_limit[1:] == ("429", 2, 3) and 0.5 < rate_limit[0] <= 1.0  # the pause left when told


@pytest.mark.parametrize(
    ("wait", "said"),
    [
        ((8.0, "429", 2, 3), "Affilka asked to wait 8 s (429 Too Many Requests), retry 2 of 3"),
        ((8.0, "429", 0, 3), "Affilka asked to wait 8 s (429 Too Many Requests) before the next page"),
        ((0.5, "503", 1, 3), "Affilka answered 503: trying again in 0.5 s, retry 1 of 3"),
    ],
)
def test_a_wait_is_told_as_people_say_it(wait, said):
    assert wait_message(*wait) == said


def test_429_after_every_retry_is_rate_limited(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data("slow down", status=429, headers={"Retry-After": "0"})
    with pytest.raises(RateLimited):
        fetch_report(report_url(httpserver), settings=settings_for(httpserver, retries=2))


def test_persistent_5xx_is_a_server_error(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data("oops", status=502)
    with pytest.raises(ServerError):
        fetch_report(report_url(httpserver), settings=settings_for(httpserver, retries=1))


@pytest.mark.parametrize("status", [401, 403])
def test_401_and_403_mean_the_token_was_refused(httpserver: HTTPServer, status):
    httpserver.expect_request(PATH).respond_with_data("no", status=status)
    with pytest.raises(Unauthorized):
        fetch_report(report_url(httpserver), settings=settings_for(httpserver))


def test_redirect_to_sign_in_means_the_token_was_refused(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data("", status=302, headers={"Location": "/users/sign_in"})
    with pytest.raises(Unauthorized):
        fetch_report(report_url(httpserver), settings=settings_for(httpserver))


def test_html_sign_in_page_means_the_token_was_refused(httpserver: HTTPServer):
    page = '<html><form action="/users/sign_in"><input type="password" name="user[password]"></form></html>'
    httpserver.expect_request(PATH).respond_with_data(page, content_type="text/html")
    with pytest.raises(Unauthorized):
        fetch_report(report_url(httpserver), settings=settings_for(httpserver))


def test_other_html_is_not_json(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data(
        "<html><h1>Maintenance</h1></html>", content_type="text/html"
    )
    with pytest.raises(NotJSON):
        fetch_report(report_url(httpserver), settings=settings_for(httpserver))


def test_html_error_page_with_a_login_link_is_not_json_rather_than_unauthorized(httpserver: HTTPServer):
    page = '<html><nav><a href="/users/sign_in">Login</a></nav><h1>502 Bad Gateway</h1></html>'
    httpserver.expect_request(PATH).respond_with_data(page, content_type="text/html")
    with pytest.raises(NotJSON):
        fetch_report(report_url(httpserver), settings=settings_for(httpserver))


def test_404_is_not_found(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data(
        "<h1>Not found</h1>", status=404, content_type="text/html"
    )
    with pytest.raises(NotFound):
        fetch_report(report_url(httpserver), settings=settings_for(httpserver))


def test_same_host_redirect_is_followed(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data(
        "", status=301, headers={"Location": "/v2" + PATH + "?page=1"}
    )
    httpserver.expect_request("/v2" + PATH).respond_with_data(
        page_body(1, 1), content_type="application/json"
    )
    settings = settings_for(httpserver)
    assert fetch_report(report_url(httpserver), settings=settings).total_pages == 1


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "https://evil.example/x"])
def test_redirect_to_another_host_is_not_followed(httpserver: HTTPServer, target):
    httpserver.expect_request(PATH).respond_with_data("", status=302, headers={"Location": target})
    with pytest.raises((RedirectedToOtherHost, BlockedAddress)) as info:
        fetch_report(report_url(httpserver), settings=settings_for(httpserver))
    assert "not followed" in str(info.value) or isinstance(info.value, BlockedAddress)


def test_redirects_in_a_loop_stop_as_a_redirect_that_cannot_be_followed(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data(
        "", status=302, headers={"Location": report_url(httpserver)}
    )
    with pytest.raises(BadRedirect, match="More than 3 redirects"):
        fetch_report(report_url(httpserver), settings=settings_for(httpserver))


def test_body_over_the_cap_is_too_large(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data(
        page_body(1, 1, rows=200), content_type="application/json"
    )
    with pytest.raises(TooLarge):
        fetch_report(report_url(httpserver), settings=settings_for(httpserver, max_bytes=2000))


def test_streamed_body_over_the_cap_is_too_large(httpserver: HTTPServer):
    def chunks():
        yield b'{"total_pages": 1, "rows": {"data": ['
        for _ in range(100):
            yield b"[" + b'{"name": "visits_count", "value": 1},' * 50 + b"{}],"
        yield b"[]]}}"

    httpserver.expect_request(PATH).respond_with_handler(
        lambda request: Response(chunks(), content_type="application/json")
    )
    with pytest.raises(TooLarge):
        fetch_report(report_url(httpserver), settings=settings_for(httpserver, max_bytes=50_000))


def test_cap_comes_from_the_environment():
    assert FetchSettings.from_env({"AFFILKA_MAX_BYTES": "1234"}).max_bytes == 1234


def test_a_slow_server_times_out(httpserver: HTTPServer):
    def slow(request: Request) -> Response:
        time.sleep(1.5)
        return Response(page_body(1, 1), content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(slow)
    with pytest.raises(FetchTimeout):
        fetch_report(report_url(httpserver), settings=settings_for(httpserver, read_timeout=0.3, retries=0))


def test_a_refused_connection_is_a_connection_failure():
    url = GUIDE_URL.replace("https://primetime.partners", "http://127.0.0.1:9")
    with pytest.raises(ConnectionFailed):
        fetch_report(url, settings=FetchSettings(allow_private_hosts=frozenset({"127.0.0.1:9"}), retries=0))


def test_the_request_carries_our_user_agent(httpserver: HTTPServer):
    httpserver.expect_request(PATH, headers={"Accept": "application/json"}).respond_with_data(
        page_body(1, 1), content_type="application/json"
    )
    fetch_report(report_url(httpserver), settings=settings_for(httpserver))
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"].startswith("affilka-url-doctor/")


# --- threads -------------------------------------------------------------------------------------


def test_each_thread_gets_a_session_of_its_own_and_keeps_it():
    sessions = SessionPerThread(FetchSettings())
    seen: dict[str, list[object]] = {}

    def worker(name: str) -> None:
        seen[name] = [sessions.get(), sessions.get()]

    threads = [threading.Thread(target=worker, args=(f"t{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(first is second for first, second in seen.values())
    assert len({id(first) for first, _ in seen.values()}) == 3


def test_closing_closes_every_threads_session():
    sessions = SessionPerThread(FetchSettings())
    made = [sessions.get()]
    thread = threading.Thread(target=lambda: made.append(sessions.get()))
    thread.start()
    thread.join()
    closed: list[object] = []
    for session in made:
        session.close = lambda s=session: closed.append(s)  # record, then let close() run
    sessions.close()
    assert sorted(map(id, closed)) == sorted(map(id, made))


def test_a_thread_session_keeps_the_address_guard_and_user_agent(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data(page_body(1, 1), content_type="application/json")
    sessions = SessionPerThread(settings_for(httpserver))
    try:
        response = sessions.get().get(report_url(httpserver), timeout=2)
        assert response.status_code == 200
        assert httpserver.log[0][0].headers["User-Agent"].startswith("affilka-url-doctor/")
    finally:
        sessions.close()
    blocked = SessionPerThread(FetchSettings(allow_private_hosts=frozenset()))
    try:
        with pytest.raises(BlockedAddress, match="non-public address"):
            blocked.get().get(report_url(httpserver), timeout=2)
    finally:
        blocked.close()


# --- the token never leaks -----------------------------------------------------------------------


def test_token_is_absent_from_errors_and_log_records(httpserver: HTTPServer, caplog):
    caplog.set_level(logging.DEBUG)
    httpserver.expect_request(PATH).respond_with_data("busy", status=503)
    with pytest.raises(ServerError) as info:
        fetch_report(report_url(httpserver), settings=settings_for(httpserver, retries=2))
    assert TOKEN not in str(info.value) and TOKEN not in info.value.url
    assert caplog.records, "urllib3 logs at DEBUG; the records must exist and be masked"
    for record in caplog.records:
        assert TOKEN not in record.getMessage()


def test_token_is_absent_from_connection_errors(caplog):
    caplog.set_level(logging.DEBUG)
    url = GUIDE_URL.replace("https://primetime.partners", "http://127.0.0.1:9")
    with pytest.raises(ConnectionFailed) as info:
        fetch_report(url, settings=FetchSettings(allow_private_hosts=frozenset({"127.0.0.1:9"}), retries=1))
    assert TOKEN not in str(info.value) + info.value.url
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
