"""Fixtures shared by all tests: the demo data, and a headless Chromium for browser tests."""

import datetime as dt
import os
import shutil

import pytest
import time_machine

CHROMIUM = "/usr/bin/chromium"


# VERNETZT_TEST_SHIFT_DAYS moves the whole run's clock that many days ahead (ticking), so that a
# test which only passes on today's date fails in CI instead of on some later day (.ci/run does so).
SHIFT_DAYS = int(os.environ.get("VERNETZT_TEST_SHIFT_DAYS") or 0)
_shifted_clock = None


def pytest_configure(config):
    global _shifted_clock
    # A transactional test ends by emptying only the tables it wrote to, and starting the keys again (tests/flush.py).
    from django.test import TransactionTestCase

    from .flush import fixture_teardown

    TransactionTestCase._fixture_teardown = fixture_teardown
    if SHIFT_DAYS:
        start = dt.datetime.now(dt.UTC) + dt.timedelta(days=SHIFT_DAYS)
        _shifted_clock = time_machine.travel(start, tick=True)
        _shifted_clock.start()


def pytest_unconfigure(config):
    if _shifted_clock is not None:
        _shifted_clock.stop()


def pytest_report_header(config):
    now = dt.datetime.now(dt.UTC)
    if SHIFT_DAYS:
        return f"clock shifted by {SHIFT_DAYS} days: the tests run at {now:%Y-%m-%d %H:%M} UTC"
    return f"clock: the real date, {now:%Y-%m-%d %H:%M} UTC"


# The day on which tests that write literal dates run (``pytest.mark.usefixtures("fixed_day")``): their
# dates are read against this day, not the day the suite runs, so "past" and "current" never change.
FIXED_DAY = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def fixed_day(time_machine):
    """Pin the clock (ticking) to FIXED_DAY for one test; also under VERNETZT_TEST_SHIFT_DAYS."""
    time_machine.move_to(FIXED_DAY, tick=True)
    return FIXED_DAY


def is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def default_language():
    """A test that switches the language (a request to /en/ activates English) leaves German behind."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """A page cached in one test must not answer in the next, whose database was rolled back."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def reference_data(request):
    """Transactional tests empty every table when they end: give the next test the rows of the data
    migrations (municipalities, abbreviations, site identity and pages) back."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("transactional_db" if is_transactional(request) else "db")
    from register.models import Municipality

    from .flush import write_reference_data

    if not Municipality.objects.exists():
        write_reference_data()
    # As on a running server, the site identity was read into the cache long before the test's requests.
    from register.models import SiteIdentity

    SiteIdentity.current()


@pytest.fixture
def demo(db):
    """The county's page loaded as demo data (from a copy after the first time: tests/demo_copy.py);
    returns the import plan. A transactional test commits it."""
    from . import demo_copy

    return demo_copy.load()


@pytest.fixture
def search_rewrites(monkeypatch):
    """The kinds of entry each rewrite of the search index is for, in order (portal.indexing.replace)."""
    from portal import indexing

    kinds = []
    replace = indexing.replace

    def counted(kind, ids, builders):
        kinds.append(kind)
        return replace(kind, ids, builders)

    monkeypatch.setattr(indexing, "replace", counted)
    return kinds


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing Chromium fails under CI and skips loudly elsewhere."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; `make test` installs it (scripts/ensure-browser).")
        pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser page at desktop width; German, like most visitors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="de-DE", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()
