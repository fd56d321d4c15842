"""A site's Pagefind index read back as what it means, whatever order Pagefind numbered the pages in.

Two indexes of the same pages are the same index when, per language, every
page (by URL) has the same fragment and word count, every word the same
locations on the same pages (by URL), and the meta fields are the same:
page numbers, and so chunk bytes and names, follow the order Pagefind read
the files in, which a patch keeps from the previous build.
"""

from __future__ import annotations

import json
from pathlib import Path

from publisher.search.index_format import fragment_path, read_index, unpack, write_index


def bundle_files(out: Path) -> dict[str, bytes]:
    """Every file of the output's bundle: path in the output -> bytes."""
    bundle = out / "pagefind"
    return {f"pagefind/{p.relative_to(bundle).as_posix()}": p.read_bytes()
            for p in sorted(bundle.rglob("*")) if p.is_file()}


def canonical_index(out: Path) -> dict[str, dict]:
    """Language -> its index keyed by URL instead of page number, with each page's fragment."""
    files = bundle_files(out)
    entry = json.loads(files["pagefind/pagefind-entry.json"])
    languages = {}
    for language, part in entry["languages"].items():
        index = read_index(language, part["hash"], files.__getitem__)
        fragments = [json.loads(unpack(files[fragment_path(fragment_hash)]))
                     for fragment_hash, _words in index.pages]
        url = [fragment["url"] for fragment in fragments]

        def by_url(pages: list) -> dict:
            return {url[number]: (locations, meta) for number, locations, meta in pages}

        languages[language] = {
            "page_count": part["page_count"],
            "pages": {url[n]: (fragment, index.pages[n][1]) for n, fragment in enumerate(fragments)},
            "words": {word: (by_url(pages), {form: by_url(v) for form, v in variants})
                      for word, (pages, variants) in index.words.items()},
            "meta_fields": index.meta_fields,
            "filters": index.filters,
            "sorts": index.sorts,
        }
    return languages


def written_back(out: Path) -> bool:
    """Each language's meta and chunk files are the ones `index_format` writes for the index they hold:
    names, ranges and chunk boundaries as Pagefind makes them."""
    files = bundle_files(out)
    entry = json.loads(files["pagefind/pagefind-entry.json"])
    for language, part in entry["languages"].items():
        meta_hash, made = write_index(read_index(language, part["hash"], files.__getitem__))
        if meta_hash != part["hash"] or any(path not in files or unpack(files[path]) != raw
                                            for path, raw in made.items()):
            return False
    return True
