"""split_passages and find_passage: chunks within budget, anchors that resolve back to their text."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.sources import Passage, find_passage, read_source, split_passages

NOTES = """## 1. 訪問の記録

浜松の部品メーカー3社を訪ねた。どの社も電動化に合わせて工程を組み替えている。

二社目では、従業員120人のうち3割が外国籍だった。

## 2. 数字

| 項目 | 値 |
|---|---|
| 出荷額 | 4,365億円 |
| 事業所 | 1,240 |

最後に、次回は磐田市の工業団地を訪ねる予定。
"""


@pytest.fixture
def notes(tmp_path) -> Path:
    path = tmp_path / "notes.md"
    path.write_text(NOTES, encoding="utf-8")
    return path


def test_passages_cover_the_text_within_budget(notes):
    doc = read_source(notes, "sources/notes.md")
    for budget in (40, 80, 200, 10_000):
        passages = split_passages(doc, budget)
        assert all(len(p.text) <= budget for p in passages)
        joined = "".join(p.text for p in passages).replace("\n", "")
        assert joined == doc.text.replace("\n", "")


def test_passages_break_at_headings_and_blank_lines(notes):
    doc = read_source(notes, "sources/notes.md")
    passages = split_passages(doc, 120)
    assert passages[0].text.startswith("## 1. 訪問の記録")
    assert any(p.text.startswith("## 2. 数字") for p in passages)
    assert not any(p.text.startswith("\n") or p.text.endswith("\n") for p in passages)


def test_table_rows_are_never_cut(notes):
    doc = read_source(notes, "sources/notes.md")
    for passage in split_passages(doc, 30):
        for line in passage.text.split("\n"):
            if line.startswith("|"):
                assert line.endswith("|")


def test_anchor_names_original_lines(notes):
    doc = read_source(notes, "sources/notes.md")
    passage = split_passages(doc, 10_000)[0]
    assert passage.where == "L1-L14"
    assert passage.anchor == "sources/notes.md#L1-L14"
    second = [p for p in split_passages(doc, 60) if "3割" in p.text][0]
    assert NOTES.split("\n")[int(second.where.split("-")[0][1:]) - 1] in second.text


def test_a_line_longer_than_the_budget_is_cut_after_sentences(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("一文目は短い。" * 30 + "\n", encoding="utf-8")
    doc = read_source(path)
    passages = split_passages(doc, 50)
    assert all(len(p.text) <= 50 and p.text.endswith("。") for p in passages)
    assert "".join(p.text for p in passages) == doc.text
    assert {p.where for p in passages} == {"L1"}


def test_find_passage_resolves_anchors(notes):
    doc = read_source(notes, "sources/notes.md")
    for passage in split_passages(doc, 60):
        found = find_passage([doc], passage.anchor)
        assert found is not None and passage.text in found.text
    found = find_passage([doc], "sources/notes.md#L3")
    assert found == Passage("sources/notes.md", 3, 3, "浜松の部品メーカー3社を訪ねた。どの社も電動化に合わせて工程を組み替えている。", "L3")
    assert find_passage([doc], "./sources/notes.md#L4-L6").text == "二社目では、従業員120人のうち3割が外国籍だった。"
    assert find_passage([doc], "sources/notes.md").text == doc.text
    assert find_passage([doc], "sources/other.md#L1") is None
    assert find_passage([doc], "sources/notes.md#L500") is None
    assert find_passage([doc], "sources/notes.md#p.2") is None
    assert find_passage([doc], "sources/notes.md#chapter") is None


def test_find_passage_in_a_pdf_by_page(report_pdf):
    doc = read_source(report_pdf, "sources/report.pdf")
    page_three = find_passage([doc], "sources/report.pdf#p.3")
    assert page_three is not None and "450人" in page_three.text and "浜名湖" not in page_three.text
    assert page_three.where.startswith("p.") and page_three.where.endswith("3")
    both = find_passage([doc], "sources/report.pdf#p.1-2")
    assert "浜名湖" in both.text and "450人" not in both.text
    for passage in split_passages(doc, 300):
        assert passage.where.startswith("p.")
        assert passage.text in find_passage([doc], passage.anchor).text


def test_seed_report_passages_fit_the_budget():
    seed = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "source-regional-industry-report.txt"
    if not seed.is_file():
        pytest.skip("optional seed source-regional-industry-report.txt is not in ../shared/seeds/")
    doc = read_source(seed, "sources/report.txt")
    passages = split_passages(doc, 4000)
    assert all(len(p.text) <= 4000 for p in passages)
    assert 10 < len(passages) < 60
    assert all(find_passage([doc], p.anchor) is not None for p in passages)
