"""The few words the Markdown renderer writes itself (screen-reader labels).

A site passes its own wording from `publisher.toml` (`[strings.<lang>]`
`flow_label`, `table_label`, `footnotes_label`, `footnote_back_label`), so a
new language is configuration. The defaults (`publisher.languages`) serve
direct calls (tests, tools) that pass none; English for a language not known.
"""

from __future__ import annotations

from typing import Mapping

from ..config.strings import fill
from ..languages import ENGLISH_LABELS, language
from .context import RenderContext

#: The words a site can configure, as `<key>_label` in `[strings.<lang>]`.
LABEL_KEYS = ("flow", "table", "footnotes", "footnote_back")

def site_labels(strings: Mapping[str, str]) -> dict[str, str]:
    """The labels a site configured: `[strings.<lang>]` `<key>_label` for each of `LABEL_KEYS`."""
    return {key: strings[f"{key}_label"] for key in LABEL_KEYS if f"{key}_label" in strings}


def label(ctx: RenderContext, key: str, **values: object) -> str:
    """The label `key`: the site's wording, else the default for the page language."""
    text = (ctx.labels or {}).get(key)
    if text is None:
        known = language(ctx.lang)
        text = (known.labels if known is not None else ENGLISH_LABELS)[key]
    return fill(text, **values) if values else text
