"""The Content-Type of each file of a built site, in one table: the preview serves a file with the
type the deploy uploads it with, so staff see what readers will get."""

from __future__ import annotations

from pathlib import PurePosixPath

#: Content types by suffix; text types say their charset.
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".pdf": "application/pdf",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".wasm": "application/wasm",
}

#: Feeds are Atom: readers and browsers pick them out by this type.
_NAMED_TYPES = {"feed.xml": "application/atom+xml; charset=utf-8", "_redirects": "text/plain; charset=utf-8"}


def content_type(path: str) -> str:
    """The Content-Type of the output file at `path` (relative, with `/`)."""
    pure = PurePosixPath(path)
    return _NAMED_TYPES.get(pure.name) or CONTENT_TYPES.get(pure.suffix.lower(), "application/octet-stream")
