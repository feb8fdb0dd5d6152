"""Shared fixtures: the guide's example URL and helpers to build realistic variants of it."""

from __future__ import annotations

import logging

import pytest

from tests.support import GUIDE_URL

# The test HTTP servers stand in for Affilka and log every request line they receive, token included;
# only our client's log records are under test.
logging.getLogger("werkzeug").setLevel(logging.WARNING)


@pytest.fixture
def guide_url() -> str:
    return GUIDE_URL
