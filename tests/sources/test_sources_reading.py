"""Reading and cleaning sources: PDFs made by WeasyPrint, text with extraction defects, CSV, Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from publisher.sources import SourceError, read_source

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def lines_of(doc):
    return doc.text.split("\n")


# --- PDF -----------------------------------------------------------------------------------------------------


def test_pdf_is_really_broken_before_cleaning(report_pdf):
    """The fixture is honest: pypdf's raw text has the furniture and cut lines the cleaner removes."""
    pages = [page.extract_text() for page in pypdf.PdfReader(report_pdf).pages]
    assert len(pages) == 3
    assert all("中部産業調査 2025年版" in page for page in pages)
    assert all(f"{n} / 3" in page for n, page in enumerate(pages, start=1))
    first = pages[0].split("\n")
    assert not any(line.endswith("3.2兆円に達した。") and line.startswith("浜名湖") for line in first)


def test_pdf_running_headers_and_page_numbers_are_removed(report_pdf):
    doc = read_source(report_pdf, "sources/report.pdf")
    assert doc.kind == "pdf" and doc.name == "sources/report.pdf"
    assert "中部産業調査" not in doc.text
    assert not any(re.fullmatch(r"\d+ / \d+", line) for line in lines_of(doc))


def test_body_lines_that_happen_to_repeat_at_the_top_of_pages_are_kept(report_pdf):
    """The report repeats one paragraph, so the same body line opens pages 2 and 3 (at different places):
    that is text, not a running header, and no sentence of the source may be lost."""
    text = read_source(report_pdf, "sources/report.pdf").text
    assert text.count("若手の定着にも効果があったという。") == 1 + 2 * 9
    assert text.count("中部地方の部品メーカーは") == 1 + 2 * 9


def test_pdf_cut_lines_are_joined_without_spaces_in_japanese(report_pdf):
    doc = read_source(report_pdf, "sources/report.pdf")
    joined = next(line for line in lines_of(doc) if line.startswith("浜名湖"))
    assert "2019年に約1,240社を数え、出荷額は合計で3.2兆円に達した。" in joined
    assert joined.endswith("効果があったという。")
    assert " " not in joined


def test_pdf_latin_lines_are_joined_with_one_space(report_pdf):
    doc = read_source(report_pdf, "sources/report.pdf")
    latin = next(line for line in lines_of(doc) if line.startswith("Suppliers"))
    assert latin.endswith("keeps engineers in the area.")
    assert "  " not in latin and "universities, which rarely" in latin


def test_pdf_table_rows_stay_rows_and_headings_stay_lines(report_pdf):
    doc = read_source(report_pdf, "sources/report.pdf")
    lines = lines_of(doc)
    assert "第3章 部品産業の集積" in lines
    assert "3-1. 主要都市の比較" in lines
    assert any("豊橋市" in line and "9,870億円" in line and "磐田市" not in line for line in lines)
    assert any("磐田市" in line and "1兆1,500億円" in line for line in lines)


def test_pdf_lines_know_their_pages(report_pdf):
    doc = read_source(report_pdf, "sources/report.pdf")
    lines = lines_of(doc)
    assert len(doc.lines) == len(lines) == len(doc.ends)
    assert doc.lines[0] == 1
    last = next(i for i, line in enumerate(lines) if "450人" in line)
    assert doc.lines[last] == 3
    assert all(first <= last_page for first, last_page in zip(doc.lines, doc.ends))
    assert any(first < last_page for first, last_page in zip(doc.lines, doc.ends)), "a paragraph crosses a page"


def test_pdf_without_text_is_a_clear_error(tmp_path):
    import weasyprint

    path = tmp_path / "scan.pdf"
    weasyprint.HTML(string="<html><body><div style='height:50mm;background:#888'></div></body></html>").write_pdf(path)
    with pytest.raises(SourceError, match=r"scan\.pdf: no text found; .*OCR"):
        read_source(path)


def test_damaged_pdf_is_a_clear_error(tmp_path, report_pdf):
    path = tmp_path / "broken.pdf"
    path.write_bytes(report_pdf.read_bytes()[:400])
    with pytest.raises(SourceError, match=r"broken\.pdf: (cannot read the PDF|no text found)"):
        read_source(path)


