"""Articles: the content model, and loading + validating the `articles/` folder."""

from .loader import LoadResult, load_site
from .model import Article, Document, Site, Status, Visibility

__all__ = ["Article", "Document", "LoadResult", "Site", "Status", "Visibility", "load_site"]
