"""Site search: Pagefind indexes the written site, one index per `<html lang>` (see `contributor.py`)."""

from .contributor import SearchContributor
from .pagefind import BUNDLE_FOLDER, index_site, pagefind_binary

__all__ = ["BUNDLE_FOLDER", "SearchContributor", "index_site", "pagefind_binary"]
