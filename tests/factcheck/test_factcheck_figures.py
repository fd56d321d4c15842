"""Figures found in Japanese and Chinese text and their normalised values."""

from __future__ import annotations

import pytest

from publisher.factcheck.body import prose_blocks
from publisher.factcheck.figures import extract_figures


def found(text: str) -> list[tuple[str, str]]:
    return [(f.text, f.value) for f in extract_figures(text)]


@pytest.mark.parametrize("text, expected", [
    ("進出企業は9.6万社。", [("9.6万社", "96000")]),
    ("進出企業は96,000社。", [("96,000社", "96000")]),
    ("进出企业为９６，０００家。", [("９６，０００家", "96000")]),
    ("合計1兆1,500億円の投資", [("1兆1,500億円", "1150000000000")]),
    ("3億5000万元", [("3億5000万元", "350000000")]),
    ("投资达到2.5亿元", [("2.5亿元", "250000000")]),
    ("伸び率は12.5％", [("12.5％", "12.5")]),
    ("増加率12.5%", [("12.5%", "12.5")]),
    ("工業団地3カ所と研修4か月", [("3カ所", "3"), ("4か月", "4")]),
    ("2025年12月5日に発表", [("2025年12月5日", "2025-12-05")]),
    ("2025.12.05に発表", [("2025.12.05", "2025-12-05")]),
    ("２０２５／１２／５に発表", [("２０２５／１２／５", "2025-12-05")]),
    ("2025年12月から", [("2025年12月", "2025-12")]),
    ("12月5日に", [("12月5日", "--12-05")]),
    ("令和7年度の予算", [("令和7年", "2025")]),
    ("令和元年に", [("令和元年", "2019")]),
    ("(’15年段階)", [("’15", "2015")]),
    ("3〜5万社", [("3〜5万社", "30000~50000")]),
    ("2000-2019年の変化", [("2000-2019年", "2000~2019")]),
    ("10～20%", [("10～20%", "10~20")]),
])
def test_figures_and_values(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "中国G96の続き", "5G網と3D印刷", "COVID-19の影響", "第1に、第2章で", "第3世代半導体と第14次五カ年計画",
    "2つの理由", "①成長の結果", "❶合肥", "⑴手順",
])
def test_names_and_ordinals_are_not_figures(text):
    assert found(text) == []


def test_approximate_figures_and_their_precision():
    (figure,) = extract_figures("約2,400億円")
    assert figure.approximate and figure.precision == "10000000000"
    (figure,) = extract_figures("8,000社以上")
    assert figure.approximate
    (figure,) = extract_figures("8,000社")
    assert not figure.approximate


def test_offsets_point_into_the_original_text():
    text = "売上は１２．５％増の９．６万社"
    for figure in extract_figures(text):
        assert text[figure.start:figure.end] == figure.text


BODY = """## 1. 2025年の動き {#moves-2024}

中国G96で見たように、浜松には**約9.6万社**がある[^1]。
詳しくは<https://example.com/2023/r5>と[報告](https://example.jp/a1/2022)、`code 123`を参照。
<!-- source: sources/r.txt#L1-L5, sources/n.md#L3 -->
<img src="chart-2021.png" alt="図 2020">

1. 一つ目は12.5％
2. 二つ目

| 都市 | 数 |
|---|---|
| 豊橋 | 612 |

```
7777
```

[^1]: 参照: 白書 2024年版
"""


def test_structural_numbers_are_left_out_and_lines_are_kept():
    blocks = prose_blocks(BODY, 10, code="中国G96")
    figures = [(line, f.text) for block in blocks for line, text in block.lines for f in extract_figures(text)]
    assert figures == [(10, "2025年"), (12, "9.6万社"), (17, "12.5％"), (22, "612")]


def test_markers_attach_to_their_paragraph():
    blocks = prose_blocks(BODY, 10)
    (cited,) = [b for b in blocks if b.anchors]
    assert cited.anchors == ("sources/r.txt#L1-L5", "sources/n.md#L3")
    assert [line for line, _ in cited.lines] == [12, 13]