# --- text with extraction defects ----------------------------------------------------------------------------

#: Made up for the tests, shaped like the text a PDF converter leaves: blank lines between every line, a
#: sentence cut mid-word, a rotated chart label one character per line, a bare figure label, a credit line
#: repeated under every chart, a page-number line, and two lists of labels side by side.
EXTRACTED = """ 調査の概要

◼ 北陸の医薬品産業では、県の研究所と地元大学が共同で人材を育てる仕組みが二十年にわたり続いて

きた。製造額は2,374億円から6,937億円に増えた。

出

荷

額

の

推

移

【図表3】

出所：各県の公開資料より作成

◼ 同じ期間に、関連企業は10社から150社に増え、従業員数も1万人を超えた。新しい工場の多くは

港に近い工業団地に建てられ、原料の輸入と製品の出荷にかかる時間が半分ほどに縮まったと言われ

た。

出所：各県の公開資料より作成

- 12 -

1

2

3

ア

イ

ウ

出所：各県の公開資料より作成

Cooperation between the prefecture and the univer-

sity began in 2003 and has continued since.
"""


@pytest.fixture
def extracted(tmp_path) -> Path:
    path = tmp_path / "extracted.txt"
    path.write_text(EXTRACTED, encoding="utf-8")
    return path


def test_text_cut_lines_are_joined_across_noise_blank_lines(extracted):
    doc = read_source(extracted, "sources/extracted.txt")
    lines = lines_of(doc)
    assert "◼ 北陸の医薬品産業では、県の研究所と地元大学が共同で人材を育てる仕組みが二十年にわたり続いて" \
           "きた。製造額は2,374億円から6,937億円に増えた。" in lines
    assert any(line.endswith("時間が半分ほどに縮まったと言われた。") for line in lines)
    assert "" not in lines, "blank lines between every line are noise and are dropped"


def test_text_rotated_label_becomes_one_line(extracted):
    assert "出荷額の推移" in lines_of(read_source(extracted))


def test_text_figure_labels_credits_and_page_numbers_are_dropped(extracted):
    text = read_source(extracted).text
    assert "【図表3】" not in text
    assert "出所" not in text
    assert "- 12 -" not in text


def test_text_lists_of_labels_are_not_glued_into_a_number(extracted):
    lines = lines_of(read_source(extracted))
    assert "123" not in lines and "123アイウ" not in lines
    assert {"1", "2", "3"} <= set(lines)


def test_text_hyphenation_is_undone(extracted):
    lines = lines_of(read_source(extracted))
    assert "Cooperation between the prefecture and the university began in 2003 and has continued since." in lines


def test_text_lines_map_to_original_lines(extracted):
    doc = read_source(extracted)
    lines = lines_of(doc)
    index = next(i for i, line in enumerate(lines) if line.startswith("◼ 北陸"))
    assert (doc.lines[index], doc.ends[index]) == (3, 5)
    index = lines.index("出荷額の推移")
    assert (doc.lines[index], doc.ends[index]) == (7, 17)


#: A flattened table: tab-separated cells, a header row with an empty first cell, cells wrapped inside the PDF
#: that keep a stray space where they wrapped.
TABLE = ("表 東海三県の重点産業\n\n"
         "\t産業\t重点分野\t対象地域\n"
         "基幹産業\t輸送機器\t電動車の部品と 軽量素材の開発を進める。\t豊田市、浜松市、 鈴鹿市\n"
         "\t工作機械\tNC Machine toolsの高度化\t岐阜市、大垣 市\n")


def test_table_rows_are_kept_with_their_cells(tmp_path):
    path = tmp_path / "table.txt"
    path.write_text(TABLE, encoding="utf-8")
    lines = lines_of(read_source(path))
    assert " | 産業 | 重点分野 | 対象地域" in lines
    assert "基幹産業 | 輸送機器 | 電動車の部品と軽量素材の開発を進める。 | 豊田市、浜松市、鈴鹿市" in lines
    assert " | 工作機械 | NC Machine toolsの高度化 | 岐阜市、大垣市" in lines


