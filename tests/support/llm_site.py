"""Fixtures of the LLM tests: the local OpenAI-compatible server and a small site wired to it.

Nothing here talks to a real provider or needs a real key: `base_url` points
at `support.openai_server.OpenAIServer` on 127.0.0.1 and the key is a dummy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

import pytest

from support import REPO_ROOT
from support.factory import make_site
from support.openai_server import API_KEY, MODEL, OpenAIServer, without_llm_table

SOURCE = """\
---
title: 日系企業のための華南進出ガイド
date: 2026-01-05
status: published
tags: [華南, 日系企業]
summary: 2026年に向けて日系企業が押さえたい3つの視点。
hero: hero.svg
hero_alt: 港湾都市を描いた抽象的なイラスト
pseudonyms: true
---

## 1. なぜ今、華南なのか

①華南には日系企業がおよそ3,500社ある。売上の伸びは前年比12.5%。

②詳しくは[統計ページ](https://example.com/stats "統計")と`report.csv`を参照[^1]。

↓

市場の規模は9.6万社に達した。

### 【特徴❶】物流の速さ

(港から工場まで1時間)

- 深圳から香港へ30分
- 広州から東莞へ45分

> **保税区とは、**輸入した貨物を関税を払わずに置ける区域。

| 都市 | 企業数 |
| --- | --- |
| 深圳 | 1,200 |

```python
print("そのまま")
```

[資料]: https://example.com/docs

■ まとめ: 2026年4月1日から新しい制度が始まる。

[^1]: 参照: 業界団体の年次報告(2025年版)。
"""

HERO = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as server:
        yield server


def llm_toml(server_url: str, **overrides: Any) -> str:
    values: dict[str, Any] = {"model": MODEL, "base_url": server_url, "timeout_seconds": 2.0, "max_retries": 2,
                              "concurrency": 2, "batch_chars": 4000, "usage_log": ".publisher/usage.jsonl",
                              "price_input_per_million": 0.5, "price_cached_input_per_million": 0.1,
                              "price_output_per_million": 2.0}
    values.update(overrides)
    lines = ["", "[llm]"]
    for key, value in values.items():
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, str):
            lines.append(f'{key} = "{value}"')
        else:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


@dataclass
class LLMSite:
    """A throwaway site whose [llm] table points at the local server."""

    root: Path
    server: OpenAIServer

    @property
    def article(self) -> Path:
        return self.root / "articles" / "guide"

    def config(self):
        from publisher.config import load_config

        return load_config(self.root / "publisher.toml")

    def settings(self, **changes: Any):
        from publisher.config.llm import load_llm_settings

        settings = load_llm_settings(self.config(), {"OPENAI_API_KEY": API_KEY})
        return replace(settings, **changes) if changes else settings

    def translate(self, *, update_reviewed: bool = False, **changes: Any):
        from publisher.translation.translate import TranslateOptions, translate_site

        settings = self.settings(**changes)
        return translate_site(self.config(), settings, TranslateOptions(update_reviewed=update_reviewed))

    def edit_source(self, old: str, new: str) -> None:
        path = self.article / "ja.md"
        text = path.read_text("utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), "utf-8")

    def zh(self) -> str:
        return (self.article / "zh.md").read_text("utf-8")


@pytest.fixture
def llm_site(tmp_path: Path, openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> LLMSite:
    config = without_llm_table((REPO_ROOT / "publisher.toml").read_text("utf-8")) + llm_toml(openai_server.url)
    make_site(tmp_path / "site", {"guide": {"ja.md": SOURCE, "hero.svg": HERO}}, config=config)
    (tmp_path / "site" / "glossary.csv").write_text((REPO_ROOT / "glossary.csv").read_text("utf-8"), "utf-8")
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    return LLMSite(tmp_path / "site", openai_server)
