"""The `[markdown]` table of `publisher.toml`, validated into `MarkdownSettings`.

Raw HTML in article bodies is off by default: drafts come from a model and
imports from old pages, so a `<script>`, an `onerror=` or a
`<meta http-equiv=refresh>` in a body must not reach readers as markup. With
`raw_html = "escape"` (the default) such HTML is shown as text and `publish
check` warns at its line; `raw_html = "allow"` publishes it as written, for
sites whose writers are all trusted. HTML comments are dropped either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..i18n import _

#: Keys the `[markdown]` table accepts.
MARKDOWN_KEYS = frozenset({"raw_html"})
#: Values of `raw_html`.
RAW_HTML_MODES = ("escape", "allow")


@dataclass(frozen=True)
class MarkdownSettings:
    """How article bodies are rendered."""

    raw_html: str = "escape"
    """`escape`: raw HTML in a body is shown as text (and `check` warns); `allow`: published as markup."""

    @property
    def allow_raw_html(self) -> bool:
        return self.raw_html == "allow"


def parse_markdown_settings(table: dict[str, Any],
                            problem: Callable[[str | None, str | None, str], None]) -> MarkdownSettings:
    """`MarkdownSettings` from the raw `[markdown]` table; each bad key goes to `problem(section, key, message)`."""
    for key in sorted(set(table) - MARKDOWN_KEYS):
        problem("markdown", key, _("unknown key `{key}` in [markdown]; the keys are {keys}").format(
            key=key, keys=", ".join(sorted(MARKDOWN_KEYS))))
    raw_html = table.get("raw_html", "escape")
    if raw_html not in RAW_HTML_MODES:
        problem("markdown", "raw_html", _("must be \"escape\" (raw HTML shown as text, the default) or \"allow\" "
                                          "(published as markup), not {value!r}").format(value=raw_html))
        raw_html = "escape"
    return MarkdownSettings(raw_html=raw_html)
