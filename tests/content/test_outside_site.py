"""Nothing from outside the site is published: `check` reports it (located), `build` refuses it."""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.config import load_config
from publisher.content import load_site
from publisher.errors import BuildRefused
from publisher.site.build import BuildOptions, build_site
from support.factory import article, make_site

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def check_lines(config_path) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--config", str(config_path)])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    return [line for line in result.output.splitlines() if ": " in line]


@pytest.fixture()
def secret(tmp_path):
    path = tmp_path / "secret.png"
    path.write_bytes(b"top secret")
    return path


def refused(config_path, tmp_path):
    config = load_config(config_path)
    with pytest.raises(BuildRefused):
        build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out", jobs=1, pdfs=False))
    assert not (tmp_path / "out").exists()


def test_a_symlinked_image_pointing_outside_the_site_is_an_error_naming_the_file(tmp_path, secret):
    config_path = make_site(tmp_path / "site", {"a": {"ja.md": article()}})
    (tmp_path / "site/articles/a/leak.png").symlink_to(secret)
    lines = check_lines(config_path)
    assert any("/articles/a/leak.png: file: is a link to a file outside the site" in line for line in lines), lines
    refused(config_path, tmp_path)


def test_a_symlinked_article_folder_outside_articles_is_refused(tmp_path):
    config_path = make_site(tmp_path / "site", {"a": {"ja.md": article()}})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "ja.md").write_text(article(), "utf-8")
    (tmp_path / "site/articles/b").symlink_to(elsewhere)
    result = load_site(load_config(config_path))
    assert [p.field for p in result.errors] == ["folder"]
    assert [a.slug for a in result.site.articles] == ["a"]


@pytest.mark.parametrize("hero", ["/etc/passwd", "file:///etc/passwd", "javascript:alert(1)", "../b/x.png",
                                  "https://example.com/x.png", "sub/x.png"])
def test_hero_is_a_file_name_in_the_article_folder(tmp_path, hero):
    config_path = make_site(tmp_path / "site", {"a": {"ja.md": article(hero=f"'{hero}'", hero_alt="説明")}})
    lines = check_lines(config_path)
    assert any("/articles/a/ja.md:5: hero: " in line and "is not a file name" in line for line in lines), lines


def test_sources_and_body_images_through_a_symlink_out_of_the_folder_are_errors(tmp_path, secret):
    config_path = make_site(tmp_path / "site", {"a": {"ja.md": article(
        sources="[sources/s.txt]", body="本文。\n\n![図](../../../secret.png)\n")}})
    folder = tmp_path / "site/articles/a"
    (folder / "sources").mkdir()
    (folder / "sources/s.txt").symlink_to(secret)
    fields = sorted(p.field for p in load_site(load_config(config_path)).errors)
    assert fields == ["image", "sources"]


def test_bad_names_and_values_are_one_located_line_each(tmp_path):
    config_path = make_site(tmp_path / "site", {
        "a": {"ja.md": article(tags='["a\\0b"]')},
        "b": {"ja.md": article(tags="[" + "漢" * 90 + "]")},
        "c": {"ja.md": article(), os.fsdecode(b"\xff.png"): b"x"},
    })
    os.mkdir(tmp_path / "site/articles" / "bad\nname")
    lines = check_lines(config_path)
    assert any(line.endswith("/articles/a/ja.md:5: tags: has an item with a control character (such as a NUL byte); "
                              "remove it") for line in lines), lines
    assert any("/articles/b/ja.md:5: tags: the tag " in line for line in lines), lines
    assert any("/articles/c/\\xff.png: file: the file name is not valid UTF-8" in line for line in lines), lines
    assert any("/articles/bad\\x0aname: slug: " in line for line in lines), lines


def test_the_ranking_file_must_be_a_regular_file_inside_the_site(tmp_path):
    config_path = make_site(tmp_path / "site", {"a": {"ja.md": article()}})
    text = config_path.read_text("utf-8")
    config_path.write_text(text + '\n[ranking]\nfile = "/dev/zero"\n' if "[ranking]" not in text
                           else text.replace("[ranking]\n", '[ranking]\nfile = "/dev/zero"\n', 1), "utf-8")
    result = CliRunner().invoke(main, ["check", "--config", str(config_path)])
    assert result.exit_code == 1
    assert "ranking.file: '/dev/zero' is outside the site's folder" in result.output
