"""A small site with one article written from two sources, for the fact-check tests.

The source texts and the article are written for these tests. The article states figures the sources hold,
written differently (full-width digits, 万, separators, dates in another form), plus structural numbers that
are not facts, and a few planted figures that no source has (`PLANTED`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from support.factory import make_site

REPORT = """第2章 浜松地域の部品産業

◼ 浜松市とその周辺には輸送用機器の部品メーカーが集まり、2019年時点で96,000社を超える事業所があ

る。出荷額は2,690億円（1995年）から4,365億円（2015年）に増えた。

◼ 市は2025年12月5日に新しい支援制度を発表し、工業団地を3カ所整備する計画を示した。研修の修了

者は12.5%増えた。

出所：市の公開資料より作成

◼ 光学産業では、地元大学の研究室と企業の共同研究が30件を超え、試作品の開発期間が平均で4か月短

くなった。

出所：市の公開資料より作成

◼ 磐田市の工場では従業員の約3割が外国籍で、日本語研修に年間1,500時間を充てている。

出所：市の公開資料より作成
"""

NOTES_CSV = "都市,事業所数,出荷額（億円）\n豊橋市,612,\"9,870\"\n湖西市,148,2374\n"

ARTICLE = """---
title: 浜松の部品産業はどこへ向かうか
code: 中国G96
date: 2025-12-20
status: draft
sources:
  - sources/report.txt
  - sources/cities.csv
---

## 1. 部品産業の厚み

浜松周辺には約9.6万社の事業所がある。出荷額は２，６９０億円から4365億円へと伸びた。
<!-- source: sources/report.txt#L3-L5 -->

①市は2025.12.05に新制度を発表し、工業団地を３カ所つくる。

②研修の修了者は１２．５％増えた。詳しくは[市の資料](https://example.com/2025/12/05/p2)と`table-2024`を参照[^1]。
<!-- source: sources/report.txt#L7-L9 -->

## 2. 新しい動き

光学分野の共同研究は30件を超え、開発期間は4か月短くなった。磐田市では従業員の48%が外国籍だという。
<!-- source: sources/report.txt#L13-L15 -->

1. 豊橋市には612の事業所がある。
2. 湖西市の出荷額は2,374億円。

| 都市 | 事業所数 |
|---|---|
| 豊橋市 | 612 |
| 湖西市 | 175 |

2030年までに研修時間を年間1,500時間から2,000時間に増やす。

```
出荷額 7777億円
```

[^1]: 参照: 市の統計書 2024年版、p.33
"""

PLANTED = {  # figure as written -> its line in ja.md
    "48%": 23,
    "175": 32,
    "2030年": 34,
    "2,000時間": 34,
}


@dataclasses.dataclass
class FactSite:
    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / "publisher.toml"

    @property
    def article(self) -> Path:
        return self.root / "articles" / "hamamatsu"

    def config(self):
        from publisher.config import load_config

        return dataclasses.replace(load_config(self.config_path), cache_dir=self.root / ".publisher" / "cache")

    def load(self):
        from publisher.content import load_site

        result = load_site(self.config())
        assert not result.errors, result.errors
        return result.site.article("hamamatsu")


@pytest.fixture
def fact_site(tmp_path: Path) -> FactSite:
    make_site(tmp_path / "site", {"hamamatsu": {"ja.md": ARTICLE}})
    sources = tmp_path / "site" / "articles" / "hamamatsu" / "sources"
    sources.mkdir()
    (sources / "report.txt").write_text(REPORT, encoding="utf-8")
    (sources / "cities.csv").write_text(NOTES_CSV, encoding="utf-8")
    return FactSite(tmp_path / "site")
