"""Many PDFs at once: cached by the hash of their inputs, rendered in parallel.

A PDF's cache key covers everything that can change it: the job (article
metadata, language, live related links, copyright year), the bytes of the
article's Markdown files and images, the print template folder, the print
stylesheet, `publisher.toml`, and the code (this package's source and the
WeasyPrint version). A rebuild with nothing changed renders nothing; an edit
re-renders only that article's PDFs.

Cache files are `<cache_dir>/<slug>.<lang>.<key>.pdf`, written atomically; an
entry whose key is no longer current is removed when its replacement is made.
"""

from __future__ import annotations

import copyreg
import hashlib
import json
import os
import types
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from ..cache import write_atomically
from ..config import SiteConfig
from ..content import Site, Visibility
from ..i18n import _
from ..parallel import worker_pool
from .fonts import check_fonts
from .render import PRINT_CSS, PRINT_TEMPLATE, PdfError, PdfJob, make_job, render_job


def _mapping_proxy(values: dict) -> types.MappingProxyType:
    return types.MappingProxyType(values)


# SiteConfig and Article hold read-only mappings; let them travel to worker processes.
copyreg.pickle(types.MappingProxyType, lambda proxy: (_mapping_proxy, (dict(proxy),)))


@dataclass(frozen=True)
class PdfBatch:
    """What `build_pdfs` made."""

    files: dict[tuple[str, str], Path]
    """The PDF of each job, by (slug, lang), in the cache folder."""
    rendered: tuple[tuple[str, str], ...]
    """The (slug, lang) pairs rendered this time; the others came from the cache."""


def build_site_pdfs(config: SiteConfig, site: Site, now: datetime, *, include_drafts: bool = False,
                    include_future: bool = False) -> dict[tuple[str, str], Path]:
    """The PDF of every page the build shows at `now`, by (slug, lang), using the site's cache and settings.

    That is every live page, and for a preview build the drafts (`include_drafts`) and the scheduled
    pages (`include_future`) too, with the banner their PDF prints at the top.
    """
    shown = {Visibility.LIVE}
    if include_drafts:
        shown.add(Visibility.DRAFT)
    if include_future:
        shown.add(Visibility.SCHEDULED)
    jobs = [make_job(config, site, article, lang.code, now=now)
            for article in site.articles for lang in config.languages
            if article.visibility(lang.code, now) in shown]
    cache = cache_folder(config)
    files = build_pdfs(config, jobs, cache, config.pdf.workers).files
    if cache.is_dir():
        _forget_gone_pages(cache, site, set(files.values()))
    return files


def _forget_gone_pages(cache: Path, site: Site, current: set[Path]) -> None:
    """Drop cached PDFs of pages that no longer exist (article deleted or renamed, language file removed).

    Only those: a production build (live pages) and a preview build (drafts and
    scheduled pages too) share this cache, and neither may drop the other's
    PDFs. Older versions of a page that still exists are replaced when its new
    version is made (`_drop_stale`).
    """
    documents = {(article.slug, document.lang) for article in site.articles for document in article.documents}
    for entry in cache.glob("*.pdf"):
        parts = entry.name.rsplit(".", 3)  # <slug>.<lang>.<key>.pdf; a slug may hold dots
        if entry not in current and (len(parts) != 4 or (parts[0], parts[1]) not in documents):
            entry.unlink(missing_ok=True)


def cache_folder(config: SiteConfig) -> Path:
    """`[pdf] cache_dir`, resolved against the site's folder."""
    return (config.root / config.pdf.cache_dir).resolve()


def build_pdfs(config: SiteConfig, jobs: Sequence[PdfJob], cache_dir: Path, workers: int = 0) -> PdfBatch:
    """Render the PDFs of `jobs` not already in `cache_dir`, `workers` at a time (0: one per core)."""
    if not jobs:
        return PdfBatch({}, ())
    check_fonts(sorted({config.language(job.lang).html_lang for job in jobs}))
    cache_dir.mkdir(parents=True, exist_ok=True)
    files: dict[tuple[str, str], Path] = {}
    todo: list[tuple[PdfJob, Path]] = []
    for job in jobs:
        slug, lang = job.key
        path = cache_dir / f"{slug}.{lang}.{job_hash(config, job)}.pdf"
        files[job.key] = path
        if not path.is_file():
            todo.append((job, path))

    workers = min(workers or os.cpu_count() or 1, len(todo)) if todo else 0
    if workers <= 1:
        for job, path in todo:
            _render_into(config, job, path)
    elif todo:
        # fork: workers start at once with this process's modules and sys.path
        # (forkserver/spawn would import the package afresh, possibly another copy of it).
        with worker_pool(workers) as pool:
            futures = [pool.submit(_render_into, config, job, path) for job, path in todo]
            try:
                for future in futures:
                    future.result()  # re-raises a worker's PublisherError here, with its message
            except BrokenProcessPool:
                raise PdfError(_("a PDF worker process died (out of memory, or killed); run the build again, "
                                 "or set [pdf] workers = 1 in publisher.toml to render one PDF at a time")) from None
    for job, path in todo:
        _drop_stale(path)
    return PdfBatch(files, tuple(job.key for job, _path in todo))


def _render_into(config: SiteConfig, job: PdfJob, path: Path) -> None:
    """Render `job` and write it to `path` atomically (temp file in the same folder, then rename)."""
    write_atomically(path, render_job(config, job))


def _drop_stale(current: Path) -> None:
    """Remove older cache entries of the same (slug, lang) as `current`."""
    slug_lang = current.name.rsplit(".", 2)[0]
    for other in current.parent.glob(f"{slug_lang}.*.pdf"):
        if other != current and other.name.rsplit(".", 2)[0] == slug_lang:
            other.unlink(missing_ok=True)


def job_hash(config: SiteConfig, job: PdfJob) -> str:
    """Hex digest of everything that decides `job`'s PDF (see the module docstring)."""
    article = job.article
    digest = hashlib.sha256()
    facts = {
        "slug": article.slug, "lang": job.lang, "code": article.code, "date": article.date.isoformat(),
        "publish_at": article.publish_at.isoformat(), "hero": article.hero, "ai_text": article.ai_text,
        "ai_image": article.ai_image, "pseudonyms": article.pseudonyms, "year": job.year, "banner": job.banner,
        "related": [[ref.code, ref.title, ref.url] for ref in job.related],
        "page_size": config.pdf.page_size, "tagged": config.pdf.tagged,
    }
    digest.update(json.dumps(facts, ensure_ascii=False, sort_keys=True).encode())
    digest.update(_code_version().encode())
    files = [config.config_path, config.assets_dir / PRINT_CSS]
    files += sorted(p for p in (config.templates_dir / Path(PRINT_TEMPLATE).parent).rglob("*") if p.is_file())
    files += sorted(p for p in article.folder.iterdir() if p.is_file() and not p.name.startswith("."))
    for file in files:
        digest.update(b"\0" + str(file.name).encode() + b"\0")
        digest.update(_file_digest(file))
    return digest.hexdigest()[:24]


def _file_digest(path: Path) -> bytes:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except FileNotFoundError:
        return b"missing"


@lru_cache(maxsize=1)
def _code_version() -> str:
    """The publisher source and WeasyPrint version: new code renders anew."""
    from importlib.metadata import version

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(version("weasyprint").encode())
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()
