"""Segmenting: top-level blocks sliced verbatim, pass-through kinds, footnote definitions."""

from publisher.markdown.segments import join_blocks, normalise, split_blocks, text_hash

BODY = """\
[資料]: https://example.com/docs

## 2. 見出し {#two}

本文の一段落目。
二行目も同じ段落。

↓

- 項目A
- 項目B

```text
コードはそのまま
```

<div class="note">生のHTML</div>

> 引用の中の文。

| 列 | 値 |
| --- | --- |
| 甲 | 1 |

---

[^1]: 参照: 一つ目の出典。
    二行目の続き。
[^2]: 参照: 二つ目の出典。
"""


def test_blocks_are_sliced_verbatim_with_their_kinds() -> None:
    segments = split_blocks(BODY)
    assert [s.kind for s in segments] == [
        "reference", "heading2", "paragraph", "paragraph", "bullet_list", "fence", "html_block",
        "blockquote", "table", "hr", "footnote", "footnote"]
    lines = BODY.split("\n")
    for segment in segments:
        assert segment.text == "\n".join(lines[segment.start_line:segment.start_line + segment.text.count("\n") + 1])
    assert segments[2].text == "本文の一段落目。\n二行目も同じ段落。"
    assert segments[10].text == "[^1]: 参照: 一つ目の出典。\n    二行目の続き。"


def test_code_html_references_and_wordless_blocks_pass_through() -> None:
    kinds = {s.kind: s.translatable for s in split_blocks(BODY)}
    assert not kinds["fence"] and not kinds["html_block"] and not kinds["reference"] and not kinds["hr"]
    assert kinds["footnote"] and kinds["table"] and kinds["blockquote"]
    flow = [s for s in split_blocks(BODY) if s.text == "↓"][0]
    assert not flow.translatable


def test_join_keeps_every_block_and_reparses_the_same() -> None:
    segments = split_blocks(BODY)
    again = split_blocks(join_blocks([s.text for s in segments]))
    assert [s.text for s in again] == [s.text for s in segments]


def test_source_hash_ignores_trailing_spaces_and_unicode_form() -> None:
    assert text_hash(normalise("ガ  \n次\n")) == text_hash(normalise("ガ\n次"))
    assert text_hash(normalise("\u30ab\u3099")) == text_hash(normalise("\u30ac"))
    assert split_blocks("段落。  \n")[0].source_hash == split_blocks("段落。\n")[0].source_hash
