"""How many words of a page find that page in the site search, as a reader's browser searches them.

    .venv/bin/python bench/search_recall.py [--site dist] [--pages N]

Pagefind splits a page's text with its dictionaries when it indexes it, and a
query with the browser's `Intl.Segmenter` when a reader searches; the two
disagree on names and compounds (Pagefind/pagefind#1237, and the README's
"Site search", **Known limit**). For every indexed page of a built site
(default: `dist/`, what `publish build` wrote), in Chromium, through
Pagefind's own `pagefind.js` served over HTTP: each word of the page of two
or more characters with a kanji (hanzi) or katakana in it is searched for,
and the page must be among the results. The words are taken two ways: as
Pagefind's index split the page (what a reader copies from it, mostly), and
as the browser splits the same text. Prints the share missed and the words.
A figure, not a test: nothing fails.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")

_MISSES = r"""
async ([language, split, limit]) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const all = await pagefind.search(null, {});
  if (limit) all.results = all.results.slice(0, limit);
  const segmenter = new Intl.Segmenter(language, {granularity: 'word'});
  const wanted = (word) => /[\p{Script=Han}\p{Script=Katakana}]/u.test(word) && [...word].length >= 2;
  const pages = [];
  for (const result of all.results) {
    const page = await result.data();
    const words = new Set();
    if (split === 'browser') {
      for (const part of segmenter.segment(page.content)) {
        if (part.isWordLike && wanted(part.segment)) words.add(part.segment);
      }
    } else {  // the index's words: its text keeps a zero-width space between them
      for (const word of page.raw_content.split(/[\u200B\s]+/)) if (wanted(word)) words.add(word);
    }
    const missed = [];
    for (const word of words) {
      const found = await pagefind.search(word);
      if (!found.results.some((hit) => hit.id === result.id)) missed.push(word);
    }
    pages.push([page.url, words.size, missed]);
  }
  return pages;
}
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        """No line per file served."""


def _languages(site: Path) -> list[str]:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    return sorted(entry["languages"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "dist", help="a built site with its search index")
    parser.add_argument("--pages", type=int, default=0, help="only the first N indexed pages of each language")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            tab = browser.new_page()
            for split in ("index", "browser"):
                total = missed = 0
                for language in _languages(args.site):
                    page_language = "zh-CN" if language.startswith("zh") else language
                    tab.goto(f"{base}/{language.split('-')[0]}/search/")
                    for url, words, misses in tab.evaluate(_MISSES, [page_language, split, args.pages]):
                        total, missed = total + words, missed + len(misses)
                        print(f"  {split:7} {url}: {len(misses)} of {words} missed  {' '.join(misses)}")
                share = missed / total if total else 0.0
                print(f"words as {'Pagefind' if split == 'index' else 'the browser'} splits them: "
                      f"{missed} of {total} missed ({share:.1%})")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
