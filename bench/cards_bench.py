#!/usr/bin/env python3
"""Social-card benchmark: prints figures, asserts nothing.

    PYTHONPATH=$PWD/src .venv/bin/python bench/cards_bench.py [--cards 200]

Draws `--cards` cards (site/cards.py) into a temporary cache, half with a
1600×900 photo-like hero behind them and half on the plain background, a
Japanese and a Chinese card per article, in this process (plain and hero cards
apart) and then on every core the way a cold build does, and prints the time
per card and the sizes of the JPEGs. A cold build of N articles in two
languages draws 2N cards; every other build draws only the cards whose title,
code, hero or site title changed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageFilter

from publisher.cache import Cache
from publisher.parallel import run_parallel
from publisher.site.cards import cached_file, draw_missing, plan_card

_TITLES = ["地方都市の工業団地を選ぶときの三つの視点", "展示会の名刺を商談につなげる",
           "中国の地方都市で成功を収める日系企業の成長戦略と、その背景にある政策の変化",
           "选择地方城市工业园区的三个视角", "合肥的成长故事：京东方(BOE)与科大讯飞如何改变一座城市"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=200)
    count = parser.parse_args().cards
    with tempfile.TemporaryDirectory() as folder:
        hero = Path(folder) / "hero.jpg"
        noise = Image.frombytes("RGB", (400, 225), random.Random(1).randbytes(400 * 225 * 3))
        noise.resize((1600, 900)).filter(ImageFilter.GaussianBlur(2)).save(hero, quality=85)
        cards = []
        for n in range(count):  # articles in two languages: a card per language, the same hero
            title = f"{_TITLES[n % len(_TITLES)]}({n})"
            lang = ("zh", "zh-CN") if n % 2 else ("ja", "ja")
            cards.append(plan_card(f"a{n // 2}", lang[0], lang[1], title=title, code=f"中国T{n // 2:03}",
                                   site_name="お役立ち情報", hero=hero if n // 2 % 2 else None))
        serial = {}
        for kind in ("plain", "hero"):
            some = [card for card in cards[:count // 2] if (card.hero is None) == (kind == "plain")]
            started = time.perf_counter()
            for _step in draw_missing(Cache(Path(folder) / f"serial-{kind}"), some):
                pass
            serial[kind] = (time.perf_counter() - started) / max(len(some), 1)
        started = time.perf_counter()
        cache = Cache(Path(folder) / "parallel")
        for _step in draw_missing(cache, cards, lambda job, jobs: run_parallel(job, jobs, threshold=8)):
            pass
        parallel = (time.perf_counter() - started) / max(count, 1)
        sizes = [cached_file(cache, card).stat().st_size for card in cards]
        plain = [size for size, card in zip(sizes, cards) if card.hero is None]
        photo = [size for size, card in zip(sizes, cards) if card.hero is not None]
        print(f"cards: {count} ({os.cpu_count()} cores)")
        print(f"one process:   {serial['plain'] * 1000:7.1f} ms per card, plain")
        print(f"one process:   {serial['hero'] * 1000:7.1f} ms per card, hero")
        print(f"every core:    {parallel * 1000:7.1f} ms per card (wall)")
        print(f"JPEG, plain:   {statistics.median(plain) / 1024:7.1f} KiB median")
        print(f"JPEG, hero:    {statistics.median(photo) / 1024:7.1f} KiB median")


if __name__ == "__main__":
    main()
