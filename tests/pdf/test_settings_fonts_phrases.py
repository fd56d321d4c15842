"""Small parts: the [pdf] table, the faces per language, phrase spans for print."""

from __future__ import annotations

import pytest

from conftest import config_text_with_pdf
from publisher.pdf.fonts import faces_for
from publisher.pdf.phrases import keep_phrases
from support.factory import make_site


def _config_with(tmp_path, pdf_table: str):
    from publisher.config import load_config

    return load_config(make_site(tmp_path / "site", {}, config=config_text_with_pdf(pdf_table)))


def test_pdf_settings_defaults_and_values(tmp_path):
    config = _config_with(tmp_path, 'enabled = false\npage_size = "phone"\ntagged = true\nworkers = 3\n')
    assert (config.pdf.enabled, config.pdf.page_size, config.pdf.tagged, config.pdf.workers) == \
        (False, "phone", True, 3)
    default = _config_with(tmp_path / "b", "")
    assert (default.pdf.enabled, default.pdf.page_size, default.pdf.tagged) == (True, "A4", False)


def test_the_pdf_cache_follows_the_build_cache_unless_given_its_own_folder(tmp_path):
    """A site that moves its build cache (`[site] cache_dir`, say where its CI keeps it) moves its PDFs too:
    left behind, every PDF would be rendered again on the next CI run."""
    from publisher.config import load_config
    from publisher.pdf.batch import cache_folder

    default = _config_with(tmp_path / "a", "")
    assert cache_folder(default) == (default.root / ".publisher" / "cache" / "pdf").resolve()

    def site_with(pdf_table: str, root: str):
        text = config_text_with_pdf(pdf_table).replace("[site]\n", '[site]\ncache_dir = "../ci-cache"\n', 1)
        return load_config(make_site(tmp_path / root / "site", {}, config=text))

    moved = site_with("", "b")
    assert moved.cache_folder == (tmp_path / "b" / "ci-cache").resolve()
    assert cache_folder(moved) == (tmp_path / "b" / "ci-cache" / "pdf").resolve()
    own = site_with('cache_dir = "pdf-cache"\n', "c")
    assert cache_folder(own) == (own.root / "pdf-cache").resolve()


@pytest.mark.parametrize("line, field, words", [
    ('page_size = "Letter"', "pdf.page_size", 'use "A4" or "phone"'),
    ('enabled = "yes"', "pdf.enabled", "true or false"),
    ("workers = -1", "pdf.workers", "whole number"),
    ("colour = true", "pdf.colour", "unknown key"),
    ('cache_dir = ""', "pdf.cache_dir", "folder name"),
])
def test_bad_pdf_settings_are_located_problems(tmp_path, line, field, words):
    from publisher.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        _config_with(tmp_path, line + "\n")
    problem = next(p for p in caught.value.problems if p.field == field)
    assert words in problem.message and problem.line is not None


def test_faces_per_language():
    assert faces_for("ja") == ("Noto Serif CJK JP", "Noto Sans CJK JP")
    assert faces_for("zh-CN") == ("Noto Serif CJK SC", "Noto Sans CJK SC")
    assert faces_for("zh") == ("Noto Serif CJK SC", "Noto Sans CJK SC")
    assert faces_for("zh-TW") == ("Noto Serif CJK TC", "Noto Sans CJK TC")
    assert faces_for("en") == ()


def test_phrases_become_unbreakable_spans_and_nesting_survives():
    html = ('<h3 id="x"><span class="phrases"><span class="marker">【成長事<wbr>例❶】</span><wbr>蘇州'
            '<wbr>(江蘇省) &amp; <em>a</em></span></h3><p>x<wbr>y</p>')
    assert keep_phrases(html) == (
        '<h3 id="x"><span class="phrases"><span class="phrase"><span class="marker">【成長事</span></span><wbr>'
        '<span class="phrase"><span class="marker">例❶】</span></span><wbr><span class="phrase">蘇州</span><wbr>'
        '<span class="phrase">(江蘇省) &amp; <em>a</em></span></span></h3><p>x<wbr>y</p>')


def test_phrase_spans_add_no_text():
    import re

    from publisher.typography import phrase_html

    title = "政策の追い風で伸びる中国地方都市 5つの成長物語"
    kept = keep_phrases(str(phrase_html(title, "ja")))
    assert re.sub(r"<[^>]+>", "", kept) == title
    assert kept.count('class="phrase"') >= 4
