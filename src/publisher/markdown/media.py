"""Images: map relative references to page URLs, load them lazily.

Articles reference their images by file name (`![…](chart.png)`); the site
decides where the files are served from, so `image_url` maps the reference
(as written, percent-decoding undone) to a URL -- or to a `Picture` with
responsive variants, which renders as `<picture>` with a WebP `srcset`, the
original format's `srcset` and the intrinsic `width`/`height` (no layout
shift). Every image gets `loading="lazy"` and `decoding="async"`: articles
are long and mostly read on phones, and body images are below the fold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from .context import context


@dataclass(frozen=True)
class Picture:
    """A published image with its responsive variants, as URLs for the page."""

    src: str
    """URL of the original file (the fallback `src`)."""
    width: int | None
    """Intrinsic width in pixels (None when unknown)."""
    height: int | None
    """Intrinsic height in pixels."""
    srcset: str = ""
    """`url 480w, url 800w, ...` in the original format; empty when there are no variants."""
    webp_srcset: str = ""
    """The same widths as WebP, offered first through `<source type="image/webp">`."""
    sizes: str = "100vw"
    """How wide the image is shown, for the browser's choice among the widths."""

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
                resolved = image_url(unquote(src))
                if isinstance(resolved, Picture):
                    child.attrSet("src", state.md.normalizeLink(resolved.src))
                    if resolved.srcset:
                        child.attrSet("srcset", resolved.srcset)
                        child.attrSet("sizes", resolved.sizes)
                    if resolved.width and resolved.height:
                        child.attrSet("width", str(resolved.width))
                        child.attrSet("height", str(resolved.height))
                    if resolved.webp_srcset:
                        child.meta["webp_srcset"] = resolved.webp_srcset
                        child.meta["sizes"] = resolved.sizes
                else:
                    child.attrSet("src", state.md.normalizeLink(resolved))
            child.attrSet("loading", "lazy")
            child.attrSet("decoding", "async")


def install(md: MarkdownIt) -> None:
    """Render images that have WebP variants as `<picture>`."""
    default = md.renderer.rules["image"]

    def image(self, tokens, idx, options, env):
        html = default(tokens, idx, options, env)
        token = tokens[idx]
        webp = token.meta.get("webp_srcset") if token.meta else None
        if not webp:
            return html
        escape = self.escape if hasattr(self, "escape") else _escape
        return (f'<picture><source type="image/webp" srcset="{escape(webp)}" '
                f'sizes="{escape(token.meta["sizes"])}">{html}</picture>')

    md.add_render_rule("image", image)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
