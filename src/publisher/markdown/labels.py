"""The few words the Markdown renderer writes itself (screen-reader labels).

Japanese and Chinese are the site's languages; any other language falls back
to English, so adding a target language needs no code change here (add an
entry for better wording).
"""

from __future__ import annotations

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


def label(lang: str, key: str, **values: object) -> str:
    """The label `key` in `lang` (`zh-CN` counts as `zh`), English otherwise."""
    primary = lang.lower().replace("_", "-").split("-")[0]
    text = _LABELS.get(primary, _LABELS["en"])[key]
    return text.format(**values) if values else text
