"""A preview build of the fixture site with every translation state, for the tests of the /_preview/ pages.

The fixture site (tests/fixtures/site) is copied, one more article is added
(`epsilon`: in review, released at a time written with a Chinese offset),
the existing translations are adopted (`publish translate --adopt`: lock
files, no model call), and then edited so that the dashboard has something
to say:

- alpha: written from a source that lacks one of its figures (one fact-check finding); a source paragraph reworded (its adopted translation needs review),
  a new source paragraph (stale: no translation yet), a translated list
  edited by hand, and a paragraph a person added to the translation only;
- beta, gamma: the translations lack some fields of the source (stale fields);
- delta: no translation at all (missing);
- epsilon: a translation written by a person and never adopted (not tracked), with an image.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .fixture_site import NOW, copy_fixture

EPSILON_JA = """\
---
title: 物流拠点の見直しを進める手順
code: 中国T05
date: 2026-03-01
publish_at: 2026-03-01T10:00+08:00
status: review
tags: [物流]
summary: 倉庫と配送の拠点を見直すときの順番を整理する。
---

## 1. 現状を数える

倉庫ごとの在庫と出荷の回数を、まず一か月分集める。

![倉庫の配置図](layout.svg)

## 2. 候補を絞る

港と高速道路からの距離で、候補を三つに絞る。
"""

EPSILON_ZH = """\
---
title: 推进物流据点调整的步骤
status: draft
---

## 1. 盘点现状

首先收集每个仓库一个月的库存和出货次数。

![仓库布局图](layout.svg)

## 2. 缩小候选范围

根据与港口和高速公路的距离，把候选缩小到三个。
"""

LAYOUT_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'

SURVEY = "内陸の都市の賃金は、沿海部のおよそ7割。\n港までの所要時間は、合肥から約4時間、蕪湖から約2時間。\n"
"""alpha's one source: it has every figure of the article but 蕪湖's 約3時間 (the fact check flags that one)."""

REWORDED = ("その差が、立地選びの前提を変えつつある。", "その差が、工場の立地選びの前提を大きく変えつつある。")
NEW_PARAGRAPH = "新しく書き足した段落。人件費の差は今後も続く。"
EDITED_ZH = ("- 公路\n", "- 公路运输\n")
ADDED_ZH = "这是译者补充的一段说明。"


@dataclass(frozen=True)
class PreviewSite:
    config_path: Path
    out: Path
    """The preview build's output folder."""
    now: datetime

    @property
    def root(self) -> Path:
        return self.config_path.parent

    def config(self):
        from publisher.config import load_config

        return load_config(self.config_path)

    def read(self, path: str) -> str:
        return (self.out / path).read_text("utf-8")


def make_preview_site(tmp_path: Path, *, pdf: bool = False) -> Path:
    """The site described above (the config path); nothing built yet."""
    from publisher.config import load_config
    from publisher.translation.translate import adopt

    config_path = copy_fixture(tmp_path, pdf=pdf)
    articles = config_path.parent / "articles"
    (articles / "epsilon").mkdir()
    (articles / "epsilon" / "ja.md").write_text(EPSILON_JA, "utf-8")
    (articles / "epsilon" / "layout.svg").write_text(LAYOUT_SVG, "utf-8")
    reports = adopt(load_config(config_path))
    assert {r.slug for r in reports if r.adopted} == {"alpha", "beta", "gamma"}, reports
    (articles / "epsilon" / "zh.md").write_text(EPSILON_ZH, "utf-8")  # after adopting: stays untracked

    ja = articles / "alpha" / "ja.md"
    text = ja.read_text("utf-8")
    assert REWORDED[0] in text
    text = text.replace(REWORDED[0], REWORDED[1] + "\n\n" + NEW_PARAGRAPH)
    ja.write_text(text.replace("pseudonyms: true\n", "pseudonyms: true\nsources: [sources/survey.txt]\n"), "utf-8")
    (articles / "alpha" / "sources").mkdir()
    (articles / "alpha" / "sources" / "survey.txt").write_text(SURVEY, "utf-8")
    zh = articles / "alpha" / "zh.md"
    text = zh.read_text("utf-8")
    assert EDITED_ZH[0] in text
    text = text.replace(EDITED_ZH[0], EDITED_ZH[1]).replace("## 2. 三个视角\n", f"## 2. 三个视角\n\n{ADDED_ZH}\n")
    zh.write_text(text, "utf-8")
    return config_path


def build_preview(config_path: Path, out: Path, *, now: datetime = NOW, preview_pages=None, **options):
    """Build the site at `config_path` as a preview (drafts and future pages) with the /_preview/ pages
    (`PreviewPages()`, with the real fact check, unless `preview_pages` is given)."""
    from publisher.config import load_config
    from publisher.preview.pages import PreviewPages
    from publisher.pdf.contributor import PdfContributor
    from publisher.site.build import BuildOptions, build_site

    config = load_config(config_path)
    options.setdefault("include_drafts", True)
    options.setdefault("include_future", True)
    hook = preview_pages if preview_pages is not None else PreviewPages()
    return build_site(config, BuildOptions(now=now, out_dir=out, extra_files=hook,
                                           contributors=(PdfContributor(),), **options))


def preview_site(tmp_path: Path, *, pdf: bool = False) -> PreviewSite:
    config_path = make_preview_site(tmp_path, pdf=pdf)
    out = tmp_path / "preview"
    build_preview(config_path, out)
    return PreviewSite(config_path, out, NOW)

