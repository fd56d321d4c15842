"""The `sources` frontmatter field: a list of files in the article folder, each checked to exist."""

from __future__ import annotations

from pathlib import Path

from publisher.config import load_config
from publisher.content import load_site
from support.factory import article, make_site, translation


def site_with(tmp_path: Path, sources_yaml: str, files: dict[str, str]) -> Path:
    config = make_site(tmp_path, {"a": {"ja.md": article(sources=sources_yaml), "zh.md": translation()}})
    for name, text in files.items():
        path = tmp_path / "articles" / "a" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return config


def problems(config: Path) -> list[str]:
    return [p.format(config.parent) for p in load_site(load_config(config)).problems]


def test_sources_are_loaded_into_the_article(tmp_path):
    config = site_with(tmp_path, "[sources/report.txt, sources/firms.csv]",
                       {"sources/report.txt": "出荷額は3,700億円。\n", "sources/firms.csv": "a,b\n1,2\n"})
    result = load_site(load_config(config))
    assert result.problems == ()
    assert result.site.articles[0].sources == ("sources/report.txt", "sources/firms.csv")


def test_no_sources_is_an_empty_tuple(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article()}})
    assert load_site(load_config(config)).site.articles[0].sources == ()


def test_missing_source_names_the_frontmatter_line_and_the_file(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": (
        "---\ntitle: t\ndate: 2025-12-05\nsources:\n  - sources/here.txt\n  - sources/gone.pdf\n---\n\n本文。\n")}})
    (tmp_path / "articles" / "a" / "sources").mkdir()
    (tmp_path / "articles" / "a" / "sources" / "here.txt").write_text("ok\n", encoding="utf-8")
    assert problems(config) == [
        "articles/a/ja.md:6: sources: the source file 'sources/gone.pdf' is not in a/; add it (e.g. to "
        "a/sources/) or fix the path (paths are relative to the article folder)"]
    assert load_site(load_config(config)).site.articles == ()


def test_sources_must_be_a_list_of_readable_types_inside_the_folder(tmp_path):
    config = site_with(tmp_path, "sources/report.txt", {"sources/report.txt": "x\n"})
    assert problems(config) == ["articles/a/ja.md:5: sources: must be a list; write `sources: [sources/report.txt]` "
                                "or one `- item` per line"]
    config = site_with(tmp_path / "b", "[sources/report.docx, ../other/x.txt, https://example.com/r.pdf]",
                       {"sources/report.docx": "x"})
    found = problems(config)
    assert len(found) == 3 and all(p.startswith("articles/a/ja.md:5: sources: ") for p in found)
    assert ".txt, .md, .pdf or .csv" in found[0]
    assert "outside the article folder" in found[1]
    assert "not a file in the article folder" in found[2]


def test_sources_in_a_translation_are_refused(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(), "zh.md": translation(sources="[sources/x.txt]")}})
    assert problems(config) == ["articles/a/zh.md:3: sources: is set in the source only and is not read here; "
                                "remove it from this file (set it in ja.md)"]
