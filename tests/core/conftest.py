"""Shared fixtures of the core's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer


@pytest.fixture
def threaded_server() -> Iterator[HTTPServer]:
    """A loopback HTTP server answering requests in parallel (the `httpserver` fixture answers one at a
    time, which would hide how many requests a client has in flight)."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()