def test_form_feeds_are_pages_and_their_headers_go(tmp_path):
    bodies = ["工場の新設は二件。", "研修の受講者は40人。", "輸出は前年並み。"]
    pages = [f"月報 第{n}号\n{body}\n{n}\n" for n, body in enumerate(bodies, start=1)]
    path = tmp_path / "paged.txt"
    path.write_text("\f".join(pages), encoding="utf-8")
    text = read_source(path).text
    assert "月報" not in text
    assert [line for line in text.split("\n") if line] == bodies
    assert not any(line.strip().isdigit() for line in text.split("\n"))


# --- Markdown, CSV, errors -----------------------------------------------------------------------------------


def test_markdown_is_kept_line_for_line(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# メモ\n\n\n\n訪問先は3カ所。\n次の行。\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    doc = read_source(path, "sources/notes.md")
    assert doc.kind == "md"
    assert doc.text == "# メモ\n\n訪問先は3カ所。\n次の行。\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    assert doc.lines == (1, 2, 5, 6, 7, 8, 9, 10)


def test_csv_rows_become_labelled_lines(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text("都市,企業数,出荷額（億円）\n豊橋市,612,\"9,870\"\n\n磐田市,388,11500\n", encoding="utf-8")
    doc = read_source(path, "sources/firms.csv")
    assert lines_of(doc) == ["都市 | 企業数 | 出荷額（億円）",
                             "都市: 豊橋市 | 企業数: 612 | 出荷額（億円）: 9,870",
                             "都市: 磐田市 | 企業数: 388 | 出荷額（億円）: 11500"]
    assert doc.lines == (1, 2, 4)


def test_tab_separated_csv_is_sniffed(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text("都市\t企業数\n豊橋市\t612\n磐田市\t388\n", encoding="utf-8")
    assert lines_of(read_source(path))[1] == "都市: 豊橋市 | 企業数: 612"


def test_other_encodings_are_a_clear_error(tmp_path):
    path = tmp_path / "sjis.txt"
    path.write_bytes("一行目\n出荷額は2,374億円。\n".encode("shift_jis"))
    with pytest.raises(SourceError, match=r"sjis\.txt:1: the file is not UTF-8 .*re-save it as UTF-8"):
        read_source(path)


def test_unsupported_type_and_missing_file_are_clear_errors(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(SourceError, match=r"report\.docx: sources must be \.txt, \.md, \.pdf or \.csv"):
        read_source(path)
    with pytest.raises(SourceError, match=r"missing\.txt: no such file"):
        read_source(tmp_path / "missing.txt")
    with pytest.raises(SourceError, match="no text found"):
        (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
        read_source(tmp_path / "empty.txt")


# --- the seeds, when present ---------------------------------------------------------------------------------


def _seed(name: str) -> Path:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"optional seed {name} is not present in ../shared/seeds/ (the tests above cover the same "
                    "defects with their own text)")
    return path


def test_seed_report_is_cleaned():
    doc = read_source(_seed("source-regional-industry-report.txt"), "sources/report.txt")
    lines = lines_of(doc)
    assert "" not in lines
    assert not any(line.startswith("出所：各種公開情報よりNRI作成") for line in lines)
    assert not any(re.fullmatch(r"【図表\d+】", line) for line in lines)
    # a sentence cut over two lines (with a blank line between) is one line again
    assert any(line.endswith("外部環境の変化に直面している。") for line in lines)
    # a number broken by the extraction is whole again
    assert any("1.9兆円" in line for line in lines)
    assert any("(2000-2019, %)" in line for line in lines)
    assert len(lines) < 0.5 * len(doc.path.read_text("utf-8").split("\n"))


def test_seed_table_cells_are_mended():
    doc = read_source(_seed("source-guangdong-clusters-table.txt"), "sources/guangdong.txt")
    lines = lines_of(doc)
    assert any("省東部、西部、北部" in line for line in lines)
    assert all(" | " in line for line in lines if "集積産業" in line)
