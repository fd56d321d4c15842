"""The `[pdf]` table of `publisher.toml`, validated into `PdfSettings`.

Kept free of WeasyPrint imports: `config.load_config` calls
`parse_pdf_settings` on every command, and most commands never render a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Literal

from ..i18n import _

PageSize = Literal["A4", "phone"]
PAGE_SIZES: tuple[str, ...] = ("A4", "phone")

#: Keys the `[pdf]` table accepts.
PDF_KEYS = frozenset({"enabled", "page_size", "tagged", "workers", "cache_dir"})


@dataclass(frozen=True)
class PdfSettings:
    """How (and whether) PDFs are made."""

    enabled: bool = True
    """`publish build` writes a PDF of every live article (`[pdf] enabled = false` turns it off)."""
    page_size: PageSize = "A4"
    """`A4` (210 x 297 mm) or `phone` (a narrow 100 x 178 mm page read on a phone screen)."""
    tagged: bool = False
    """Make tagged, accessible PDFs (PDF/UA-1): structure tree, alt text, document title shown."""
    workers: int = 0
    """Processes that render PDFs at once; 0 means one per CPU core."""
    cache_dir: str | None = None
    """Cache folder for rendered PDFs, relative to `publisher.toml` (keep it out of git); None: the `pdf`
    folder of the build cache (`site.cache_dir`), so that moving the build cache (to where a CI keeps it)
    moves the PDFs with it."""


def parse_pdf_settings(table: dict[str, Any], problem: Callable[[str | None, str | None, str], None]) -> PdfSettings:
    """`PdfSettings` from the raw `[pdf]` table; each bad key is reported through `problem(section, key, message)`."""
    defaults = PdfSettings()
    for key in sorted(set(table) - PDF_KEYS):
        problem("pdf", key, _("unknown key `{key}` in [pdf]; the keys are {items}").format(
                                key=key, items=', '.join(sorted(PDF_KEYS))))

    def flag(key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            problem("pdf", key, _("must be true or false, not {value!r}").format(value=value))
            return default
        return value

    page_size = table.get("page_size", defaults.page_size)
    if page_size not in PAGE_SIZES:
        problem("pdf", "page_size", _("{page_size!r} is not a page size; use \"A4\" or \"phone\"").format(
                                        page_size=page_size))
        page_size = defaults.page_size

    workers = table.get("workers", defaults.workers)
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 0:
        problem("pdf", "workers", _("must be a whole number of processes (0 = one per CPU core), not "
                                    "{workers!r}").format(workers=workers))
        workers = defaults.workers

    cache_dir = table.get("cache_dir", defaults.cache_dir)
    if cache_dir is not None and (not isinstance(cache_dir, str) or not cache_dir.strip()):
        problem("pdf", "cache_dir", _("must be a folder name such as {defaults_cache_dir!r}, not "
                                      "{cache_dir!r}").format(
                                        defaults_cache_dir=".publisher/cache/pdf", cache_dir=cache_dir))
        cache_dir = defaults.cache_dir

    return PdfSettings(enabled=flag("enabled", defaults.enabled), page_size=page_size,
                       tagged=flag("tagged", defaults.tagged), workers=workers, cache_dir=cache_dir)
