"""The PDF cache's keys: what decides a PDF, hashed (`batch`'s docstring lists it).

An edit's build computes the key of every PDF the site shows (2,000 at 1,000
articles) to find the few that changed. What the PDFs share is hashed once a
build; each article folder's files once for both languages; and the folders'
digests are remembered in the cache folder (`FolderDigests`) under the
content scan's key of the folder, which changes whenever its files do, so an
edit reads and hashes only the folders it touched (reading every article's
Markdown took about 0.15 s of every build with PDFs at 1,000 articles).
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping

from .. import fsio
from ..cache import code_version
from ..codeclosure import code_version_of
from ..config import SiteConfig
from .keywords import without_tags_field
from .render import PRINT_CSS, PRINT_TEMPLATE, PdfJob

#: Per file of an article folder (hidden files left out, sorted by name): its name and digest.
FolderFiles = list[tuple[str, bytes]]

DIGESTS_FILE = ".folder-digests.json"
"""`FolderDigests`' file in the PDF cache folder (not a PDF: the cache's clean-ups leave it alone)."""


def job_hash(config: SiteConfig, job: PdfJob) -> str:
    """`<layout>-<keywords>`: hex digests of everything that decides `job`'s PDF (see `batch`'s docstring),
    the page's tags apart. For many jobs, make one `JobKeys` and call its `key` for each."""
    return JobKeys(config).key(job)


class FolderDigests:
    """The article folders' file digests of the last build, by folder name, each with the content scan's key of
    the folder when they were made (`Site.folder_keys`): a folder whose key is the same has the same files
    (the scan's key holds its Markdown bytes and the names, sizes and times of its other files, and a build
    that sees the same keys writes nothing at all). Kept in the PDF cache folder; a missing or unreadable file,
    or one written by other code (the Markdown digest leaves out the `tags` field, by code), is as empty."""

    def __init__(self, cache_dir: Path, folder_keys: Mapping[str, str]) -> None:
        self.path = cache_dir / DIGESTS_FILE
        self.folder_keys = folder_keys
        self._code = code_version()
        self._known = self._read()
        self._changed = False

    def get(self, folder: Path) -> FolderFiles | None:
        """The digests remembered for `folder`, if its files did not change since."""
        entry = self._known.get(folder.name)
        key = self.folder_keys.get(folder.name)
        if entry is None or key is None or entry[0] != key:
            return None
        return [(name, bytes.fromhex(digest)) for name, digest in entry[1]]

    def put(self, folder: Path, files: FolderFiles) -> None:
        key = self.folder_keys.get(folder.name)
        if key is not None:
            self._known[folder.name] = (key, [(name, digest.hex()) for name, digest in files])
            self._changed = True

    def save(self) -> None:
        """Write what changed (atomically; nothing when nothing did), without the folders the site no longer
        has. A failure to write only costs the next build the reading."""
        gone = [name for name in self._known if name not in self.folder_keys]
        if not (self._changed or gone):
            return
        for name in gone:
            del self._known[name]
        data = json.dumps({"code": self._code, "folders": self._known}, ensure_ascii=False, separators=(",", ":"))
        try:
            fsio.write_bytes(self.path, data.encode(), sync=False)
        except OSError:
            pass

    def _read(self) -> dict[str, tuple[str, list[tuple[str, str]]]]:
        """The remembered folders; an entry not exactly as `save` writes it is left out (read again)."""
        try:
            stored = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(stored, dict) or stored.get("code") != self._code or not isinstance(
                stored.get("folders"), dict):
            return {}
        return {name: (entry[0], [(file, digest) for file, digest in entry[1]])
                for name, entry in stored["folders"].items() if _well_formed(entry)}


def _well_formed(entry: object) -> bool:
    """`[folder key, [[file name, SHA-256 in hex], ...]]`, as `FolderDigests.save` writes an entry."""
    return (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str) and isinstance(entry[1], list)
            and all(isinstance(file, list) and len(file) == 2 and isinstance(file[0], str) and isinstance(file[1], str)
                    and len(file[1]) == 64 and all(c in "0123456789abcdef" for c in file[1]) for file in entry[1]))


