"""`{placeholders}` in the UI strings of `[strings.<lang>]`: only the documented fields, checked at load.

Strings come from the site's configuration and are filled in on every page.
Python's `str.format` would let a string reach attributes
(`{organization.__class__.__mro__}`) or fail in the middle of a build on a
missing brace (`"表格{n"`) or an unknown field (`"{page:%}"`). Here a string
may hold only `{name}` for the names listed in `PLACEHOLDERS` (and `{{`, `}}`
for a literal brace); `publish check` reports anything else at its line, and
`fill` replaces exactly those names and nothing more.
"""

from __future__ import annotations

import re

from ..i18n import _

#: The strings that take values, and the names each may use.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "notice_ai_image": frozenset({"model"}),
    "notice_copyright": frozenset({"year", "organization"}),
    "banner_scheduled": frozenset({"time"}),
    "tag_title": frozenset({"tag"}),
    "page_title": frozenset({"title", "page"}),
    "table_label": frozenset({"n"}),
    "reading_time": frozenset({"minutes"}),
    "search_results": frozenset({"count", "term"}),
    "search_no_results": frozenset({"term"}),
    "search_searching": frozenset({"term"}),
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def placeholder_problem(text: str, allowed: frozenset[str]) -> str | None:
    """Why `text` cannot be filled safely (None: it can): an unknown name, a format spec, a lone brace."""
    names = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or _("none")
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            return _("has a lone `{token}`; write `{double}` for a brace in the text (placeholders here: "
                     "{names})").format(token=token, double=token * 2, names=names)
        if match.group(1) not in allowed:
            return _("uses `{token}`, which is not a placeholder of this string; the placeholders here are "
                     "{names} (no attributes, indexes or formats)").format(token=token, names=names)
    return None


def fill(text: str, **values: object) -> str:
    """`text` with each `{name}` given in `values` replaced, and `{{`/`}}` made single braces.
    Anything else is left as written: nothing is looked up on the values."""
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        return str(values[name]) if name is not None and name in values else token

    return _TOKEN.sub(replace, text)
