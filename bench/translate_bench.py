"""Benchmark of `publish translate` against the local OpenAI-compatible server.

Translates 50 sample-sized articles (copies of the sample site's Japanese
sources) with 200 ms of latency per call, at the configured concurrency,
then edits one paragraph of one article and translates again. Prints wall
time, requests and tokens, and the tokens of the one-paragraph edit as a
share of a whole-article translation (target: under 10%).

    .venv/bin/python bench/translate_bench.py [--articles 50] [--latency 0.2] [--concurrency N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from publisher.config import load_config  # noqa: E402
from publisher.llm.client import LLMClient  # noqa: E402
from publisher.config.llm import load_llm_settings  # noqa: E402
from publisher.translation.translate import TranslateOptions, translate_site  # noqa: E402
from publisher.llm.usage import UsageLog  # noqa: E402
from support.openai_server import API_KEY, MODEL, OpenAIServer, without_llm_table  # noqa: E402


def _site(folder: Path, count: int, server_url: str) -> Path:
    toml = without_llm_table((ROOT / "publisher.toml").read_text("utf-8"))
    toml += f'\n[llm]\nmodel = "{MODEL}"\nbase_url = "{server_url}"\n'
    (folder / "publisher.toml").write_text(toml, "utf-8")
    shutil.copy(ROOT / "glossary.csv", folder / "glossary.csv")
    sources = sorted((ROOT / "articles").glob("*/ja.md"))
    for n in range(count):
        source = sources[n % len(sources)]
        target = folder / "articles" / f"bench-{n:03d}"
        target.mkdir(parents=True)
        shutil.copy(source, target / "ja.md")
        for image in source.parent.glob("*.svg"):
            shutil.copy(image, target / image.name)
    return folder / "publisher.toml"


def _run(config_path: Path, concurrency: int | None, slugs: tuple[str, ...] = ()):
    config = load_config(config_path)
    settings = load_llm_settings(config, {})
    if concurrency:
        settings = replace(settings, concurrency=concurrency)
    client = LLMClient(settings, api_key=API_KEY, usage_log=UsageLog(settings.usage_log))
    started = time.perf_counter()
    report = translate_site(config, settings, TranslateOptions(slugs=slugs), client=client)
    return report, time.perf_counter() - started, settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per call (default 0.2)")
    parser.add_argument("--concurrency", type=int, help="override llm.concurrency")
    parser.add_argument("--show", action="store_true", help="print the edit request's messages")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary, OpenAIServer(latency=args.latency) as server:
        config_path = _site(Path(temporary), args.articles, server.url)
        report, seconds, settings = _run(config_path, args.concurrency)
        failed = sum(len(doc.failed) for doc in report.documents)
        usage = report.usage
        print(f"full translation: {args.articles} articles, concurrency {settings.concurrency}, "
              f"latency {args.latency * 1000:.0f} ms/call")
        print(f"  wall time        {seconds:8.2f} s")
        print(f"  requests         {usage.requests:8d}")
        print(f"  input tokens     {usage.prompt_tokens:8d} ({usage.cached_tokens} cached)")
        print(f"  output tokens    {usage.completion_tokens:8d}")
        print(f"  failed blocks    {failed:8d}")

        # Tokens of one whole article, from a fresh translation of that one article.
        slug = "bench-000"
        article = Path(temporary) / "articles" / slug
        (article / "zh.md").unlink()
        (article / "zh.lock.json").unlink()
        cache = Path(temporary) / ".publisher" / "translations" / "zh.jsonl"
        cache.rename(cache.with_suffix(".saved"))
        whole, _seconds, _ = _run(config_path, args.concurrency, (slug,))
        cache.with_suffix(".saved").rename(cache)
        # Now edit one paragraph and translate again.
        source = article / "ja.md"
        text = source.read_text("utf-8")
        anchor = "②中国には人口100万人を超える都市が300以上ある。"
        if anchor not in text:
            anchor = next(line for line in text.splitlines() if line.startswith("②"))
        source.write_text(text.replace(anchor, anchor + "沿海部に限らず内陸にも多い。", 1), "utf-8")
        first_edit_request = len(server.requests)
        edit, edit_seconds, _ = _run(config_path, args.concurrency)
        if "--show" in sys.argv:
            print(server.requests[first_edit_request]["messages"])
        whole_tokens = whole.usage.prompt_tokens + whole.usage.completion_tokens
        edit_tokens = edit.usage.prompt_tokens + edit.usage.completion_tokens
        share = edit_tokens / whole_tokens if whole_tokens else 0.0
        print("one-paragraph edit, then `publish translate` over all articles:")
        print(f"  wall time        {edit_seconds:8.2f} s")
        print(f"  requests         {edit.usage.requests:8d}")
        print(f"  tokens sent+recv {edit_tokens:8d}  (whole article: {whole_tokens} in {whole.usage.requests} "
              f"request(s))")
        print(f"  share            {share:8.1%}  (target: under 10%) -> {'OK' if share < 0.10 else 'MISSED'}")


if __name__ == "__main__":
    main()
