"""Site configuration: `publisher.toml`, loaded once into a frozen `SiteConfig`.

Every table's schema lives in this package: the core tables in `site.py`,
`[pdf]` in `pdf.py`, `[preview]` in `preview.py` and `[llm]` (validated on
demand, by the commands that call a model) in `llm.py`.
"""

from .site import (
    CONFIG_FILENAME,
    REQUIRED_STRINGS,
    FeedConfig,
    ImageConfig,
    LanguageConfig,
    RankingConfig,
    SiteConfig,
    find_config,
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
