"""The HTTP headers each file is served with: Content-Type, Cache-Control, Content-Encoding.

Object storage serves what it was told at upload, so the deploy sets them:
text types carry `charset=utf-8` (a Japanese page read as Latin-1 is
unreadable), and caching follows what can change under the same name.
"""

from __future__ import annotations

import gzip
import re
from fnmatch import fnmatchcase
from pathlib import PurePosixPath

from ..site.mediatypes import content_type  # noqa: F401 (the deploy's headers name it from here too)

LONG = "public, max-age=31536000, immutable"
"""Files whose name changes when their bytes do (a content hash in the name)."""
MEDIUM = "public, max-age=604800"
"""Images, fonts and PDFs: a week; a replaced image keeps its name, so not forever."""
STYLES = "public, max-age=86400"
"""Stylesheets and scripts under fixed names: a day."""
SHORT = "public, max-age=300, must-revalidate"
"""Pages, feeds, the sitemap, releases.json: five minutes, so a release shows soon after it is deployed."""

_HASHED = re.compile(r"[.-][0-9a-f]{8,}\.[a-z0-9]+$")
_MEDIUM_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".svg", ".woff", ".woff2",
                              ".pdf"})
_STYLE_SUFFIXES = frozenset({".css", ".js", ".mjs", ".wasm"})
_COMPRESSIBLE = frozenset({".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".webmanifest"})


def cache_control(path: str, rules: tuple[tuple[str, str], ...] = ()) -> str:
    """The configured rule the path matches first, else the default for its kind."""
    for pattern, value in rules:
        if fnmatchcase(path, pattern) or fnmatchcase(PurePosixPath(path).name, pattern):
            return value
    suffix = PurePosixPath(path).suffix.lower()
    if _HASHED.search(path):
        return LONG
    if suffix in _MEDIUM_SUFFIXES:
        return MEDIUM
    if suffix in _STYLE_SUFFIXES:
        return STYLES
    return SHORT


def compressible(path: str) -> bool:
    """Text worth gzip-compressing (images and PDFs are compressed already)."""
    return PurePosixPath(path).suffix.lower() in _COMPRESSIBLE


def compressed(path: str, data: bytes) -> bytes | None:
    """`data` gzip-compressed when it is text and compression saves something; None otherwise.
    Deterministic (no time stamp in the header), so equal files compress to equal bytes."""
    if not compressible(path) or len(data) < 256:
        return None
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    return packed if len(packed) < len(data) * 0.9 else None
