"""Cards and image variants made in the background while the pages are written and indexed (`media_jobs`)."""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
from pathlib import Path

import pytest
from PIL import Image as PILImage

from publisher.cache import Cache
from publisher.config import load_config
from publisher.errors import BuildRefused, PublisherError
from publisher.site.build import BuildOptions, build_site
from publisher.site.cards import cached_file, font_for, plan_card
from publisher.site.images import ImageProcessor
from publisher.site.media_jobs import BACKGROUND_FROM, make_missing
from support.fixture_site import NOW, copy_fixture

ARTICLES = 12


def site_with_heroes(tmp_path: Path):
    """The fixture site and ARTICLES more articles, each with a PNG hero and a Chinese page."""
    config_path = copy_fixture(tmp_path)
    for number in range(ARTICLES):
        folder = config_path.parent / "articles" / f"many-{number:02d}"
        folder.mkdir()
        picture = PILImage.new("RGB", (1000, 560), (20 * number % 255, 90, 160))
        for x in range(0, 1000, 50):
            picture.paste((240, 200, 80), (x, 0, x + 12, 560))
        picture.save(folder / "hero.png")
        (folder / "ja.md").write_text(
            f"---\ntitle: 地方の工業団地 その{number}\ndate: 2025-09-{number + 1:02d}\nstatus: published\n"
            f"tags: [営業]\nhero: hero.png\nhero_alt: 図\n---\n\n## 1. 見出し\n\n①本文{number}。\n", "utf-8")
        (folder / "zh.md").write_text(
            f"---\ntitle: 地方工业园区 之{number}\nstatus: published\nhero_alt: 图\n---\n\n## 1. 标题\n\n①正文{number}。\n",
            "utf-8")
    return load_config(config_path)


def files(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*"))
            if path.is_file() and path.name != ".publisher-output"}


def test_a_cold_build_makes_them_beside_the_pages_and_publishes_the_same_site(tmp_path):
    config = site_with_heroes(tmp_path)
    steps: list[str] = []
    build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "two", jobs=2),
               progress=lambda step, done, total: steps.append(step) if step not in steps else None)
    assert steps.index("images") > steps.index("pages")  # waited for after the pages were written
    config_one = dataclasses.replace(config, cache_dir=tmp_path / "cache-one")
    one_steps: list[str] = []
    build_site(config_one, BuildOptions(now=NOW, out_dir=tmp_path / "one", jobs=1),
               progress=lambda step, done, total: one_steps.append(step) if step not in one_steps else None)
    assert one_steps.index("images") < one_steps.index("pages")  # one core: made at once, as before
    two, one = files(tmp_path / "two"), files(tmp_path / "one")
    assert two == one
    cards = [path for path in two if path.endswith("/card.jpg")]
    assert len(cards) >= 2 * ARTICLES
    for path in cards:
        with PILImage.open(tmp_path / "two" / path) as card:
            card.load()
            assert card.format == "JPEG" and card.size == (1200, 630)
    assert sum(1 for path in two if path.startswith("media/many-") and path.endswith(".webp")) >= ARTICLES


def test_an_unreadable_image_among_many_stops_the_build_naming_it(tmp_path):
    config = site_with_heroes(tmp_path)
    damaged = config.content_dir / "many-07" / "hero.png"
    data = damaged.read_bytes()
    damaged.write_bytes(data[:len(data) // 2])  # the header (and so the size) is still there
    with pytest.raises(BuildRefused) as refused:
        build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out", jobs=2))
    [problem] = refused.value.problems
    assert problem.path == damaged and problem.field == "image"
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out.staging-*"))


def test_few_are_made_at_once_many_in_the_background(tmp_path):
    cache = Cache(tmp_path / "cache")
    images = ImageProcessor(cache, load_config(copy_fixture(tmp_path)).images)
    font = font_for("ja")
    cards = [plan_card(f"a{number:02d}", "ja", "ja", title=f"見出し{number}", code="", site_name="ブログ", hero=None,
                       font=font) for number in range(BACKGROUND_FROM + 4)]
    few = make_missing(cache, cards[:3], images, [], {}, 2, None)
    assert few.background is None and few.waiting == frozenset()
    assert all(cached_file(cache, card).is_file() for card in cards[:3])
    many = make_missing(cache, cards, images, [], {}, 2, None)
    assert many.background is not None
    assert many.waiting == {card.path for card in cards[3:]}  # the three made before are not made again
    many.wait(None)
    assert all(cached_file(cache, card).is_file() for card in cards)


def test_a_background_that_dies_is_reported_with_what_to_do(tmp_path):
    cache = Cache(tmp_path / "cache")
    images = ImageProcessor(cache, load_config(copy_fixture(tmp_path)).images)
    font = font_for("zh")
    cards = [plan_card(f"b{number:02d}", "zh", "zh-CN", title=f"标题{number}" * 12, code="", site_name="博客",
                       hero=None, font=font) for number in range(10 * BACKGROUND_FROM)]  # a second or so
    making = make_missing(cache, cards, images, [], {}, 2, None)
    assert making.background is not None
    os.kill(making.background._process.pid, signal.SIGKILL)  # what the kernel's out-of-memory killer does
    with pytest.raises(PublisherError) as stopped:
        making.wait(None)
    assert str(stopped.value) == ("the process making the social cards and the smaller copies of the images stopped "
                                  "(out of memory, or killed); build again")


def test_at_the_end_the_builds_own_process_takes_the_jobs_still_waiting(tmp_path):
    cache = Cache(tmp_path / "cache")
    images = ImageProcessor(cache, load_config(copy_fixture(tmp_path)).images)
    font = font_for("ja")
    cards = [plan_card(f"c{number:02d}", "ja", "ja", title=f"見出し{number}" * 8, code="", site_name="ブログ",
                       hero=None, font=font) for number in range(4 * BACKGROUND_FROM)]
    making = make_missing(cache, cards, images, [], {}, 2, None)
    assert making.background is not None
    pid = making.background._process.pid
    os.kill(pid, signal.SIGSTOP)  # a background that gets no CPU (the build's own steps take every core)
    threading.Timer(3.0, os.kill, (pid, signal.SIGCONT)).start()
    steps: list[tuple[int, int]] = []
    making.wait(lambda step, done, total: steps.append((done, total)))
    assert making.made_here >= len(making.jobs) - 1  # the background had taken one at most
    assert steps[-1] == (len(making.jobs), len(making.jobs))
    assert all(cached_file(cache, card).is_file() for card in cards)
