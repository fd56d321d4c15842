"""The search bundle of a new site: each language's index made again only when what it indexes changed.

Pagefind makes one index per language, and an index depends on nothing but
its language's pages (a run over one language's pages writes the very files
a run over the whole site writes for it). So each language has a key: the
Pagefind version and, for each of its indexed pages, the URL and the digest
of what Pagefind reads of it (`regions.py`). A language whose key is the one
of the current output keeps its files as they are, without running Pagefind.
A changed one (an edit, a new or withdrawn page) is patched when few of its
pages changed: Pagefind runs over those pages alone and their part is merged
into the current index (`patch.py`); otherwise (most pages changed, a
template that changes the indexed region, another Pagefind) it is indexed
again from its pages alone. Whatever Pagefind makes, the words of Japanese
and Chinese indexes are also entered under the parts a reader's browser
splits them into (`browser_words.py`). Pagefind's entry file, which lists
the languages, is merged from the languages' parts, in a fixed order.

Pages are read only when their content key changed since the previous build
(the digests are remembered by key), so a build that changes one page reads
one page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping

from ..cache import digest
from ..site.options import AfterWrite, WrittenSite
from .browser_words import splitter_version, with_browser_words
from .pagefind import ENTRY_PATH, index_pages, index_site
from .patch import Indexer, patch_language
from .regions import indexed_page
from .service import PagefindService

_RUN = "per-language run of pages hard-linked into a folder; --silent"
"""How Pagefind is run, in each language's key: changing it (other options) must index every language again."""
_MADE = "+ the browser's parts of Japanese and Chinese words"
"""What is done to Pagefind's index after it (`browser_words.py`), in each language's key and in the version a
patch must find in its record: an index made before is made again whole, not patched."""


def update_index(written: WrittenSite, pagefind_version: str, service: PagefindService | None = None) -> AfterWrite:
    """The search bundle of the site in `written.folder`: unchanged languages carried over, others patched
    (`patch.py`) or indexed. A few pages are given to `service` when the build started one (see `service.py`)
    and it still answers; the program is run over them otherwise."""
    index = _indexer(service)
    version = f"{pagefind_version} {_MADE}, {splitter_version()}"
    memo = written.memo
    known = _mapping(memo.get("pages"))
    pages = _scan(written, known)
    by_language: dict[str, list[tuple[str, str]]] = {}
    for path, page in sorted(pages.items()):
        if len(page) == 3:
            by_language.setdefault(page[1], []).append((path, page[2]))
    if not by_language:  # no page marks what to index: Pagefind indexes every page, as it always did
        return AfterWrite(files=with_browser_words(index_site(written.folder)), memo={"pages": pages},
                          remade=("*",))
    keys = {language: digest("pagefind-index", _RUN, version, language,
                             *(f"{path}\n{region}" for path, region in language_pages))
            for language, language_pages in by_language.items()}
    before = _mapping(memo.get("languages"))
    languages: dict[str, dict] = {}
    files: dict[str, bytes] = {}
    entry = _mapping(memo.get("entry"))
    remade = []
    for language in sorted(keys):
        record = _mapping(before.get(language))
        there = _still_there(written, _mapping(record.get("files")))
        if record.get("key") == keys[language] and there:
            languages[language] = dict(record)
            continue
        remade.append(language)
        patched = patch_language(written.folder, written.previous_folder, language, record, version,
                                 _regions(known, language), dict(by_language[language]), index) if there else None
        if patched is not None:
            languages[language] = {"key": keys[language], "version": version, "entry": patched.entry,
                                   "files": patched.files, "numbered": patched.numbered}
            files.update(patched.written)
            continue
        made = index(written.folder, [path for path, _region in by_language[language]])
        made_entry = json.loads(made.pop(ENTRY_PATH))
        entry = {name: value for name, value in made_entry.items()}
        languages[language] = {"key": keys[language], "version": version,
                               "entry": made_entry.get("languages", {}),
                               "files": {path: digest(data) for path, data in made.items()}}
        files.update(made)
    parts = [(name, part) for record in languages.values() for name, part in record["entry"].items()]
    if len({name for name, _part in parts}) < len(parts):  # two `lang` values Pagefind took for one language
        everything = [path for language_pages in by_language.values() for path, _region in language_pages]
        return AfterWrite(files=with_browser_words(index_pages(written.folder, everything)), memo={"pages": pages},
                          remade=("*",))
    kept = {path: key for record in languages.values() for path, key in record["files"].items() if path not in files}
    entry["languages"] = dict(sorted(parts))
    files[ENTRY_PATH] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return AfterWrite(files=files, kept=kept, memo={"pages": pages, "languages": languages, "entry": entry},
                      remade=tuple(remade))


_SERVICE_PAGES = 40
"""At most so many pages go to a running service, which indexes one at a time (about 15 ms a page); more
are better indexed by the program, which loads its dictionaries again but splits pages on every core."""


def _indexer(service: PagefindService | None) -> Indexer:
    """`pagefind.index_pages`, or the running `service` first for a few pages; either way with the browser's
    parts of Japanese and Chinese words added (`browser_words.py`)."""
    if service is None:
        return lambda site, pages: with_browser_words(index_pages(site, pages))

    def index_few_by_service(site: Path, pages: list[str]) -> dict[str, bytes]:
        made = service.index_pages(site, pages) if len(pages) <= _SERVICE_PAGES else None
        return with_browser_words(made if made is not None else index_pages(site, pages))

    return index_few_by_service


def _regions(known: Mapping[str, object], language: str) -> dict[str, str]:
    """The previous build's indexed pages of `language`: path -> region digest."""
    return {path: page[2] for path, page in known.items()
            if isinstance(page, list) and len(page) == 3 and page[1] == language}


def _scan(written: WrittenSite, known: Mapping[str, object]) -> dict[str, list[str]]:
    """Every HTML page of the new site: path -> [content key], or [content key, language, region digest]
    for a page Pagefind indexes. Only pages whose key is not the remembered one are read."""
    pages: dict[str, list[str]] = {}
    for path, key in written.files.items():
        if not path.endswith(".html"):  # what Pagefind reads (its default glob, `**/*.{html}`)
            continue
        remembered = known.get(path)
        if isinstance(remembered, list) and remembered and remembered[0] == key:
            pages[path] = remembered
            continue
        page = indexed_page(path, (written.folder / path).read_bytes())
        pages[path] = [key] if page is None else [key, page.language, page.region]
    return pages


def _still_there(written: WrittenSite, files: Mapping[str, object]) -> bool:
    """The current output still holds these index files, as the build that made them wrote them."""
    return bool(files) and all(written.previous_files.get(path) == key and (written.previous_folder / path).is_file()
                               for path, key in files.items())


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}
