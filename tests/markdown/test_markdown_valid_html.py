"""Everything the renderer emits is valid HTML (Nu HTML checker), in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.markdown import render_markdown
from support.vnu import check_html

pytestmark = pytest.mark.vnu

FIXTURE = Path(__file__).parent / "fixtures" / "house-style-article.md"

# Constructs the fixture does not have: a TOC built from Heading.html, a
# heading with a link and a footnote, a footnote referenced twice, an empty
# block quote, a flow marker inside a callout.
EXTRA = """
## 参考[^more]と[外部の資料](https://example.com/)

本文[^more]。再び[^more]。

>

> ↓

[^more]: 補足の注。
"""

ZH = """## 1. 读懂“风向”

①在中国发展业务的日资企业，
首先考虑的是政策的**顺风**。

↓

> **产业集群是指** 相关企业
> 集中在一个地区。

### 【成长案例❶】苏州(江苏省)
（从零件之城到设计之城）

| 城市 | 重点领域 |
| --- | --- |
| 苏州 | 半导体设计 |

■ 总结：了解政策重点的变化时机。

![成都的商业区](chengdu.png)

参考资料[^1]

[^1]: 参照: 公开资料
"""


def _page(lang: str, html_lang: str, source: str) -> str:
    body = render_markdown(source, lang=lang, image_url=lambda name: f"/{lang}/sample/{name}")
    toc = "".join(f'<li><a href="#{h.id}">{h.html}</a></li>' for h in body.headings)
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8"><title>test</title></head>'
        f"<body><main><h1>test</h1><nav><ol>{toc}</ol></nav><article>{body.html}</article></main></body></html>\n"
    )


def test_rendered_bodies_are_valid_html(tmp_path: Path) -> None:
    pages = {
        "ja.html": _page("ja", "ja", FIXTURE.read_text(encoding="utf-8") + EXTRA),
        "zh.html": _page("zh", "zh-CN", ZH),
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert all("<hgroup>" in t and "footnotes" in t and "table-scroll" in t for t in pages.values())
    messages = check_html([tmp_path / name for name in pages], base=tmp_path)
    assert messages == []
