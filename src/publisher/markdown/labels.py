"""The few words the Markdown renderer writes itself (screen-reader labels).

A site passes its own wording from `publisher.toml` (`[strings.<lang>]`
`flow_label`, `table_label`, `footnotes_label`, `footnote_back_label`), so a
new language is configuration. These defaults serve direct calls (tests,
tools) that pass none: Japanese, Chinese, else English.
"""

from __future__ import annotations

from typing import Mapping

from ..config.strings import fill
from .context import RenderContext

#: The words a site can configure, as `<key>_label` in `[strings.<lang>]`.
LABEL_KEYS = ("flow", "table", "footnotes", "footnote_back")

_LABELS: dict[str, dict[str, str]] = {
    "ja": {
        "flow": "したがって",
        "table": "表{n}",
        "footnotes": "脚注",
        "footnote_back": "本文に戻る",
    },
    "zh": {
        "flow": "因此",
        "table": "表格{n}",
        "footnotes": "注释",
        "footnote_back": "返回正文",
    },
    "en": {
        "flow": "therefore",
        "table": "Table {n}",
        "footnotes": "Footnotes",
        "footnote_back": "Back to text",
    },
}


def site_labels(strings: Mapping[str, str]) -> dict[str, str]:
    """The labels a site configured: `[strings.<lang>]` `<key>_label` for each of `LABEL_KEYS`."""
    return {key: strings[f"{key}_label"] for key in LABEL_KEYS if f"{key}_label" in strings}


def label(ctx: RenderContext, key: str, **values: object) -> str:
    """The label `key`: the site's wording, else the default for the page language."""
    text = (ctx.labels or {}).get(key)
    if text is None:
        primary = ctx.lang.lower().replace("_", "-").split("-")[0]
        text = _LABELS.get(primary, _LABELS["en"])[key]
    return fill(text, **values) if values else text
