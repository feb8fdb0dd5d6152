"""Shared fixtures for the pages: a fresh cache per test, the app opened on its default page (the URL
check) in a new session, and a mock Affilka on loopback the app is allowed to fetch from; installed
packages' metadata read once per test process."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from affilka_mock.mock_server import MockAffilka
from tests.app.driver import open_app
from tests.support import TOKEN

END = dt.date(2026, 4, 21)


@pytest.fixture(autouse=True, scope="session")
def installed_packages_read_once() -> Iterator[None]:
    """Each new AppTest looks through every installed package's metadata for Streamlit components, which
    parses each METADATA file again (about 40 ms an app, a sizeable share of these tests' CPU). Nothing
    is installed while the tests run, so each package's metadata is parsed once."""
    distribution = importlib.metadata.Distribution
    original = distribution.metadata
    assert isinstance(original, property) and original.fget is not None
    read: dict[str, Any] = {}

    def metadata(self: importlib.metadata.Distribution) -> Any:
        where = str(getattr(self, "_path", ""))
        if not where:
            return original.fget(self)
        if where not in read:
            read[where] = original.fget(self)
        return read[where]

    distribution.metadata = property(metadata)  # type: ignore[assignment]
    yield
    distribution.metadata = original  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Each test fetches for itself: no report or aggregate cached by an earlier test."""
    st.cache_data.clear()


@pytest.fixture
def home() -> AppTest:
    """The app as a new visitor sees it: the URL check page, nothing pasted, nothing loaded."""
    return open_app()


@pytest.fixture
def mock(monkeypatch) -> Callable[..., MockAffilka]:
    """Builds a mock Affilka (21 days, 6 campaigns up to END unless told otherwise) that the app may
    fetch from although it listens on loopback."""

    def build(**options) -> MockAffilka:
        options.setdefault("days", 21)
        options.setdefault("campaigns", 6)
        options.setdefault("end_date", END)
        server = MockAffilka(token=TOKEN, **options)
        monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", server.host_port)
        return server

    return build
