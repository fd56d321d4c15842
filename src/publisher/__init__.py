"""publisher: bilingual Markdown articles to a static site."""

__version__ = "0.1.0"
