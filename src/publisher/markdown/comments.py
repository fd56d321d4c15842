"""HTML comments are the writer's, never the reader's: they are not published.

Drafts carry source markers (`<!-- source: sources/report.pdf#p.12 -->`)
after factual paragraphs, and writers leave notes to each other the same
way. A browser would hide a comment, but it would still be in the page
source, the feeds and the PDF's HTML, so the renderer drops every comment:

- a comment block (`<!-- … -->` on its own lines) disappears as a block, so
  the blocks around it meet as if it were not there (a heading and its
  tagline stay grouped);
- comments inside another HTML block are cut out of it; a block left empty
  disappears;
- an inline comment (`文章<!-- メモ -->の続き`) is removed from its line.

An unclosed `<!--` hides everything after it, as it would in a browser.
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def strip_comments(html: str) -> str:
    """`html` without its comments."""
    return _COMMENT.sub("", html)


def _is_comment(content: str) -> bool:
    return content.lstrip().startswith("<!--")


def drop_comments(state: StateCore) -> None:
    """Core rule (right after inline parsing): remove comment blocks and inline comments."""
    kept = []
    for token in state.tokens:
        if token.type == "html_block" and "<!--" in token.content:
            rest = strip_comments(token.content)
            if not rest.strip():
                continue
            token.content = rest if rest.endswith("\n") else rest + "\n"
        elif token.type == "inline" and token.children:
            token.children = [child for child in token.children
                              if not (child.type == "html_inline" and _is_comment(child.content))]
        kept.append(token)
    state.tokens = kept
