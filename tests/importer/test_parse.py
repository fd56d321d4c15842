"""Reading exports (text and saved HTML) and finding header, furniture and notices."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from importer.conftest import HTML_EXPORT, TEXT_EXPORT

from publisher.importer.model import BlockKind, Notices
from publisher.importer.parse import NotAnExport, parse_page
from publisher.importer.reading import UnreadableFile, read_export


def page_of(path: Path):
    return parse_page(path, read_export(path))


def write(tmp_path: Path, text: str, name: str = "export.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_binary(path: Path) -> Path:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return path


MINIMAL = "【中国T09】 展示会のあとで差がつく 3つの連絡2025.10.01\n1. 名刺の整理\n①当日のうちに\n連絡する。\n"


def test_header_gives_code_title_and_the_date_glued_to_the_title() -> None:
    page = page_of(TEXT_EXPORT)
    assert page.code == "中国T01"
    assert page.title == "越境ECで伸びる内陸都市 3つの特徴と入り方"
    assert page.date == date(2025, 11, 20)


def test_sections_and_sub_blocks_are_found() -> None:
    page = page_of(TEXT_EXPORT)
    assert page.sections == ("1. 沿岸だけを見ていると見落とすもの", "2. 内陸都市の3つの特徴")
    assert page.sub_blocks == ("【特徴❶】鄭州(河南省)", "【特徴❷】重慶(直轄市)", "(例❶) 大阪の化粧品メーカーA社",
                               "【特徴❸】西安(陝西省)")
    kinds = [b.kind for b in page.blocks]
    for kind in (BlockKind.FLOW, BlockKind.TERM, BlockKind.SUMMARY, BlockKind.LIST, BlockKind.TAGLINE,
                 BlockKind.REFERENCE):
        assert kind in kinds, kind


def test_furniture_is_dropped_and_notices_become_flags() -> None:
    page = page_of(TEXT_EXPORT)
    assert page.notices == Notices(ai_text=True, ai_image="Stable Diffusion XL", pseudonyms=True)
    assert page.dropped == ("breadcrumbs", "ranking (3 entries)", "feedback prompt", "AI text notice",
                            "AI image notice", "pseudonym notice", "phone reading notice", "copyright notice",
                            "contact block")
    body = " ".join(b.text + " ".join(b.items) for b in page.blocks)
    for furniture in ("トップ", "人気情報ランキング", "展示会で名刺", "ご意見", "著作権", "お問い合わせ", "スマホ", "※"):
        assert furniture not in body, furniture


def test_lines_it_cannot_place_are_reported_with_their_line() -> None:
    page = page_of(TEXT_EXPORT)
    reported = {(p.line, p.severity) for p in page.unplaced}
    assert reported == {(9, "warning"), (71, "warning")}  # ログイン before the header, a share button after
    assert "ログイン" in page.unplaced[0].message and "left out" in page.unplaced[0].message


def test_absent_notices_give_no_flags(tmp_path: Path) -> None:
    page = page_of(write(tmp_path, MINIMAL + "\n「この記事についてのご意見をお聞かせください」\n"
                                            "掲載内容の著作権は当社に帰属します。\n"))
    assert page.notices == Notices()
    assert page.dropped == ("feedback prompt", "copyright notice")


def test_radical_look_alikes_are_read_as_the_kanji(tmp_path: Path) -> None:
    page = page_of(write(tmp_path, MINIMAL + "※画像は ImageModel-2によって\u2f63成されたものです。\n"))
    assert page.notices.ai_image == "ImageModel-2"
    lines = read_export(write(tmp_path, "お役\u2f74ち情報\n", "radicals.txt"))
    assert lines[0].text == "お役立ち情報"


def test_date_on_the_line_after_the_header(tmp_path: Path) -> None:
    page = page_of(write(tmp_path, "【中国T09】 展示会のあとで差がつく 3つの連絡\n2025.10.01\n1. 名刺の整理\n本文。\n"))
    assert (page.code, page.title, page.date) == ("中国T09", "展示会のあとで差がつく 3つの連絡", date(2025, 10, 1))
    assert page.sections == ("1. 名刺の整理",)


def test_ranking_entries_are_not_mistaken_for_the_header(tmp_path: Path) -> None:
    text = "人気情報ランキング\n- 1【中国T02】 別の記事2025.01.01\n" + MINIMAL
    assert page_of(write(tmp_path, text)).code == "中国T09"


def test_a_file_without_header_is_not_an_export(tmp_path: Path) -> None:
    with pytest.raises(NotAnExport, match="no header line"):
        page_of(write(tmp_path, "ただのメモです。\n記事ではありません。\n"))


def test_an_impossible_header_date_is_named(tmp_path: Path) -> None:
    with pytest.raises(NotAnExport, match=r"export.txt:1: .*2025.02.30 is not a real date"):
        page_of(write(tmp_path, "【中国T09】 題名2025.02.30\n本文。\n"))


def test_shift_jis_and_bom_exports_are_read(tmp_path: Path) -> None:
    assert page_of(write(tmp_path, MINIMAL, "sjis.txt", "cp932")).title == "展示会のあとで差がつく 3つの連絡"
    assert page_of(write(tmp_path, "\ufeff" + MINIMAL, "bom.txt")).code == "中国T09"
    assert page_of(write(tmp_path, MINIMAL, "utf16.txt", "utf-16")).code == "中国T09"


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.txt", "does not exist"),
    (lambda d: d, "is a folder"),
    (lambda d: write_binary(d / "image.png"), "not text"),
])
def test_unreadable_files_raise_a_clear_error(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        read_export(make(tmp_path))


def test_saved_html_page_gives_the_same_article_as_the_text_export() -> None:
    text_page, html_page = page_of(TEXT_EXPORT), page_of(HTML_EXPORT)
    assert (html_page.code, html_page.title, html_page.date) == (text_page.code, text_page.title, text_page.date)
    assert html_page.notices == text_page.notices
    assert [(b.kind, b.text, b.items, b.footnotes) for b in html_page.blocks] == [
        (b.kind, b.text, b.items, b.footnotes) for b in text_page.blocks]
    assert html_page.dropped == text_page.dropped


def test_html_images_are_reported_not_lost_silently() -> None:
    messages = [p.message for p in page_of(HTML_EXPORT).unplaced]
    assert any("t01-hero.jpg" in m and "was not imported" in m for m in messages)


def test_html_menus_and_the_site_header_and_footer_are_not_read() -> None:
    page = page_of(HTML_EXPORT)
    assert len(page.unplaced) == 1  # the image; not the login link, the company links or the site's copyright line
    text = " ".join(line.text for line in read_export(HTML_EXPORT))
    assert "ログイン" not in text and "会社概要" not in text and "© Sample" not in text
    assert "無断での転載" in text  # the article's own notices are read


def test_html_detected_by_content_without_suffix(tmp_path: Path) -> None:
    path = tmp_path / "saved-page"
    path.write_bytes(HTML_EXPORT.read_bytes())
    assert page_of(path).sub_blocks == page_of(HTML_EXPORT).sub_blocks


def test_html_in_shift_jis_is_decoded_by_its_declaration(tmp_path: Path) -> None:
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head><body>'
            '<h1>【中国T09】 展示会のあとで差がつく 3つの連絡<span>2025.10.01</span></h1>'
            '<p>1. 名刺の整理</p><p>①当日のうちに<br>連絡する。</p></body></html>')
    path = tmp_path / "sjis.html"
    path.write_bytes(html.encode("cp932"))
    page = page_of(path)
    assert page.title == "展示会のあとで差がつく 3つの連絡"
    assert [b.text for b in page.blocks] == ["1. 名刺の整理", "①当日のうちに連絡する。"]
