"""The parser factory gives the fact check and segmentation the token streams their own MarkdownIt set-ups gave."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from publisher.markdown.emphasis import cjk_friendly_emphasis
from publisher.markdown.parser import get_parser, syntax_parser

HERE = Path(__file__).parent
BODIES = sorted([*HERE.glob("fixtures/*.md"), *(HERE.parent / "fixtures" / "site" / "articles").glob("*/*.md")])
EXTRA = ("中国の**「成長」**は*大きい*。~~旧~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<div>\n![x](y.png)\n</div>\n\n"
         "脚注[^1]。\n\n[^1]: 出典。\n\n[ref]: https://example.com\n")


def _factcheck_before() -> MarkdownIt:
    """factcheck/body.py's own parser before the factory."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(cjk_friendly_emphasis)
    md.use(footnote_plugin)
    return md


def _segments_before() -> MarkdownIt:
    """translation/segments.py's own parser before the factory."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin)


def _stream(md: MarkdownIt, text: str) -> list[dict]:
    return [token.as_dict() for token in md.parse(text)]


@pytest.mark.parametrize("text", [*(p.read_text("utf-8") for p in BODIES), EXTRA],
                         ids=[*(f"{p.parent.name}/{p.name}" for p in BODIES), "extra"])
def test_same_token_streams_as_the_old_set_ups(text: str) -> None:
    assert _stream(syntax_parser(), text) == _stream(_factcheck_before(), text)
    assert _stream(syntax_parser(cjk_emphasis=False), text) == _stream(_segments_before(), text)


def test_the_syntax_is_the_rendering_parsers_without_the_house_rules() -> None:
    rendering, syntax = get_parser(), syntax_parser()
    assert syntax is syntax_parser() and rendering is not syntax
    assert syntax.block.ruler.get_active_rules() == rendering.block.ruler.get_active_rules()
    assert syntax.inline.ruler.get_active_rules() == rendering.inline.ruler.get_active_rules()
    assert set(syntax.core.ruler.get_active_rules()) < set(rendering.core.ruler.get_active_rules())
