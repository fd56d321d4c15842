"""Articles: the content model, and loading + validating the `articles/` folder."""

from .model import Article, Document, Site, Status, Visibility
from .scan import ContentScan, scan_content

__all__ = ["Article", "ContentScan", "Document", "LoadResult", "Site", "Status", "Visibility", "load_site",
           "scan_content"]


def __getattr__(name: str):
    """`LoadResult` and `load_site` from the loader, imported on first use: it brings the frontmatter and
    Markdown readers, which a build with nothing to do (it stops after `scan_content`) never needs."""
    if name in ("LoadResult", "load_site"):
        from . import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
