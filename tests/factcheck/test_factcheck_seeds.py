"""The fact check against the 200 KB seed report (facts from it, sentences of our own), when it is present."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publisher.content import load_site
from publisher.factcheck import check_article
from factcheck.conftest import FactSite
from support.factory import make_site

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "source-regional-industry-report.txt"

ARTICLE = """---
title: 地域の産業集積に学ぶ
date: 2025-12-20
sources: [sources/report.txt]
---

## 1. 医療と医薬品

神戸の医療産業都市には３６０社の企業や団体が集まり、２０１５年の市内経済効果は1532億円とされる。

富山県の医薬品製造額は2,374億円から約6,900億円へと伸びた。

## 2. 輸送機器と LED

広島県の輸送用製造品出荷額は2019年に1.9兆円に達した。徳島県の LED 関連企業は150社まで増えた。

神戸市の税収効果は75億円、研究機関は420カ所に上る。
"""


def test_seed_report_passes_real_figures_and_flags_planted_ones(tmp_path):
    if not SEED.is_file():
        pytest.skip("optional seed source-regional-industry-report.txt is not in ../shared/seeds/ "
                    "(tests/factcheck/test_factcheck_check.py covers the same with its own sources)")
    make_site(tmp_path / "site", {"clusters": {"ja.md": ARTICLE}})
    (tmp_path / "site" / "articles" / "clusters" / "sources").mkdir()
    shutil.copy(SEED, tmp_path / "site" / "articles" / "clusters" / "sources" / "report.txt")
    site = FactSite(tmp_path / "site")
    article = load_site(site.config()).site.article("clusters")
    report = check_article(site.config(), article)
    assert {(f.figure, f.line) for f in report.findings} == {("75億円", 17), ("420カ所", 17)}
    tax = next(f for f in report.findings if f.figure == "75億円")
    assert tax.closest is not None and tax.closest.anchor.startswith("sources/report.txt#L")
    assert "税収効果" in tax.closest.text or "神戸" in tax.closest.text
