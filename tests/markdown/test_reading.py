"""Reading time: characters for Japanese and Chinese, words elsewhere, only the text the reader sees."""

from __future__ import annotations

import pytest

from publisher.markdown import ReadingCount, render_markdown
from publisher.markdown.reading import count_text


def reading(source: str, lang: str = "ja") -> ReadingCount:
    return render_markdown(source, lang=lang).reading


def test_japanese_counts_kanji_and_kana_not_punctuation():
    assert count_text("合肥は、成長した。") == ReadingCount(cjk_chars=7, words=0)
    assert count_text("カタカナとひらがなと漢字々") == ReadingCount(cjk_chars=13, words=0)
    assert count_text("ｶﾀｶﾅ") == ReadingCount(cjk_chars=4, words=0)  # half-width katakana


def test_latin_words_and_figures_inside_cjk_text_count_as_words():
    assert count_text("京東方(BOE)と iFlyTek は2025年に1,000億元を超えた") == ReadingCount(cjk_chars=13, words=4)


def test_english_counts_words():
    assert count_text("Reading time is counted in words, isn't it? Yes: 4.5 minutes.") == ReadingCount(0, 11)


def test_markdown_syntax_link_targets_images_and_comments_are_not_read():
    source = """\
## 1. 見出し

本文は[リンク](https://example.com/very/long/path/of/many/words)と**強調**です。

![代替テキストはかなり長い説明](chart.png)

<!-- メモ: 公開されない注記がここにたくさん書いてある -->

- 箇条
- 書き

> **用語とは、** 説明。
"""
    counted = reading(source)
    assert counted == count_text("1. 見出し 本文はリンクと強調です。 箇条 書き 用語とは、 説明。")
    assert counted == ReadingCount(cjk_chars=24, words=1)


def test_words_split_by_markup_or_lines_are_counted_as_written():
    assert reading("one **two** three\nfour\n", "en") == ReadingCount(0, 4)
    assert reading("ab**cd**ef\n", "en") == ReadingCount(0, 1)


def test_code_is_counted():
    assert reading("`npm install`\n\n```\nprint('hello world')\n```\n", "en") == ReadingCount(0, 5)


@pytest.mark.parametrize("count, lang, minutes", [
    (ReadingCount(5000, 0), "ja", 10),      # 500 characters a minute
    (ReadingCount(5000, 0), "zh-CN", 13),   # 400 a minute: 12.5, rounded
    (ReadingCount(4000, 0), "zh", 10),
    (ReadingCount(4000, 0), "zh-Hant", 10),
    (ReadingCount(0, 2380), "en", 10),      # 238 words a minute
    (ReadingCount(2500, 238), "ja", 6),     # mixed: 5 + 1
    (ReadingCount(2500, 0), "ko", 5),       # CJK characters in a language without its own rate
    (ReadingCount(10, 0), "ja", 1),         # at least a minute
    (ReadingCount(0, 0), "ja", None),       # no text: no reading time
])
def test_minutes_per_language(count, lang, minutes):
    assert count.minutes(lang) == minutes


def test_an_empty_body_has_no_reading_time():
    assert reading("<!-- only a note -->\n").minutes("ja") is None
