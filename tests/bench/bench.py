"""`make bench`: the report page's size and speed beside a stock Material build of the same text.

Not a test: it prints figures. Both sites are built fresh, served on
127.0.0.1 with gzip as GitHub Pages serves them, and loaded alternately,
RUNS times each, in Debian's Chromium:

* bytes are counted at the server, from what it sent (browser-side tools miss
  the search worker's requests), per type, with the request count;
* FCP, LCP and CLS come from the browser's own performance entries, on a
  390x844 viewport with a 4x slower CPU and a slow 4G network (Chromium's
  emulation), so that bytes and script cost show in the timings;
* Lighthouse 12.2.3 (tests/bench/package.json) gives its mobile scores.

Absolute times on a shared machine are noise; the medians and the ratios
ours / stock, measured in the same run, are the figures to read.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402
from serving import serve, wait_for_search_worker  # noqa: E402

from report2md import convert  # noqa: E402

# Five, because one load's timings vary by 10-20% on a shared 2-CPU machine.
RUNS = 5
CHROMIUM = Path("/usr/bin/chromium")
LIGHTHOUSE = REPO / "tests" / "bench" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
KINDS = {
    ".html": "HTML",
    "/": "HTML",
    ".css": "CSS",
    ".js": "JS",
    ".json": "search index",
    ".woff2": "fonts",
    ".svg": "images",
    ".png": "images",
}
# Slow 4G, as Lighthouse's mobile preset: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
PAINT_METRICS = """() => new Promise(resolve => {
  const out = {fcp: null, lcp: null, cls: 0};
  new PerformanceObserver(list => { for (const e of list.getEntries())
    if (e.name === "first-contentful-paint") out.fcp = e.startTime }).observe({type: "paint", buffered: true});
  new PerformanceObserver(list => { for (const e of list.getEntries()) out.lcp = e.startTime })
    .observe({type: "largest-contentful-paint", buffered: true});
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) out.cls += e.value })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(out), 1000);
})"""

STOCK_CONFIG = """# Stock Material for MkDocs: default theme settings, the same text.
site_name: Report
theme:
  name: material
"""


def build(project: Path, site_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site_dir)],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )


def build_stock(workdir: Path, site_dir: Path) -> None:
    """The same text, converted by report2md, built by Material with nothing of ours."""
    (workdir / "docs").mkdir(parents=True)
    source = REPO / "source" / "report.ar.txt"
    (workdir / "docs" / "index.md").write_text(convert(source.read_bytes(), str(source)).markdown, encoding="utf-8")
    (workdir / "mkdocs.yml").write_text(STOCK_CONFIG, encoding="utf-8")
    build(workdir, site_dir)


def kind(path: str) -> str:
    path = urlsplit(path).path
    return next((name for suffix, name in KINDS.items() if path.endswith(suffix)), "other")


def measure_load(browser: Browser, site: Path) -> dict[str, float]:
    """One first visit: bytes by type at the server, requests, paint timings."""
    with serve(site, compress=True) as (base, served):
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.goto(base, wait_until="load")
        timings = page.evaluate(PAINT_METRICS)
        wait_for_search_worker(page, served)
        context.close()
        responses = list(served)
    figures: dict[str, float] = {f"{name} KB": 0.0 for name in dict.fromkeys(KINDS.values())}
    for path, size in responses:
        figures[f"{kind(path)} KB"] = figures.get(f"{kind(path)} KB", 0.0) + size / 1024
    figures["total KB"] = sum(size for _, size in responses) / 1024
    figures["requests"] = len(responses)
    figures["FCP ms"] = timings["fcp"] or 0.0
    figures["LCP ms"] = timings["lcp"] or 0.0
    figures["CLS"] = timings["cls"]
    return figures


def lighthouse(site: Path) -> dict[str, float]:
    """Lighthouse's mobile scores (0-100) for the report page."""
    with serve(site, compress=True) as (base, _), tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                str(LIGHTHOUSE),
                base,
                "--quiet",
                "--output=json",
                "--output-path=stdout",
                "--only-categories=performance,accessibility,best-practices,seo",
                f"--chrome-flags={' '.join([*CHROME_FLAGS, f'--user-data-dir={profile}'])}",
            ],
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    return {f"LH {key}": 100 * category["score"] for key, category in report["categories"].items()} | {
        "LH LCP ms": report["audits"]["largest-contentful-paint"]["numericValue"],
    }


def median_table(ours: list[dict[str, float]], stock: list[dict[str, float]]) -> str:
    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(run.get(key, 0.0) for run in runs)

    def cell(value: float) -> str:
        return f"{value:.3f}" if abs(value) < 1 and value else f"{value:.1f}"

    def timing(runs: list[dict[str, float]], key: str) -> str:
        """A median with its range, so that the noise is in the table too."""
        values = [run.get(key, 0.0) for run in runs]
        return f"{median(runs, key):.0f} ({min(values):.0f}–{max(values):.0f})"

    keys = list(dict.fromkeys(key for run in ours + stock for key in run))
    lines = [
        f"| median of {RUNS} (range) | ours | stock Material | ours / stock |",
        "|---|---:|---:|---:|",
    ]
    for key in keys:
        a, b = median(ours, key), median(stock, key)
        ratio = f"{a / b:.2f}" if b else "–"
        if key.endswith(" ms"):
            lines.append(f"| {key} | {timing(ours, key)} | {timing(stock, key)} | {ratio} |")
        else:
            lines.append(f"| {key} | {cell(a)} | {cell(b)} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    for tool, hint in ((CHROMIUM, "install Debian's chromium"), (LIGHTHOUSE, "run `make bench`, which installs it")):
        if not tool.exists():
            raise SystemExit(f"error: {tool} is missing: {hint}")
    with tempfile.TemporaryDirectory() as tmp:
        ours_site, stock_site = Path(tmp) / "ours", Path(tmp) / "stock"
        print("building both sites…", file=sys.stderr)
        build(REPO, ours_site)
        build_stock(Path(tmp) / "stock-project", stock_site)
        results: dict[str, list[dict[str, float]]] = {"ours": [], "stock": []}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_FLAGS[1:])
            for run in range(1, RUNS + 1):
                for name, site in (("ours", ours_site), ("stock", stock_site)):
                    print(f"run {run}/{RUNS}: {name}", file=sys.stderr)
                    results[name].append(measure_load(browser, site) | lighthouse(site))
            browser.close()
    print(median_table(results["ours"], results["stock"]))


if __name__ == "__main__":
    main()
