"""Browser benchmark (`explorer bench --browser`): how long each page takes to settle in Chromium.

Settled = the app idle (no script run in progress) and no DOM change in any frame for
QUIET_MS; the time reported runs from the navigation to the last DOM change. Each page is
measured twice: a first visit in a fresh browser context (Streamlit's JavaScript, Vega and the
table grid loaded and compiled again), and a click on its link in the sidebar of an open
session (what a user feels once the app is open). Both are reported as ratios to a one-title
Streamlit page's first visit in the same run, so that the figures compare across machines.
Also: the map's département switch; the map and its switch over a remote link (REMOTE_LINK:
what a visitor of the hosted demo waits for); and the map page in CONCURRENT_SESSIONS sessions
at once, in browsers and on Streamlit's websocket alone (the server's share, without the
browsers that share this machine's cores).
A benchmark, not a test: nothing here asserts.

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
# A visitor of the hosted demo, not on the server's machine: Chromium's network emulation
# (websocket included) at 10 Mbit/s down, 5 up, 40 ms of latency.
REMOTE_LINK = {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8,
               "uploadThroughput": 5e6 / 8}

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
# The reference page (a title), and Streamlit's floor for pages like the report's: the same
# title with one tiny Vega-Lite chart (?page=graphique), or with one chart and one table
# (?page=tableau). Their ratios say how much of a target the framework's own JavaScript uses.
REFERENCE_PAGES = """import pandas as pd
import streamlit as st

st.title("Une page")
page = st.query_params.get("page")
frame = pd.DataFrame({"x": ["a", "b", "c"], "y": [1, 2, 3]})
if page in ("graphique", "tableau"):
    st.vega_lite_chart(frame, {"mark": "bar", "encoding": {
        "x": {"field": "x", "type": "nominal"}, "y": {"field": "y", "type": "quantitative"}}})
if page == "tableau":
    st.dataframe(frame)
"""
FLOOR_PAGES = {"graphique": "un titre et un graphique Vega-Lite",
               "tableau": "un titre, un graphique et un tableau"}


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


async def _new_page(browser, link: dict | None = None):
    """(context, page): a fresh browser context (empty cache) whose frames report DOM changes;
    over `link` (Network.emulateNetworkConditions, as REMOTE_LINK) when given."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    await context.add_init_script(_OBSERVER)
    page = await context.new_page()
    if link:
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        await cdp.send("Network.emulateNetworkConditions", link)
    return context, page


async def _visit(browser, url: str, link: dict | None = None) -> float:
    context, page = await _new_page(browser, link)
    try:
        started = _now_ms()
        await page.goto(url, wait_until="commit")
        return await _settle(page, started)
    finally:
        await context.close()


async def _click(locator) -> float:
    """Click `locator`; return the epoch ms of the press in the page. Playwright first finds the
    element and waits for it to be actionable (0.1–0.15 s for an option found by its role on the
    map page), which no user waits for."""
    await locator.page.evaluate("""() => document.addEventListener('pointerdown',
        () => { window.__pressedAt = Date.now(); }, {capture: true, once: true})""")
    await locator.click()
    return await locator.page.evaluate("() => window.__pressedAt")


async def _switch(browser, url: str, option: str, link: dict | None = None) -> float:
    """Seconds from choosing `option` in « Vue de la carte » to the page settling again."""
    context, page = await _new_page(browser, link)
    try:
        await page.goto(url, wait_until="commit")
        await _settle(page, _now_ms())
        box = page.get_by_label("Vue de la carte")
        await box.click()
        await box.fill(option)
        started = await _click(page.get_by_role("option", name=option).first)
        return await _settle(page, started)
    finally:
        await context.close()


async def _menu(browser, url: str, titles: list[str], runs: int) -> dict[str, list[float]]:
    """Seconds from a click on each page's link in the sidebar to the page settling, in one
    session (what a user feels once the app is open); a first round warms the browser cache."""
    context, page = await _new_page(browser)
    times: dict[str, list[float]] = {title: [] for title in titles}
    try:
        await page.goto(url, wait_until="commit")
        await _settle(page, _now_ms())
        for run in range(runs + 1):
            for title in titles:
                link = page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first
                settled = await _settle(page, await _click(link))
                if run:
                    times[title].append(settled)
        return times
    finally:
        await context.close()


