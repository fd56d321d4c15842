"""The language registry, and a new target language as configuration only: English, Korean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publisher.config import load_config
from publisher.languages import language, og_locale, prompt_name
from publisher.pdf.fonts import faces_for
from publisher.typography import phrase_parser, phrases
from publisher.site.build import BuildOptions, build_site
from support.fixture_site import NOW, copy_fixture


def test_known_languages_and_their_tags():
    assert language("zh").tag == language("zh-CN").tag == language("zh-Hans-CN").tag == "zh-CN"
    assert language("zh-TW").tag == language("zh-Hant").tag == language("zh-Hant-HK").tag == "zh-Hant"
    assert language("en-GB").tag == "en" and language("ko").tag == "ko" and language("ja").tag == "ja"
    assert language("fr") is None


def test_what_each_part_of_the_code_reads_from_the_registry():
    assert prompt_name("zh-CN") == "Simplified Chinese (zh-CN)" and prompt_name("ko") == "Korean"
    assert prompt_name("fr") == "the language fr"
    assert og_locale("zh-Hant") == "zh_TW" and og_locale("ko") == "ko_KR" and og_locale("en") == "en_US"
    assert faces_for("zh-Hant") == ("Noto Serif CJK TC", "Noto Sans CJK TC") and faces_for("ko") == ()
    assert phrase_parser("zh-Hant") is phrase_parser("zh-TW") is not phrase_parser("zh-CN")
    assert phrases("地方都市の政策", "ko") is None


def _site_with_target(tmp_path: Path, code: str, html_lang: str | None) -> Path:
    """The fixture site with its Chinese target replaced by `code`: publisher.toml and file names only."""
    config_path = copy_fixture(tmp_path)
    text = config_path.read_text("utf-8")
    text = text.replace('languages = ["ja", "zh"]', f'languages = ["ja", "{code}"]')
    table = f'[languages.{code}]\nhtml_lang = "{html_lang}"\n' if html_lang else f"[languages.{code}]\n"
    text = re.sub(r'(?m)^\[languages\.zh\]\n(?:#.*\n)?(?:html_lang = .*\n)?', table, text)
    text = text.replace("[strings.zh]", f"[strings.{code}]")
    config_path.write_text(text, "utf-8")
    for translation in (config_path.parent / "articles").glob("*/zh.md"):
        translation.rename(translation.with_name(f"{code}.md"))
    return config_path


@pytest.mark.parametrize("code, html_lang, tag, locale", [("en", "en-US", "en-US", "en_US"), ("ko", None, "ko", "ko_KR")])
def test_a_target_language_is_configuration_only(tmp_path, code, html_lang, tag, locale):
    config = load_config(_site_with_target(tmp_path, code, html_lang))
    assert config.language(code).html_lang == tag
    report = build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out"))
    assert report.live_pages > 0 and not report.warnings
    page = (tmp_path / "out" / code / "alpha/index.html").read_text("utf-8")
    assert f'<html lang="{tag}"' in page
    assert f'<meta property="og:locale" content="{locale}">' in page
    assert '<meta property="og:locale:alternate" content="ja_JP">' in page
    assert f'hreflang="{tag}"' in page
    source = (tmp_path / "out/ja/alpha/index.html").read_text("utf-8")
    assert f'<meta property="og:locale:alternate" content="{locale}">' in source
    assert not (tmp_path / "out/zh").exists()


def test_a_chinese_site_without_html_lang_gets_zh_cn(tmp_path):
    config_path = copy_fixture(tmp_path)
    text = re.sub(r'(?m)^(\[languages\.zh\]\n)(#.*\n)?html_lang = .*\n', r"\1", config_path.read_text("utf-8"))
    assert "zh-CN" not in text
    config_path.write_text(text, "utf-8")
    assert load_config(config_path).language("zh").html_lang == "zh-CN"
