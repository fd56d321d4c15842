#!/usr/bin/env python3
"""Preview server figures: reload latency (edit -> tab shows the change) and requests per second.

    .venv/bin/python bench/server_bench.py                    # 100-article corpus, 5 edits
    .venv/bin/python bench/server_bench.py --articles 1000 --edits 7

Generates a corpus (bench/make_corpus.py) in a temporary folder, with PDFs
on, and runs `publish preview --port 0` on it as a subprocess, the way a
writer does. Then:

- reload latency: Debian's Chromium (Playwright) opens an article; the
  script appends a paragraph with a new marker to its `ja.md` and measures
  the wall time until the tab shows the marker (file write -> change seen
  by watchfiles -> incremental build -> Server-Sent Event -> reload -> page
  loaded and painted, read from the page's own navigation and paint timings
  once the marker is seen). Median and range of `--edits` edits;
- one PDF on request: the first request (rendered) and a repeat (cached);
- requests per second: `--threads` threads x `--requests` requests on
  keep-alive connections, over article pages, indexes, the sitemap, an
  image and a 404, all on 127.0.0.1; errors and unexpected statuses are
  counted.

Figures are printed, never judged (speed targets live in scripts, not in tests).
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_corpus  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _publish() -> str:
    beside = Path(sys.executable).with_name("publish")
    if not beside.is_file():
        sys.exit("server_bench: no `publish` beside this Python; run ./scripts/setup.sh and use .venv/bin/python")
    return str(beside)


class Preview:
    """`publish preview` as a subprocess; its output lines on a queue."""

    def __init__(self, site: Path):
        # Unbuffered, so that each rebuild's line arrives when printed (a pipe is block-buffered: they came
        # at exit, or not at all when the server had to be killed); in English, the language they are read in.
        environment = {**os.environ, "PYTHONUNBUFFERED": "1", "PUBLISH_LANG": "en"}
        self.process = subprocess.Popen([_publish(), "preview", "--port", "0", "--no-open"], cwd=site,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True, env=environment)
        self.lines: "queue.Queue[str]" = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line.rstrip())
            self.lines.put(line.rstrip())

    def wait_for(self, prefix: str, timeout: float = 300) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                sys.exit("server_bench: `publish preview` did not print " + repr(prefix) + ":\n"
                         + "\n".join(self.output[-30:]))
            if line.startswith(prefix):
                return line

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def reload_latency(base: str, site: Path, slug: str, edits: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    article = site / "articles" / slug / "ja.md"
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.goto(f"{base}ja/{slug}/")
            tab.wait_for_load_state("load")
            time.sleep(1.0)
            for number in range(1, edits + 1):
                marker = f"計測用の追記その{number}番"
                with article.open("a", encoding="utf-8") as stream:
                    stream.write(f"\n{marker}。\n")
                started = time.time()
                tab.get_by_text(marker).wait_for(timeout=60_000)
                times.append(_loaded_at(tab) - started)
                time.sleep(1.0)  # let the next edit be a separate save
        finally:
            browser.close()
    return times


def _loaded_at(tab) -> float:
    """When the document the tab shows was loaded and painted (the later of its `load` event and its
    first contentful paint), on the system clock the browser shares with this script. Playwright's own
    wait polls less and less often (up to every 0.5 s) and would add up to that to the figure."""
    return tab.evaluate("""() => {
        const loaded = performance.getEntriesByType("navigation")[0].loadEventEnd;
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        return (performance.timeOrigin + Math.max(loaded, paint ? paint.startTime : 0)) / 1000;
    }""")


def pdf_on_request(port: int, slug: str) -> tuple[float, float]:
    timings = []
    for _ in range(2):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        started = time.monotonic()
        connection.request("GET", f"/ja/{slug}/{slug}.pdf")
        response = connection.getresponse()
        body = response.read()
        timings.append(time.monotonic() - started)
        connection.close()
        if response.status != 200 or not body.startswith(b"%PDF-"):
            sys.exit(f"server_bench: the PDF request answered {response.status}: {body[:300]!r}")
    return timings[0], timings[1]


def load(port: int, slugs: tuple[str, ...], threads: int, requests: int) -> tuple[float, int, int]:
    targets = [(f"/ja/{slug}/", 200) for slug in slugs[:10]] + [(f"/zh/{slug}/", 200) for slug in slugs[:10]]
    targets += [("/ja/", 200), ("/zh/", 200), ("/sitemap.xml", 200), ("/robots.txt", 200), ("/no-such/", 404)]
    failures = [0]
    done = [0]
    lock = threading.Lock()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            for request in range(requests):
                target, status = targets[(number * 7 + request) % len(targets)]
                connection.request("GET", target)
                response = connection.getresponse()
                response.read()
                with lock:
                    done[0] += 1
                    failures[0] += response.status != status
        except Exception:  # noqa: BLE001 - counted, not raised
            with lock:
                failures[0] += 1
        finally:
            connection.close()

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.monotonic() - started, done[0], failures[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100, help="articles in the corpus (default 100)")
    parser.add_argument("--edits", type=int, default=5, help="edits whose reload is timed (default 5)")
    parser.add_argument("--threads", type=int, default=50, help="load test threads (default 50)")
    parser.add_argument("--requests", type=int, default=40, help="requests per thread (default 40)")
    parser.add_argument("--no-browser", action="store_true", help="skip the reload latency (no Chromium)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="server-bench-") as folder:
        site = Path(folder) / "site"
        corpus = make_corpus(site, args.articles, hero_share=0.1)
        config = (site / "publisher.toml").read_text("utf-8")  # make_corpus turns PDFs off; on here
        config = re.sub(r"(?ms)^(\[pdf\]\n(?:[^\[].*?\n)*?)enabled = false$", r"\1enabled = true", config, count=1)
        (site / "publisher.toml").write_text(config, "utf-8")
        started = time.monotonic()
        preview = Preview(site)
        try:
            line = preview.wait_for("preview on http://127.0.0.1:")
            first = time.monotonic() - started
            base = line.split(" on ", 1)[1].strip()
            port = int(base.rsplit(":", 1)[1].strip("/"))
            print(f"corpus: {args.articles} articles; first build and start: {first:.2f}s")
            slug = corpus.slugs[len(corpus.slugs) // 2]
            if not args.no_browser:
                times = reload_latency(base, site, slug, args.edits)
                print(f"reload latency (edit -> tab shows it), {len(times)} edits: median {statistics.median(times):.2f}s"
                      f", min {min(times):.2f}s, max {max(times):.2f}s")
            rendered, cached = pdf_on_request(port, corpus.slugs[0])
            print(f"PDF on request: {rendered:.2f}s rendered, {cached:.3f}s from the cache")
            seconds, done, failures = load(port, corpus.slugs, args.threads, args.requests)
            print(f"load: {args.threads} threads x {args.requests} requests = {done} in {seconds:.2f}s, "
                  f"{done / seconds:.0f} requests/s, {failures} errors or unexpected statuses")
        finally:
            preview.stop()
        rebuilds = [line for line in preview.output if line.startswith(("built", "nothing changed"))]
        if len(rebuilds) > 1:
            print("server's rebuild lines: " + "; ".join(rebuilds[1:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
