"""Browser benchmark (`explorer bench --browser`): how long each page takes to settle in Chromium.

Settled = the app idle (no script run in progress) and no DOM change in any frame for
QUIET_MS; the time reported runs from the navigation to the last DOM change. Each page is
measured beside a one-title Streamlit page served in the same run, and reported as a ratio to
it, so that the figures compare across machines. Also: the map's département switch, and the
map page in CONCURRENT_SESSIONS sessions at once. A benchmark, not a test: nothing here asserts.

Playwright drives Debian's Chromium (/usr/bin/chromium), never a downloaded browser.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from explorer import serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
QUIET_MS = 1500
SETTLE_TIMEOUT_S = 180
CONCURRENT_SESSIONS = 10
# Targets (issue 13), as ratios to the one-title page of the same run.
REPORT_PAGE_TARGET, MAP_PAGE_TARGET, CONCURRENT_TARGET = 1.5, 2.0, 3.0
SWITCH_TARGET_S = 1.0

# Runs in every frame (iframes included): the epoch time of the last DOM change.
_OBSERVER = """(() => {
  const mark = () => { try { window.top.__lastChange = Date.now(); } catch (e) {} };
  new MutationObserver(mark).observe(document, {subtree: true, childList: true,
                                                attributes: true, characterData: true});
  mark();
})();"""
_IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') !== 'running'
    && !document.querySelector('[data-testid="stSkeleton"]');
}"""
ONE_TITLE_PAGE = 'import streamlit as st\nst.title("Une page")\n'


def _now_ms() -> float:
    """Epoch milliseconds: the clock of the observer's Date.now(), shared by every frame."""
    return time.time() * 1000


async def _settle(page, started_ms: float) -> float:
    """Seconds from `started_ms` (epoch ms) to the last DOM change once the page is quiet."""
    from playwright.async_api import Error as PlaywrightError

    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while time.monotonic() < deadline:
        await asyncio.sleep(0.25)
        try:
            idle = await page.evaluate(_IDLE)
            last = await page.evaluate("() => window.__lastChange || 0")
        except PlaywrightError:  # a navigation in progress: try again
            continue
        if idle and _now_ms() - last >= QUIET_MS:
            return (last - started_ms) / 1000
    raise TimeoutError("la page ne s'est pas stabilisée")


async def _visit(browser, url: str) -> float:
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    await context.add_init_script(_OBSERVER)
    page = await context.new_page()
    try:
        started = _now_ms()
        await page.goto(url, wait_until="commit")
        return await _settle(page, started)
    finally:
        await context.close()


async def _switch(browser, url: str, option: str) -> float:
    """Seconds from choosing `option` in « Vue de la carte » to the page settling again."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    await context.add_init_script(_OBSERVER)
    page = await context.new_page()
    try:
        await page.goto(url, wait_until="commit")
        await _settle(page, _now_ms())
        box = page.get_by_label("Vue de la carte")
        await box.click()
        await box.fill(option)
        started = _now_ms()
        await page.get_by_role("option", name=option).first.click()
        return await _settle(page, started)
    finally:
        await context.close()


async def _run(app_url: str, baseline_url: str, runs: int) -> dict:
    from playwright.async_api import async_playwright

    from explorer.navigation import all_pages

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            await _visit(browser, baseline_url)  # warm both servers' caches once
            pages = [(spec.title, spec.url_path) for spec in all_pages()]
            for _, path in pages:
                await _visit(browser, f"{app_url}/{path}")
            results = {"baseline": [await _visit(browser, baseline_url) for _ in range(runs)]}
            for title, path in pages:
                results[title] = [await _visit(browser, f"{app_url}/{path}") for _ in range(runs)]
            results["switch"] = [await _switch(browser, f"{app_url}/carte", "Cantal (15)")
                                 for _ in range(runs)]
            results["concurrent"] = list(await asyncio.gather(
                *(_visit(browser, f"{app_url}/carte") for _ in range(CONCURRENT_SESSIONS))))
            return results
        finally:
            await browser.close()


def measure(runs: int = 3) -> dict[str, list[float]]:
    """Settle times (s) per page title, plus "baseline", "switch" and "concurrent" lists."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "une_page.py"
        script.write_text(ONE_TITLE_PAGE, encoding="utf-8")
        log = Path(folder)
        with serve.background(dict(os.environ), log / "baseline.log", script) as (baseline, _), \
                serve.background({**os.environ, "EXPLORER_PUBLIC": "1"}, log / "app.log") as (app, _):
            return asyncio.run(_run(app, baseline, runs))


def main(runs: int = 3) -> None:
    """Print the browser table: median settle time per page and its ratio to the one-title page."""
    results = measure(runs)
    base = statistics.median(results.pop("baseline"))
    switch, concurrent = results.pop("switch"), results.pop("concurrent")
    print(f"Navigateur (Chromium, médiane de {runs} essais ; référence : page d'un seul titre "
          f"{base:.2f} s)")
    print(f"{'Page':45} {'stabilisée (s)':>15} {'ratio':>7}")
    map_single = None
    for title, times in results.items():
        median = statistics.median(times)
        target = MAP_PAGE_TARGET if title == "Carte de l'accès" else REPORT_PAGE_TARGET
        if title == "Carte de l'accès":
            map_single = median
        flag = "" if median / base <= target else f"  (objectif ≤ {target:g}×)"
        print(f"{title:45} {median:15.2f} {median / base:6.2f}×{flag}")
    print(f"Changement de département (carte) : {statistics.median(switch):.2f} s "
          f"(objectif ≤ {SWITCH_TARGET_S:g} s)")
    worst = max(concurrent)
    ratio = worst / map_single if map_single else float("nan")
    print(f"{CONCURRENT_SESSIONS} sessions simultanées, carte : la plus lente {worst:.2f} s, "
          f"{ratio:.1f}× une session seule (objectif ≤ {CONCURRENT_TARGET:g}×)")
