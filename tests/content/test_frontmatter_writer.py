"""The one frontmatter style of files publisher writes (`new`, `import`, `draft`, `translate`)."""

from datetime import date
from pathlib import Path

from publisher.content.frontmatter import document_text, frontmatter_text, read_document

LONG_TITLE = "Growth cities of inland China: what Japanese suppliers learned from ten years of moving plants west"


def test_fields_in_order_text_as_written_collections_in_flow_style() -> None:
    fields = {"title": "成長都市: 2026年版", "code": "中国S09", "date": date(2026, 1, 5), "status": "draft",
              "tags": ["製造", "華南"], "ai": {"text": True}, "summary": ""}
    assert document_text(fields, "## 1. \n\n") == (
        "---\ntitle: '成長都市: 2026年版'\ncode: 中国S09\ndate: 2026-01-05\nstatus: draft\n"
        "tags: [製造, 華南]\nai: {text: true}\nsummary: ''\n---\n\n## 1. \n\n")


def test_a_long_value_stays_on_one_line(tmp_path: Path) -> None:
    header = frontmatter_text({"title": LONG_TITLE, "tags": [f"tag{n}" for n in range(40)]})
    assert header.splitlines()[1] == f"title: '{LONG_TITLE}'" and len(header.splitlines()) == 4
    path = tmp_path / "ja.md"
    path.write_text(document_text({"title": LONG_TITLE}, "本文。\n"), "utf-8")
    raw, problems = read_document(path)
    assert problems == [] and raw is not None
    assert raw.fields == {"title": LONG_TITLE} and raw.body == "本文。\n" and raw.body_line == 5
