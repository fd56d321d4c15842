"""Articles: the content model, and loading + validating the `articles/` folder."""

from .loader import ContentScan, LoadResult, load_site, scan_content
from .model import Article, Document, Site, Status, Visibility

__all__ = ["Article", "ContentScan", "Document", "LoadResult", "Site", "Status", "Visibility", "load_site",
           "scan_content"]
