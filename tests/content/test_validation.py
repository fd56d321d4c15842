"""Every validation message of `publish check`: located, explained, no traceback."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.config import load_config
from publisher.content import load_site
from support.factory import article, make_site, translation

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+)?:? ?(?P<field>[\w.]+): (?P<message>.+)$")


def check(config_path: Path) -> tuple[int, list[str]]:
    """Run `publish check` from the site folder; return the exit code and its stderr lines."""
    with contextlib.chdir(config_path.parent):
        result = CliRunner().invoke(main, ["check", "--config", str(config_path)], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result.exit_code, [line for line in result.stderr.splitlines() if line]


def problems_of(config_path: Path) -> list[str]:
    result = load_site(load_config(config_path))
    return [p.format(config_path.parent) for p in result.problems]


def single_problem(config_path: Path) -> str:
    found = problems_of(config_path)
    assert len(found) == 1, found
    return found[0]


def test_valid_site_has_no_problems(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(summary="要約。", tags="[物流]"),
                                        "zh.md": translation(summary="摘要。", tags="[物流]")}})
    code, lines = check(config)
    assert code == 0
    assert lines == []


def test_bad_yaml_names_the_line(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": "---\ntitle: ok\ndate: 2025-12-05\ntags: [a, b\n---\nbody\n"}})
    message = single_problem(config)
    assert message.startswith("articles/a/ja.md:")
    assert "frontmatter: invalid YAML" in message
    line = int(message.split(":")[1])
    assert line in (4, 5)  # the unclosed list, or where the parser noticed it


def test_wrong_type(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(tags="日本")}})
    assert single_problem(config) == (
        "articles/a/ja.md:5: tags: must be a list; write `tags: [日本]` or one `- item` per line")


def test_title_required(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": "---\ndate: 2025-12-05\n---\nbody\n"}})
    message = single_problem(config)
    assert message == "articles/a/ja.md:1: title: is required; add `title: ...` to the frontmatter"


@pytest.mark.parametrize("value, expected", [
    ("2025-02-30", "2025-02-30 is not a real date; check the month and day"),
    ("2025-13-01", "2025-13-01 is not a real date; check the month and day"),
    ("next week", "'next week' is not a date; write it as YYYY-MM-DD, e.g. 2025-12-05"),
])
def test_impossible_date(tmp_path, value, expected):
    config = make_site(tmp_path, {"a": {"ja.md": article(date=value)}})
    assert single_problem(config) == f"articles/a/ja.md:3: date: {expected}"


def test_impossible_publish_at(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(publish_at="2025-12-05T25:00")}})
    message = single_problem(config)
    assert message.startswith("articles/a/ja.md:5: publish_at: 2025-12-05T25:00 is not a real date and time")


def test_unknown_status(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(status="live")}})
    assert single_problem(config) == (
        "articles/a/ja.md:4: status: 'live' is not a status; use one of: draft, review, published")


def test_unknown_language_file(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(), "en.md": translation(title="Test")}})
    message = single_problem(config)
    assert message.startswith("articles/a/en.md: language: unknown language 'en'")
    assert "add 'en' to site.languages" in message


def test_translation_without_source(tmp_path):
    config = make_site(tmp_path, {"a": {"zh.md": translation()}})
    assert single_problem(config) == (
        "articles/a/zh.md: source: this translation has no source file; add ja.md (the ja original) to a/")


def test_duplicate_slug_case_insensitive(tmp_path):
    config = make_site(tmp_path, {"guide": {"ja.md": article()}, "Guide": {"ja.md": article()}})
    found = problems_of(config)
    assert any("slug: duplicate slug" in line for line in found), found


def test_invalid_slug_suggests_one(tmp_path):
    config = make_site(tmp_path, {"My Article": {"ja.md": article()}})
    message = single_problem(config)
    assert "rename it, e.g. to 'my-article'" in message


def test_duplicate_code(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(code="中国G01")}, "b": {"ja.md": article(code="中国G01")}})
    assert single_problem(config) == (
        "articles/b/ja.md:5: code: 中国G01 is also the code of a; codes name one article each, "
        "give this one the next free number")


def test_related_slug_must_exist(tmp_path):
    config = make_site(tmp_path, {"alpha": {"ja.md": article(related="[alpah]")}})
    assert single_problem(config) == "articles/alpha/ja.md:5: related: no article 'alpah' exists; did you mean 'alpha'?"


def test_related_to_itself(tmp_path):
    config = make_site(tmp_path, {"alpha": {"ja.md": article(related="[alpha]")}})
    assert "the article lists itself" in single_problem(config)


def test_missing_hero_image(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(hero="hero.png", hero_alt="図")}})
    assert single_problem(config) == (
        "articles/a/ja.md:5: hero: the image 'hero.png' is not in a/; add the file or fix the name")


def test_hero_needs_alt(tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    config = make_site(tmp_path, {"a": {"ja.md": article(hero="hero.svg"), "hero.svg": svg}})
    assert "hero_alt: is required when `hero` is set" in single_problem(config)


def test_missing_inline_image_names_body_line(tmp_path):
    body = "段落。\n\n![グラフ](chart.png)\n"
    config = make_site(tmp_path, {"a": {"ja.md": article(body=body)}})
    # frontmatter is 5 lines + a blank line: the body starts on line 7, the image is on line 9.
    assert single_problem(config) == (
        "articles/a/ja.md:9: image: the image 'chart.png' is not in a/; add the file or fix the name")


def test_non_utf8_file(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article().encode("shift_jis")}})
    message = single_problem(config)
    assert re.match(r"articles/a/ja.md:2: encoding: the file is not UTF-8 \(byte 0x[0-9a-f]{2}\); re-save it as UTF-8",
                    message), message


def test_no_frontmatter(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": "# タイトル\n本文\n"}})
    assert "frontmatter: the file has no frontmatter" in single_problem(config)


def test_source_only_field_in_translation(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(), "zh.md": translation(publish_at="2025-12-06")}})
    assert single_problem(config) == (
        "articles/a/zh.md:3: publish_at: is set in the source only and is not read here; "
        "remove it from this file (set it in ja.md)")


def test_unknown_field_is_a_warning_with_suggestion(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(sumary="概要")}})
    assert single_problem(config) == "articles/a/ja.md:5: sumary: warning: unknown field, ignored; did you mean `summary`?"


def test_ai_flags(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(ai="{text: yes please, image: true}")}})
    found = problems_of(config)
    assert any("ai: must be true or false" in line for line in found), found
    assert any("`image` names the image model" in line for line in found), found


def test_every_problem_reported_at_once_with_exit_1(tmp_path):
    config = make_site(tmp_path, {
        "a": {"ja.md": article(date="2025-02-30")},
        "b": {"ja.md": article(status="done")},
        "c": {"zh.md": translation()},
    })
    code, lines = check(config)
    assert code == 1
    assert [line.split(":")[0] for line in lines[:3]] == ["articles/a/ja.md", "articles/b/ja.md", "articles/c/zh.md"]
    assert lines[-1] == "3 error(s), 0 warning(s) in articles/"


def test_config_problems_located(tmp_path):
    text = (Path(__file__).parents[2] / "publisher.toml").read_text("utf-8")
    text = text.replace('timezone = "Asia/Tokyo"', 'timezone = "Asia/Tokio"')
    text = text.replace('languages = ["ja", "zh"]', 'languages = ["ja", "zh", "en"]')
    config = make_site(tmp_path, {"a": {"ja.md": article()}}, config=text)
    code, lines = check(config)
    assert code == 1
    assert any(re.match(r"publisher.toml:\d+: site.timezone: unknown time zone 'Asia/Tokio'", line) for line in lines), lines
    assert any("strings.en: missing [strings.en]" in line for line in lines), lines
    assert lines[-1].startswith("error: fix publisher.toml first")


def test_invalid_toml(tmp_path):
    config = make_site(tmp_path, {}, config='[site]\nbase_url = "https://x.example/\n')
    code, lines = check(config)
    assert code == 1
    assert lines[0].startswith("publisher.toml:2: toml: invalid TOML")


def test_build_refuses_and_points_to_check(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": article(date="2025-02-30")}})
    result = CliRunner().invoke(main, ["build", "--config", str(config), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "run `publish check` to see them all" in result.stderr
    assert not (tmp_path / "out").exists()


def test_unclosed_yaml_list_names_where_it_started(tmp_path):
    config = make_site(tmp_path, {"a": {"ja.md": "---\ntitle: [unclosed\ndate: 2025-12-05\n---\nbody\n"}})
    message = single_problem(config)
    assert message.startswith("articles/a/ja.md:3: frontmatter: invalid YAML")
    assert "started on line 2" in message


def test_check_without_config_says_where_it_looked(tmp_path):
    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: no publisher.toml in {tmp_path.resolve()} or any folder above it: "
        "run publish from the site's folder or pass --config PATH")


def test_new_article_is_a_valid_draft(tmp_path):
    config = make_site(tmp_path, {})
    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(main, ["new", "city-growth", "--title", "成長都市: 2026年版", "--code", "中国S09",
                                           "--date", "2026-01-05"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("created articles/city-growth/ja.md (status: draft)")
    loaded = load_site(load_config(config))
    assert loaded.problems == ()
    (created,) = loaded.site.articles
    assert (created.source.title, created.code, str(created.date), created.source.status.value) == (
        "成長都市: 2026年版", "中国S09", "2026-01-05", "draft")


def test_new_never_overwrites(tmp_path):
    config = make_site(tmp_path, {"taken": {"ja.md": article(title="元の記事")}})
    result = CliRunner().invoke(main, ["new", "taken", "--title", "別の記事", "--config", str(config)])
    assert result.exit_code == 1
    assert "already exists; choose another slug" in result.stderr
    assert "元の記事" in (tmp_path / "articles/taken/ja.md").read_text("utf-8")


def test_translation_without_hero_alt_is_warned(tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    config = make_site(tmp_path, {"a": {"ja.md": article(hero="hero.svg", hero_alt="図"), "hero.svg": svg,
                                        "zh.md": translation()}})
    assert single_problem(config) == (
        "articles/a/zh.md:1: hero_alt: warning: missing: the article has a hero image, so this page would "
        "describe it with the ja.md alt text; add `hero_alt:` in this language")


def test_missing_image_inside_a_table(tmp_path):
    body = "| 図 |\n| --- |\n| ![グラフ](chart.png) |\n"
    config = make_site(tmp_path, {"a": {"ja.md": article(body=body)}})
    assert "image: the image 'chart.png' is not in a/" in single_problem(config)


def test_new_article_has_commented_hints_and_no_empty_section(tmp_path):
    make_site(tmp_path, {})
    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(main, ["new", "hints", "--title", "ヒント", "--date", "2026-01-05"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "articles" / "hints" / "ja.md").read_text("utf-8")
    for hint in ("# One or two sentences", "summary: \"\"", "# Tags, separated by a half-width comma",
                 "# hero: hero.png", "# hero_alt: ", "<!-- Hints"):
        assert hint in text, hint
    assert "## 1. \n" not in text
    with contextlib.chdir(tmp_path):
        assert CliRunner().invoke(main, ["check", "--strict"]).exit_code == 0


def test_short_help_texts_are_whole_sentences():
    from publisher.cli import SHORT_HELP

    result = CliRunner().invoke(main, ["--help"], terminal_width=80)
    assert "..." not in result.output.split("Commands:")[1]
    assert set(SHORT_HELP) == set(main.commands)
    for name, text in SHORT_HELP.items():
        assert text.endswith(".") and text[0].isupper(), name
        assert text in " ".join(result.output.split()), name
