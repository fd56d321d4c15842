"""Raw HTML in a body is shown as text by default; `[markdown] raw_html = "allow"` publishes it."""

from __future__ import annotations

import pytest

from publisher.markdown import render_markdown

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<iframe src="https://example.com/"></iframe>',
    '<a href="javascript:alert(1)">クリック</a>',
    "<svg onload=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=https://example.com/">',
]


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("where", ["block", "inline"])
def test_raw_html_is_never_published_as_markup_by_default(attack, where):
    source = f"{attack}\n" if where == "block" else f"本文の途中 {attack} 続き。\n"
    out = render_markdown(source, lang="ja").html
    tag = attack[1:].split()[0].split(">")[0]
    assert f"<{tag}" not in out, out
    assert f"&lt;{tag}" in out  # the writer still sees what they wrote, as text


@pytest.mark.parametrize("attack", ATTACKS)
def test_allow_publishes_raw_html_as_written(attack):
    out = render_markdown(f"{attack}\n", lang="ja", raw_html=True).html
    assert attack in out


def test_comments_are_dropped_either_way_and_house_markup_is_not_escaped():
    source = "本文<!-- メモ -->です。\n\n<!-- source: a.txt -->\n\n↓\n\n## 1. 見出し\n"
    for raw_html in (False, True):
        out = render_markdown(source, lang="ja", raw_html=raw_html).html
        assert "メモ" not in out and "source:" not in out
        assert '<p class="flow">' in out and "<h2" in out
