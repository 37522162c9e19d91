"""Real headless Chromium (Debian's binary) against pytest-django's live server."""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--no-default-browser-check",
]
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session", autouse=True)
def _static_files_as_in_production() -> Iterator[None]:
    """Let WhiteNoise serve the collected, hashed files, as it does in production.

    The live server's own static handler looks files up by their source names, which the
    manifest storage's hashed names never match.
    """
    original = StaticFilesHandler._should_handle
    StaticFilesHandler._should_handle = lambda self, path: False  # type: ignore[method-assign]
    yield
    StaticFilesHandler._should_handle = original  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """One Playwright for the whole run: the sync API allows only one per thread."""
    with sync_playwright() as playwright:
        yield playwright


def chromium_executable() -> str:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed; run `make chromium` (apt-get install chromium).")
    return executable


@pytest.fixture(scope="session")
def chromium(playwright_driver: Playwright) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def chromium_with_camera(playwright_driver: Playwright) -> Iterator[Callable[[Path], Browser]]:
    """Launches Chromium whose camera shows a video file (.y4m); Chromium loops it."""
    browsers: list[Browser] = []

    def launch(video: Path) -> Browser:
        camera_args = [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ]
        browser = playwright_driver.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS + camera_args
        )
        browsers.append(browser)
        return browser

    yield launch
    for browser in browsers:
        browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
