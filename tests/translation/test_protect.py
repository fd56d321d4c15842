"""Placeholders for code, URLs, autolinks, inline HTML and footnote references."""

import pytest

from publisher.translation.protect import PlaceholderMismatch, protect, restore

TEXT = ('`code` と [リンク](https://example.com/a_(b) "題") と ![図](fig.png) 、<https://example.com> 、'
        '<span class="x">赤</span>、注[^1]、[本][ref]、https://example.com/raw?q=1 。')


def test_untranslatable_parts_become_placeholders_and_link_text_stays() -> None:
    protected = protect(TEXT)
    assert protected.originals == ('`code`', '(https://example.com/a_(b) "題")', "(fig.png)",
                                   "<https://example.com>", '<span class="x">', "</span>", "[^1]", "[ref]",
                                   "https://example.com/raw?q=1")
    assert "[リンク]⟦1⟧" in protected.text and "![図]⟦2⟧" in protected.text and "[本]⟦7⟧" in protected.text
    assert "https" not in protected.text and "span" not in protected.text
    assert restore(protected.text, protected) == TEXT


def test_footnote_definition_label_and_heading_id_are_protected() -> None:
    assert protect("[^note]: 参照: 資料").text == "⟦0⟧ 参照: 資料"
    assert protect("## 見出し {#my-id}").text == "## 見出し⟦0⟧"


def test_restore_puts_back_in_the_translated_order() -> None:
    protected = protect("[A](a.html)と[B](b.html)")
    assert restore("[乙]⟦1⟧和[甲]⟦0⟧", protected) == "[乙](b.html)和[甲](a.html)"


@pytest.mark.parametrize("reply, message", [
    ("[甲]⟦0⟧", "missing ⟦1⟧"),
    ("[甲]⟦0⟧⟦1⟧⟦1⟧", "repeated ⟦1⟧"),
    ("[甲]⟦0⟧⟦1⟧⟦2⟧", "unexpected or repeated ⟦2⟧"),
])
def test_a_lost_repeated_or_invented_placeholder_is_refused(reply: str, message: str) -> None:
    with pytest.raises(PlaceholderMismatch, match=message):
        restore(reply, protect("[A](a.html)と[B](b.html)"))
