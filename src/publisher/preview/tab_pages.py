"""What the preview server gives tabs besides the site's files: the reload script and the page shown while
the last build failed. Apart from `server.py`, which answers requests, because these are pages, with their
own words and styles."""

from __future__ import annotations

import html
from dataclasses import dataclass
from importlib.resources import files

from ..i18n import N_, language, translator
from .strings import HTML_LANG

#: Where tabs listen for rebuilds (outside the site's own paths; the dashboard lives beside it under /_preview/).
EVENTS_PATH = "/_preview/events"

@dataclass(frozen=True)
class BuildFailure:
    """Why the last build failed, as the terminal and the error page show it."""

    lines: tuple[str, ...]
    """One problem a line: `articles/x/ja.md:3: date: what is wrong and how to fix it`."""
    summary: str
    """One sentence: how many problems, what to do."""


_RELOAD_JS: str | None = None


def reload_script(version: str) -> bytes:
    """The `<script>` that makes a tab reload itself after a rebuild (see reload.js)."""
    global _RELOAD_JS
    if _RELOAD_JS is None:
        _RELOAD_JS = files(__package__).joinpath("reload.js").read_text("utf-8")
    code = _RELOAD_JS.replace("__PREVIEW_VERSION__", version).replace("__PREVIEW_EVENTS__", EVENTS_PATH)
    return f'<script data-publish-preview="reload">{code}</script>'.encode("utf-8")


def inject_reload(page: bytes, version: str) -> bytes:
    """`page` with the reload script before its last `</body>` (or at the end)."""
    script = reload_script(version)
    at = page.lower().rfind(b"</body>")
    if at < 0:
        return page + script
    return page[:at] + script + page[at:]


#: The site's own font stacks (assets/site.css, "Fonts by language"), used when the site's stylesheet is
#: not there yet (the first build failed); the page links that stylesheet too, which wins when present.
_FALLBACK_FONTS = """\
html:lang(ja) { font-family: "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans CJK JP", "Noto Sans JP",
  "Yu Gothic UI", Meiryo, sans-serif; }
html:lang(zh) { font-family: "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
  "Microsoft YaHei", sans-serif; }
html:lang(en) { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }"""


def error_page(failure: BuildFailure, version: str, ui: str | None = None) -> bytes:
    """The page every HTML request gets while the last build failed: heading and hint in the reader's
    language `ui` (None: the message language), the build's problems as the terminal printed them (in the
    message language, marked so when it is another); in the site's fonts (its stylesheet, whose font rules
    follow `lang`)."""
    messages = language()
    ui = ui if ui in HTML_LANG else messages
    lang = HTML_LANG.get(ui, "en")
    marked = f' lang="{HTML_LANG.get(messages, "en")}"' if messages != ui else ""
    items = "\n".join(f"<li{marked}>{html.escape(line)}</li>" for line in failure.lines)
    gettext = translator(ui)
    title = html.escape(gettext(N_("Build failed: the preview could not be updated")))
    hint = html.escape(gettext(N_("Fix the file and save it: this page reloads by itself.")))
    page = f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>
{_FALLBACK_FONTS}
</style>
<link rel="stylesheet" href="/assets/site.css">
<style>
html, body {{ background: #fff5f5; color: #1a1a1a; }}
body {{ margin: 0; padding: 1rem; line-height: 1.6; font-family: inherit; }}
h1 {{ font-size: 1.3rem; color: #a40000; margin: 0 0 .5rem; }}
ul {{ padding: 0; list-style: none; }}
li {{ background: #fff; border-left: 4px solid #c00; padding: .6rem .8rem; margin: .5rem 0;
      overflow-wrap: anywhere; white-space: pre-wrap; }}
p {{ margin: .4rem 0; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p{marked}>{html.escape(failure.summary)}</p>
<ul class="build-problems">
{items}
</ul>
<p>{hint}</p>
</main>
</body>
</html>
"""
    return inject_reload(page.encode("utf-8"), version)
