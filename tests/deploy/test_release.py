"""Scheduled releases end to end: build and deploy before an article's release time, then after it.

Before, the target holds nothing of the article; after, it gains exactly its
pages, its images, its feed entries, its sitemap entries and its
`releases.json` entry -- and nothing else is new.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime

import feedparser
from PIL import Image

from publisher.deploy import MANIFEST, DeployOptions, deploy_site
from support.fixture_site import TOKYO

BEFORE = datetime(2026, 5, 31, 12, 0, tzinfo=TOKYO)
AFTER = datetime(2026, 6, 1, 9, 15, tzinfo=TOKYO)  # gamma is released at 2026-06-01T09:00+09:00


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_scheduled_article_reaches_the_target_at_its_release_and_not_before(site, s3_server):
    gamma = site.root / "articles/gamma"
    (gamma / "chart.png").write_bytes(png(1000, 500))
    (gamma / "ja.md").write_text((gamma / "ja.md").read_text("utf-8") + "\n![日程表](chart.png)\n", "utf-8")
    site.targets(f"[deploy.production]\nurl = \"s3://{s3_server.bucket}/www\"\nendpoint_url = \"{s3_server.endpoint}\"\n")
    client = s3_server.client()

    def target() -> dict[str, bytes]:
        return {key[len("www/"):]: client.get_object(Bucket=s3_server.bucket, Key=key)["Body"].read()
                for key in s3_server.objects("www/") if not key.endswith(MANIFEST)}

    def release(now):
        site.build(now=now)
        config = site.config()
        return deploy_site(config, config.deploy["production"], DeployOptions(now=now))

    release(BEFORE)
    before = target()
    assert not [path for path in before if "gamma" in path]
    assert not [path for path, data in before.items() if "gamma" in data.decode("utf-8", "replace")
                or "来年の政策カレンダー" in data.decode("utf-8", "replace")]

    report = release(AFTER)
    after = target()
    assert after == site.files()
    new = set(after) - set(before)
    assert {path for path in new if not path.startswith("media/")} == {"ja/gamma/index.html", "zh/gamma/index.html",
                                                                              "ja/gamma/card.jpg", "zh/gamma/card.jpg"}
    media = {path for path in new if path.startswith("media/")}
    assert "media/gamma/chart.png" in media and all(p.startswith("media/gamma/chart") for p in media)
    assert any(p.endswith(".webp") for p in media)  # the responsive variants went with it
    assert set(report.plan.new) == new and not report.plan.deletes

    # Its pages' images are there (every image a gamma page refers to is on the target).
    for lang in ("ja", "zh"):
        page = after[f"{lang}/gamma/index.html"].decode()
        for reference in re.findall(r'(?:src|srcset)="([^"]+)"', page):
            for candidate in reference.split(","):
                url = candidate.strip().split(" ")[0]
                if "media/gamma/" in url:
                    assert url[url.index("media/"):] in after

    # Feeds: exactly one new entry per language, gamma's.
    for lang in ("ja", "zh"):
        old = {e.id for e in feedparser.parse(before[f"{lang}/feed.xml"]).entries}
        current = {e.id for e in feedparser.parse(after[f"{lang}/feed.xml"]).entries}
        assert current - old == {f"https://fixture.example.org/blog/{lang}/gamma/"} and old <= current

    # Sitemap: exactly gamma's two URLs are new.
    def locations(data: bytes) -> set[str]:
        return set(re.findall(r"<loc>([^<]+)</loc>", data.decode()))

    assert locations(after["sitemap.xml"]) - locations(before["sitemap.xml"]) == {
        "https://fixture.example.org/blog/ja/gamma/", "https://fixture.example.org/blog/zh/gamma/"}
    assert locations(before["sitemap.xml"]) <= locations(after["sitemap.xml"])

    # releases.json announces gamma in both languages, and only gamma.
    released = json.loads(after["releases.json"])["released"]
    assert sorted((r["slug"], r["lang"]) for r in released) == [("gamma", "ja"), ("gamma", "zh")]

    # The feeds, sitemap and releases.json went last, after the pages they announce.
    order = [f.path for f in report.plan.uploads]
    assert max(order.index(p) for p in ("ja/gamma/index.html", "zh/gamma/index.html")) < min(
        order.index(p) for p in ("ja/feed.xml", "zh/feed.xml", "sitemap.xml", "releases.json"))
    assert max(order.index(p) for p in media) < order.index("ja/gamma/index.html")


def test_a_ci_job_that_keeps_only_the_cache_still_announces_the_release(site, tmp_path):
    """GitHub Actions starts from a fresh checkout: dist/ is gone, .publisher/cache is restored."""
    import shutil

    site.targets(f"[deploy.production]\nurl = \"{tmp_path / 'www'}\"\n")
    site.build(now=BEFORE)
    config = site.config()
    deploy_site(config, config.deploy["production"], DeployOptions(now=BEFORE))
    shutil.rmtree(site.dist)
    site.build(now=AFTER)
    released = json.loads((site.dist / "releases.json").read_text("utf-8"))["released"]
    assert sorted((r["slug"], r["lang"]) for r in released) == [("gamma", "ja"), ("gamma", "zh")]
    report = deploy_site(config, config.deploy["production"], DeployOptions(now=AFTER))
    assert set(report.plan.new) >= {"ja/gamma/index.html", "zh/gamma/index.html"}
