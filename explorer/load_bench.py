"""Load benchmark (`explorer bench --load`, issue 9): a public-mode server under visitors.

A real `explorer serve` (EXPLORER_PUBLIC=1) on a loopback port, visited by Chromium tabs, each
its own Streamlit session (AppTest does not go through the server). Two scenarios:
- the three-visitor attack of issue 9: three sessions send `read_blob` of the database at once;
- 20 sessions at once mixing pages, the map and console queries, hostile ones included.
Measured: the server's resident memory (start, peak, after), the time a benign query
(`SELECT 42`) takes to show in a probe tab when idle and under each load, and the failures
(exception boxes, timeouts). Targets: no failure, memory < 1.5 GB and back near its start,
benign query within 3 times its idle time.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from explorer import serve
from explorer.sql_console import BUSY

MEMORY_TARGET_MB, SLOWDOWN_TARGET = 1500, 3.0
TIMEOUT_MS = 120_000
CHROMIUM = "/usr/bin/chromium"  # Debian's package, as the browser tests use
PAGES = ["", "canaux", "carte", "sources", "fracture-numerique", "satisfaction", "mediation", "non-recours"]
BENIGN = "SELECT 42 AS reponse"
READ_BLOB = "SELECT content FROM read_blob('data/explorer.duckdb')"
CONSOLE_MIX = [  # issue 9's hostile queries and ordinary ones
    READ_BLOB,
    "SELECT repeat('x', 100000) FROM range(5000)",
    "SELECT * FROM range(1000000000)",
    "SELECT * FROM catalog a, catalog b, catalog c, catalog d, catalog e",
    "SELECT max(r) FROM (SELECT row_number() OVER (ORDER BY range DESC) AS r FROM range(40000000))",
    "SELECT * FROM duckdb_settings()",
    "SELECT factorial(30)",
    "SELECT annex, count(*) AS n FROM catalog GROUP BY annex ORDER BY annex",
    BENIGN,
]


@dataclass
class Scenario:
    name: str
    sessions: int
    benign_s: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    failures: list[str] = field(default_factory=list)
    busy: int = 0  # console answers « Le serveur est occupé » (visitors and probe)


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakSampler:
    """The highest RSS of `pid`, sampled every 0.1 s in a thread while in use."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, rss_mb(self.pid))

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _progress(text: str) -> None:
    print(f"  … {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


async def _idle(page) -> None:
    await page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()


async def _open(page, url: str, path: str) -> None:
    await page.goto(f"{url}/{path}")
    await _idle(page)
    await page.locator('[data-testid="stMain"] h1').first.wait_for()


# Set when the app's script starts running, so that the end of *this* run is awaited.
_WATCH_RUN = """() => { window.__ran = false; const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => { if (app.getAttribute('data-test-script-state') === 'running') window.__ran = true; })
    .observe(app, {attributes: true}); }"""
_RUN_DONE = """() => window.__ran &&
  document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state') === 'notRunning'"""


async def _console(page, sql: str) -> tuple[float, str]:
    """(seconds from the click on « Exécuter » to the end of that run, the error shown or "")."""
    await page.get_by_label("Requête SQL").fill(sql)
    await page.evaluate(_WATCH_RUN)
    started = time.perf_counter()
    await page.get_by_role("button", name="Exécuter").click()
    await page.wait_for_function(_RUN_DONE, polling=50, timeout=TIMEOUT_MS)
    seconds = time.perf_counter() - started
    errors = await page.locator('[data-testid="stMain"] [data-testid="stAlertContentError"]').all_inner_texts()
    return seconds, " ".join(errors)


async def _visitor(browser, url: str, i: int, console: list[str], scenario: Scenario) -> None:
    context = await browser.new_context(locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    try:
        for path in (PAGES[i % len(PAGES)], "sql"):
            await _open(page, url, path)
        for sql in console:
            _, error = await _console(page, sql)
            scenario.busy += BUSY in error
        await _open(page, url, PAGES[(i + 3) % len(PAGES)])
        boxes = await page.locator('[data-testid="stException"]').all_inner_texts()
        if boxes:
            scenario.failures.append(f"session {i}: {boxes[0][:200]}")
    except Exception as exc:  # a timeout or a closed page is a failure to report, not a crash
        scenario.failures.append(f"session {i}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        await context.close()


async def _probe(probe, stop: asyncio.Event, scenario: Scenario) -> None:
    """Benign queries, one after another, until `stop`."""
    while not stop.is_set():
        try:
            seconds, error = await _console(probe, BENIGN)
        except Exception as exc:  # a timeout: reported with the figures, the bench goes on
            scenario.failures.append(f"sonde : {type(exc).__name__} (plus de {TIMEOUT_MS / 1000:g} s)")
            scenario.benign_s.append(TIMEOUT_MS / 1000)
            await _open(probe, probe.url.split("/sql")[0], "sql")
            continue
        if error:
            scenario.failures.append(f"sonde : {error}")
        scenario.benign_s.append(seconds)
        await asyncio.sleep(0.5)


async def _scenario(browser, url: str, probe, scenario: Scenario, console_of) -> None:
    stop = asyncio.Event()
    probing = asyncio.create_task(_probe(probe, stop, scenario))
    await asyncio.gather(*(_visitor(browser, url, i, console_of(i), scenario) for i in range(scenario.sessions)))
    stop.set()
    await probing


async def _run(url: str, pid: int, sessions: int) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                   args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        probe_context = await browser.new_context(locale="fr-FR")
        probe_context.set_default_timeout(TIMEOUT_MS)
        probe = await probe_context.new_page()
        for path in PAGES:  # warm the caches, as a server that has been up a while
            _progress(f"page /{path}")
            await _open(probe, url, path)
        await _open(probe, url, "sql")
        idle = [(await _console(probe, BENIGN))[0] for _ in range(5)]
        start_mb = rss_mb(pid)
        results = {"idle_s": statistics.median(idle), "start_mb": start_mb, "scenarios": []}
        print(f"Serveur public : mémoire au départ {start_mb:.0f} Mo ; requête bénigne au repos "
              f"{results['idle_s']:.2f} s (médiane de 5)", flush=True)
        for scenario, console_of in (
                (Scenario("attaque read_blob, 3 visiteurs", 3), lambda i: [READ_BLOB] * 3),
                (Scenario(f"{sessions} sessions (pages, carte, console)", sessions),
                 lambda i: [CONSOLE_MIX[i % len(CONSOLE_MIX)], CONSOLE_MIX[(i + 4) % len(CONSOLE_MIX)]])):
            _progress(scenario.name)
            with PeakSampler(pid) as sampler:
                await _scenario(browser, url, probe, scenario, console_of)
            scenario.peak_mb = sampler.peak
            results["scenarios"].append(scenario)
            _print(scenario, results["idle_s"])
        await asyncio.sleep(10)  # sessions closed: what the server still holds
        results["after_mb"] = rss_mb(pid)
        await browser.close()
    return results


def run(sessions: int = 20) -> dict:
    """Start a public-mode server, run both scenarios, stop it; the measures (see module doc)."""
    env = {**os.environ, "EXPLORER_PUBLIC": "1"}
    with tempfile.TemporaryDirectory() as folder, serve.background(env, Path(folder) / "server.log") as (url, process):
        return asyncio.run(_run(url, process.pid, sessions))


def _print(scenario: Scenario, idle: float) -> None:
    worst = max(scenario.benign_s, default=float("nan"))
    median = statistics.median(scenario.benign_s) if scenario.benign_s else float("nan")
    flag = "" if (not scenario.failures and scenario.peak_mb < MEMORY_TARGET_MB
                  and worst <= SLOWDOWN_TARGET * idle) else "  (au-delà de l'objectif)"
    print(f"{scenario.name} : mémoire max {scenario.peak_mb:.0f} Mo (objectif < {MEMORY_TARGET_MB}) ; "
          f"requête bénigne médiane {median:.2f} s, max {worst:.2f} s sur {len(scenario.benign_s)} "
          f"(objectif ≤ {SLOWDOWN_TARGET:g} × repos) ; « occupé » : {scenario.busy} ; "
          f"échecs : {len(scenario.failures)}{flag}", flush=True)
    for failure in scenario.failures[:5]:
        print(f"  {failure}", flush=True)


def main(sessions: int = 20) -> None:
    """Print the load benchmark's table (French, like `explorer bench`), scenario by scenario."""
    results = run(sessions)
    print(f"Mémoire 10 s après : {results['after_mb']:.0f} Mo (départ {results['start_mb']:.0f} Mo)")