async def _protocol_session(url: str, page: str) -> float:
    """Seconds from opening a session on Streamlit's websocket to the end of `page`'s script
    run, every message received: the server's share of a visit, with no browser drawing."""
    import websockets  # a dependency of Streamlit
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    started = time.monotonic()
    async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream",
                                  subprotocols=["streamlit"], max_size=None) as socket:
        request = BackMsg()
        request.rerun_script.page_name = page
        await socket.send(request.SerializeToString())
        while True:
            message = ForwardMsg.FromString(await socket.recv())
            if message.WhichOneof("type") in ("script_finished", "page_not_found"):
                return time.monotonic() - started


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds used so far by process `pid` (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _run(app_url: str, baseline_url: str, runs: int, server_pid: int) -> dict:
    from playwright.async_api import async_playwright

    from explorer.navigation import all_pages, visible_sections

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            floors = {page: f"{baseline_url}/?page={page}" for page in FLOOR_PAGES}
            pages = [(spec.title, spec.url_path) for spec in all_pages()]
            for url in (baseline_url, *floors.values(), *(f"{app_url}/{path}" for _, path in pages)):
                await _visit(browser, url)  # warm both servers' caches once
            results = {"baseline": [await _visit(browser, baseline_url) for _ in range(runs)],
                       "floor": {page: [await _visit(browser, url) for _ in range(runs)]
                                 for page, url in floors.items()},
                       "visit": {title: [await _visit(browser, f"{app_url}/{path}") for _ in range(runs)]
                                 for title, path in pages}}
            in_menu = [spec.title for specs in visible_sections(public=True).values() for spec in specs]
            results["menu"] = await _menu(browser, app_url, in_menu, runs)
            results["switch"] = [await _switch(browser, f"{app_url}/carte", "Cantal (15)")
                                 for _ in range(runs)]
            results["remote"] = {
                "visit": [await _visit(browser, f"{app_url}/carte", REMOTE_LINK)
                          for _ in range(runs)],
                "switch": [await _switch(browser, f"{app_url}/carte", "Cantal (15)", REMOTE_LINK)
                           for _ in range(runs)]}
            results["protocol"] = {
                "single": [await _protocol_session(app_url, "carte") for _ in range(runs)],
                "concurrent": list(await asyncio.gather(*(
                    _protocol_session(app_url, "carte") for _ in range(CONCURRENT_SESSIONS))))}
            cpu, started = _cpu_seconds(server_pid), time.monotonic()
            results["concurrent"] = list(await asyncio.gather(
                *(_visit(browser, f"{app_url}/carte") for _ in range(CONCURRENT_SESSIONS))))
            # Whether the server or the browsers, on the same cores, set the pace.
            results["concurrent_server_cpu"] = (_cpu_seconds(server_pid) - cpu,
                                                time.monotonic() - started)
            return results
        finally:
            await browser.close()


def measure(runs: int = 3) -> dict:
    """Settle times (s): "baseline" (the one-title page), "floor" (FLOOR_PAGES key → times),
    "visit" and "menu" (title → times of a first visit and of a click in the sidebar), "switch"
    and "concurrent" lists, "remote" (the map's "visit" and "switch" over REMOTE_LINK),
    "concurrent_server_cpu" (the server's CPU seconds during the concurrent sessions, their
    wall-clock seconds), "protocol" ("single" and "concurrent" times of the map page's
    sessions on the websocket, with no browser)."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "une_page.py"
        script.write_text(REFERENCE_PAGES, encoding="utf-8")
        log = Path(folder)
        with serve.background(dict(os.environ), log / "baseline.log", script) as (baseline, _), \
                serve.background({**os.environ, "EXPLORER_PUBLIC": "1"}, log / "app.log") as (app, server):
            return asyncio.run(_run(app, baseline, runs, server.pid))


def main(runs: int = 3) -> None:
    """Print the browser table: per page, the median settle time of a first visit (fresh browser
    cache) and of a click in the sidebar, each with its ratio to the one-title page's first visit."""
    results = measure(runs)
    base = statistics.median(results["baseline"])
    print(f"Navigateur (Chromium, médiane de {runs} essais ; référence : première visite d'une page "
          f"d'un seul titre, {base:.2f} s)")
    for page, text in FLOOR_PAGES.items():
        floor = statistics.median(results["floor"][page])
        print(f"Plancher de Streamlit, page d'{text} : {floor:.2f} s ({floor / base:.2f}×)")
    print(f"{'Page':40} {'1re visite (s)':>15} {'ratio':>7} {'par le menu (s)':>16} {'ratio':>7}")
    for title, visits in results["visit"].items():
        target = MAP_PAGE_TARGET if title == "Carte de l'accès" else REPORT_PAGE_TARGET
        cells = []
        for times in (visits, results["menu"].get(title)):
            if not times:
                cells.append(f"{'—':>15} {'':>7}")
                continue
            median = statistics.median(times)
            flag = "*" if median / base > target else " "
            cells.append(f"{median:15.2f} {median / base:5.2f}×{flag}")
        print(f"{title:40} {cells[0]} {cells[1]}")
    print(f"* au-delà de l'objectif (≤ {REPORT_PAGE_TARGET:g}× pour une page du rapport, "
          f"≤ {MAP_PAGE_TARGET:g}× pour la carte)")
    print(f"Changement de département (carte) : {statistics.median(results['switch']):.2f} s "
          f"(objectif ≤ {SWITCH_TARGET_S:g} s)")
    remote = {k: statistics.median(v) for k, v in results["remote"].items()}
    print(f"Par un lien distant ({REMOTE_LINK['downloadThroughput'] * 8 / 1e6:g} Mbit/s, "
          f"{REMOTE_LINK['latency']} ms) : carte en 1re visite {remote['visit']:.2f} s, changement "
          f"de département {remote['switch']:.2f} s")
    map_single = statistics.median(results["visit"]["Carte de l'accès"])
    worst = max(results["concurrent"])
    print(f"{CONCURRENT_SESSIONS} sessions simultanées, carte : la plus lente {worst:.2f} s, "
          f"{worst / map_single:.1f}× une session seule (objectif ≤ {CONCURRENT_TARGET:g}×)")
    single, together = (results["protocol"][k] for k in ("single", "concurrent"))
    print(f"  Sans navigateur (le serveur seul, par son websocket) : une session "
          f"{statistics.median(single):.2f} s ; {CONCURRENT_SESSIONS} à la fois, la plus lente "
          f"{max(together):.2f} s ({max(together) / statistics.median(single):.1f}×)")
    cpu, wall = results["concurrent_server_cpu"]
    print(f"  CPU du serveur pendant ces sessions : {cpu:.1f} s en {wall:.1f} s "
          f"({100 * cpu / wall:.0f} % d'un cœur ; {os.cpu_count()} cœurs, partagés avec les "
          f"{CONCURRENT_SESSIONS} navigateurs)")
