"""Images: map relative references to page URLs, load them lazily.

Articles reference their images by file name (`![…](chart.png)`); the site
decides where the files are served from, so `image_url` maps the reference
(as written, percent-decoding undone) to a URL. Every image gets
`loading="lazy"` and `decoding="async"`: articles are long and mostly read on
phones.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from markdown_it.rules_core import StateCore

from .context import context

_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def is_relative_reference(src: str) -> bool:
    """`chart.png`, `img/a.png` -- not `https://…`, `data:…`, `/abs`, `//host`, `#x`."""
    return bool(src) and not _HAS_SCHEME.match(src) and not src.startswith(("/", "#", "?"))


def images(state: StateCore) -> None:
    """Core rule: rewrite relative image sources, add lazy-loading attributes."""
    image_url = context(state.env).image_url
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type != "image":
                continue
            src = str(child.attrGet("src") or "")
            if image_url is not None and is_relative_reference(src):
                child.attrSet("src", state.md.normalizeLink(image_url(unquote(src))))
            child.attrSet("loading", "lazy")
            child.attrSet("decoding", "async")