class JobKeys:
    """The cache keys of a batch's jobs. What every PDF shares (the code, `publisher.toml`, the print template
    folder and stylesheet) is hashed once, and each article folder's files once for both its languages, or
    not at all when `remembered` has them: done for each of 2,000 jobs, it took about 1 s of every edit at
    1,000 articles."""

    def __init__(self, config: SiteConfig, remembered: FolderDigests | None = None) -> None:
        self.config = config
        self.remembered = remembered
        """The folders' digests of earlier builds; the caller saves them once every key is made."""
        shared = hashlib.sha256(_code_version().encode())
        templates = config.templates_dir / Path(PRINT_TEMPLATE).parent
        for file in [config.config_path, config.assets_dir / PRINT_CSS,
                     *sorted(p for p in templates.rglob("*") if p.is_file())]:
            shared.update(b"\0" + file.name.encode() + b"\0" + _file_digest(file))
        self._shared = shared.digest()
        self._folders: dict[Path, FolderFiles] = {}

    def key(self, job: PdfJob) -> str:
        article = job.article
        config = self.config
        digest = hashlib.sha256()
        facts = {
            "slug": article.slug, "lang": job.lang, "code": article.code, "date": article.date.isoformat(),
            "publish_at": article.publish_at.isoformat(), "hero": article.hero, "ai_text": article.ai_text,
            "ai_image": article.ai_image, "pseudonyms": article.pseudonyms, "year": job.year, "banner": job.banner,
            "related": [[ref.code, ref.title, ref.url] for ref in job.related],
            "page_size": config.pdf.page_size, "tagged": config.pdf.tagged,
            "hero_alt": article.source.hero_alt, "source_status": article.source.status.value,
        }
        digest.update(json.dumps(facts, ensure_ascii=False, sort_keys=True).encode())
        digest.update(self._shared)
        # The article's images, and of its Markdown files only this language's: a translation's PDF shows its
        # own file and the article's fields (above, from the source's frontmatter), so an edit of the Japanese
        # body does not render the Chinese PDF again.
        mine = f"{job.lang}.md"
        for name, file_digest in self._files(article.folder):
            if not name.endswith(".md") or name == mine:
                digest.update(b"\0" + name.encode() + b"\0" + file_digest)
        document = article.document(job.lang)
        tags = json.dumps(document.tags if document is not None else [], ensure_ascii=False).encode()
        return f"{digest.hexdigest()[:24]}-{hashlib.sha256(tags).hexdigest()[:8]}"

    def _files(self, folder: Path) -> FolderFiles:
        """The folder's files (hidden ones left out), sorted by name, with their digests (a Markdown file's
        without its `tags` field)."""
        files = self._folders.get(folder)
        if files is None and self.remembered is not None:
            files = self.remembered.get(folder)
        if files is None:
            with os.scandir(folder) as entries:
                names = sorted(entry.name for entry in entries if entry.is_file() and not entry.name.startswith("."))
            files = [(name, _file_digest(folder / name, without_tags_field if name.endswith(".md") else None))
                     for name in names]
            if self.remembered is not None:
                self.remembered.put(folder, files)
        self._folders[folder] = files
        return files


def _file_digest(path: Path, transform: Callable[[bytes], bytes] | None = None) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return b"missing"
    return hashlib.sha256(transform(data) if transform else data).digest()


@lru_cache(maxsize=1)
def _code_version() -> str:
    """The publisher source a PDF depends on (what the `pdf` package imports, see `codeclosure`; hashed once
    a process) and the WeasyPrint and HarfBuzz versions: code that changes a PDF renders anew, and an upgrade
    that changes only, say, the search keeps every PDF."""
    from importlib.metadata import version

    return f"{code_version_of('publisher.pdf')}-{version('weasyprint')}-{version('uharfbuzz')}"
