"""Helpers for browser tests: axe-core from node_modules, screenshots to look at, and a record of every request a
page makes."""

import os
from pathlib import Path
from urllib.parse import urlsplit

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
SCREENS = os.environ.get("VERNETZT_SCREENS")


def axe_violations(page, context=None):
    """Run axe-core (WCAG 2.1 A/AA and best practices) on the page; returns the violations.

    Only the violations are worked out in full (``resultTypes``): the rules that pass are checked just the
    same, but axe does not collect every element they passed on, which took half of its time.

    axe is evaluated through the browser's debugging protocol: the Content-Security-Policy rightly
    refuses it as an inline script element."""
    page.wait_for_load_state()  # a page still loading has no document to check yet
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        """async (context) => (await axe.run(context || document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            resultTypes: ['violations']
        })).violations""",
        context,
    )
    return result


def screenshot(page, name, *, full_page=True):
    """With VERNETZT_SCREENS set to a folder, a screenshot of the page there (``name``.png) to look at; none
    otherwise: each full page takes 0.2–0.3 s, a run of the suite takes 130, and nobody looks at those of CI."""
    if SCREENS:
        folder = Path(SCREENS)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def describe(violations):
    """Readable lines for an assertion message."""
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} – {targets}")
    return "\n".join(lines)


def record_requests(page):
    """Start recording the URLs of all requests the page makes; returns the list that fills."""
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def foreign_requests(urls):
    return [
        url
        for url in urls
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and urlsplit(url).hostname not in LOCAL_HOSTS
    ]


def record_policy_violations(page):
    """Start recording what the Content-Security-Policy refused on the page; returns the list that fills."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    return refused
