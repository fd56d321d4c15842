"""House-style rules on the frontmatter: list separators inside a tag, near-copies of a tag, published
pages without a summary or tags; and `publish check --strict`."""

from __future__ import annotations

import contextlib
from pathlib import Path

from click.testing import CliRunner
from support.factory import article, make_site, translation

from publisher.cli import main
from publisher.config import load_config
from publisher.content import load_site
from publisher.house_style import site_warnings

SUMMARY = "summary: 一文の要約。"


def style_warnings(config_path: Path) -> list[str]:
    return [p.format(config_path.parent) for p in site_warnings(load_site(load_config(config_path)).site)]


def run_check(config_path: Path, *args: str):
    with contextlib.chdir(config_path.parent):
        return CliRunner().invoke(main, ["check", "--config", str(config_path), *args], catch_exceptions=False)


def test_japanese_comma_inside_one_tag(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"a": {"ja.md": article(tags="[物流、上海、倉庫]", summary="要約。")}})
    (found,) = style_warnings(config)
    assert found.startswith("articles/a/ja.md:5: tags: warning: `物流、上海、倉庫` is one tag")
    assert "write `tags: [物流, 上海, 倉庫]`" in found


def test_chinese_comma_inside_one_tag(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"a": {"ja.md": article(tags="[物流]", summary="要約。"),
                                        "zh.md": translation(tags="[物流，上海]", summary="摘要。")}})
    (found,) = style_warnings(config)
    assert found.startswith("articles/a/zh.md:3: tags:") and "write `tags: [物流, 上海]`" in found


def test_tags_separated_right_give_no_warning(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"a": {"ja.md": article(tags="[物流, 上海, 倉庫]", summary="要約。")},
                                  "b": {"ja.md": article(tags="[上海, 北海]", summary="要約。")}})
    assert style_warnings(config) == []  # 上海 / 北海: short tags differ by a character legitimately


def test_a_tag_differing_by_a_long_vowel_mark_gets_did_you_mean(tmp_path: Path) -> None:
    config = make_site(tmp_path, {
        "a": {"ja.md": article(tags="[産業クラスター]", summary="要約。")},
        "b": {"ja.md": article(tags="[産業クラスター, 広東省]", summary="要約。")},
        "c": {"ja.md": article(tags="[産業クラスタ]", summary="要約。")},
    })
    (found,) = style_warnings(config)
    assert found.startswith("articles/c/ja.md:5: tags: warning: did you mean `産業クラスター`?")
    assert "of 2 page(s)" in found


def test_a_long_tag_differing_by_one_character_gets_did_you_mean(tmp_path: Path) -> None:
    config = make_site(tmp_path, {
        "a": {"ja.md": article(tags="[サプライチェーン]", summary="要約。")},
        "b": {"ja.md": article(tags="[サプライチェーン]", summary="要約。")},
        "c": {"ja.md": article(tags="[サプライチューン]", summary="要約。")},
    })
    (found,) = style_warnings(config)
    assert "articles/c/ja.md" in found and "did you mean `サプライチェーン`?" in found


def test_tags_of_other_languages_are_not_compared(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"a": {"ja.md": article(tags="[産業政策]", summary="要約。"),
                                        "zh.md": translation(tags="[产业政策]", summary="摘要。")}})
    assert style_warnings(config) == []


def test_published_page_without_summary_or_tags(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"a": {"ja.md": article(summary="''")}})
    found = style_warnings(config)
    assert [line.split(": warning:")[0] for line in found] == ["articles/a/ja.md:2: tags", "articles/a/ja.md:5: summary"]
    draft = make_site(tmp_path / "draft", {"a": {"ja.md": article(status="draft")}})
    assert style_warnings(draft) == []


def test_check_prints_house_style_warnings_and_strict_fails_on_them(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"a": {"ja.md": article(body="①一つ目。\n②二つ目。\n", tags="[物流]",
                                                         summary="要約。")}})
    result = run_check(config)
    assert result.exit_code == 0
    assert "articles/a/ja.md:10: point: warning:" in result.stderr
    assert result.stdout.strip() == "ok: 1 article(s), 1 warning(s)"
    strict = run_check(config, "--strict")
    assert strict.exit_code == 1
    assert "1 warning(s) in articles/; --strict fails on warnings" in strict.stderr


def test_strict_passes_a_clean_site(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"a": {"ja.md": article(body="①一つ目。\n\n②二つ目。\n", tags="[物流]",
                                                         summary="要約。")}})
    result = run_check(config, "--strict")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ok: 1 article(s), 0 warning(s)"


def test_with_the_cache_a_body_is_read_once_and_the_warnings_are_the_same(tmp_path: Path) -> None:
    """`publish check` keeps each body's warnings in the build cache by its text, place, language and status."""
    from publisher.cache import Cache

    config_path = make_site(tmp_path, {"a": {"ja.md": article(body="前の段落。\n\n↓次に、計画へ取り込む。\n",
                                                              tags="[物流]", summary="要約。")},
                                       "b": {"ja.md": article(tags="[上海]", summary="要約。")}})
    config = load_config(config_path)
    cache = Cache(config.cache_folder)
    first = site_warnings(load_site(config).site, cache)
    assert [p.field for p in first] == ["flow marker"]
    assert first == site_warnings(load_site(config).site) == site_warnings(load_site(config).site, cache)
    assert len(cache.keys("house-style")) == 2
    source = config_path.parent / "articles/a/ja.md"
    source.write_text(source.read_text("utf-8").replace("↓次に", "↓\n\n次に"), "utf-8")
    assert site_warnings(load_site(config).site, cache) == ()  # the edited body read again
    source.write_text(source.read_text("utf-8").replace("status: published", "status: draft"), "utf-8")
    assert site_warnings(load_site(config).site, cache) == site_warnings(load_site(config).site)
