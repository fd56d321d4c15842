"""Site configuration: `publisher.toml`, loaded once into a frozen `SiteConfig`.

Every table's schema lives in this package: the core tables in `site.py`
(finding the file and its lines in `files.py`),
`[pdf]` in `pdf.py`, `[preview]` in `preview.py` and `[llm]` (validated on
demand, by the commands that call a model) in `llm.py`.
"""

from .files import CONFIG_FILENAME, find_config
from .site import (
    REQUIRED_STRINGS,
    FeedConfig,
    ImageConfig,
    LanguageConfig,
    RankingConfig,
    SiteConfig,
    load_config,
)

__all__ = [
    "CONFIG_FILENAME",
    "REQUIRED_STRINGS",
    "FeedConfig",
    "ImageConfig",
    "LanguageConfig",
    "RankingConfig",
    "SiteConfig",
    "find_config",
    "load_config",
]
