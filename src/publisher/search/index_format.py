"""One language's Pagefind index, read into Python and written back as Pagefind writes it (Pagefind 1.5).

Pagefind has no incremental mode, so `patch.py` merges a run over the changed
pages into the index of the others; this module is the file format both
sides share. What Pagefind 1.5 writes for a language (its `index/mod.rs`):

- `pagefind.<lang>_<hash>.pf_meta`: CBOR `[version, pages, chunks, filters,
  sorts, meta fields]`; `pages[n]` is page n's `[fragment hash, word count]`,
  `chunks` are `[from, to, name]` of the word chunks in word order;
- `index/<name>.pf_index`: CBOR `[[word, pages, variants], ...]` (one list),
  each page `[page number, body locations, meta locations]`, the numbers of a
  word's pages stored as differences; `variants` are `[form, pages]`;
- `fragment/<hash>.pf_fragment`: the page's JSON (URL, text, meta fields).

Each is gzip-compressed after the signature `pagefind_dcd`. Names are the
language, `_` and the SHA-1 of the uncompressed bytes, printed as Pagefind
prints it (hex without zero padding), cut short. Chunks close at 20,000
locations (Pagefind's default `index_chunk_size`). `patch.py` checks on each
part Pagefind makes that this is still its format: the part written back
byte for byte.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from dataclasses import dataclass, field
from typing import AbstractSet, Callable, Iterator, Mapping

from .pagefind import BUNDLE_FOLDER

SIGNATURE = b"pagefind_dcd"
CHUNK_LOCATIONS = 20_000
BUNDLE = f"{BUNDLE_FOLDER}/"
_META_PREFIX, _META_SUFFIX = f"{BUNDLE}pagefind.", ".pf_meta"


def meta_path(meta_hash: str) -> str:
    """The meta file of the index named `meta_hash` (`ja_19ea022c93`), by path in the output."""
    return f"{_META_PREFIX}{meta_hash}{_META_SUFFIX}"


def meta_hash_of(path: str) -> str | None:
    """The index's name in the path of its meta file; None for any other file."""
    if path.startswith(_META_PREFIX) and path.endswith(_META_SUFFIX):
        return path[len(_META_PREFIX):-len(_META_SUFFIX)]
    return None


def fragment_path(fragment_hash: str) -> str:
    """A page's fragment, by path in the output."""
    return f"{BUNDLE}fragment/{fragment_hash}.pf_fragment"


class FormatError(ValueError):
    """The files are not the Pagefind 1.5 index this module reads (another version, or damaged)."""


@dataclass(frozen=True)
class LanguageIndex:
    """A language's index with absolute page numbers: what Pagefind's `build_indexes` holds before writing."""

    language: str
    """Pagefind's language key (`ja`, `zh-cn`): the prefix of every file name."""
    version: str
    """The Pagefind version that wrote it."""
    pages: list[list]
    """By page number: `[fragment hash, word count]`."""
    words: dict[str, list]
    """Word -> `[pages, variants]`; pages `[number, locations, meta locations]` in page order."""
    meta_fields: list[str]
    """The meta fields of all pages, sorted; meta locations name them by position in this list."""
    filters: list
    """Pagefind's filters (this site sets none; a merge refuses an index with some)."""
    sorts: list
    """Pagefind's sort orders (likewise)."""
    chunks_read: tuple[tuple[tuple[str, ...], str, bytes], ...] = field(default=(), compare=False)
    """Of an index read from its files (`read_index`): each word chunk's words, path and uncompressed bytes, so
    that a patch writes the chunks none of whose words changed without encoding them again (`unchanged`).
    Empty for an index made in memory."""
    word_bytes: Mapping[str, bytes] = field(default_factory=dict, compare=False)
    """Of an index read from its files: each word's entry as it was encoded in its chunk."""
    word_sizes: Mapping[str, int] = field(default_factory=dict, compare=False)
    """Of an index read from its files: each word's locations as Pagefind counts them to cut chunks."""

    def unchanged(self, touched: AbstractSet[str]) -> "Unchanged":
        """What of this index, as read, a merged index whose words other than `touched` have the entries they
        have here can be written from (`index_files`)."""
        return Unchanged({words: raw for words, _path, raw in self.chunks_read if touched.isdisjoint(words)},
                         {word: raw for word, raw in self.word_bytes.items() if word not in touched},
                         {word: size for word, size in self.word_sizes.items() if word not in touched},
                         {word: (self.words[word], self.word_bytes[word]) for word in touched
                          if word in self.word_bytes})


@dataclass(frozen=True)
class Unchanged:
    """Chunks and words of an index read from its files (`LanguageIndex.unchanged`) whose entries an index being
    written has too, so that they are neither encoded nor counted again. An edit appends to a page: a few words
    change, but the chunks after the first of them are cut at other words, and each is written from the bytes
    of its words (an edit early in a page moves the places of most of its words, which are encoded again)."""

    chunks: Mapping[tuple[str, ...], bytes] = field(default_factory=dict)
    """Whole chunks' uncompressed bytes, by their words."""
    words: Mapping[str, bytes] = field(default_factory=dict)
    """Word -> its entry's CBOR bytes."""
    sizes: Mapping[str, int] = field(default_factory=dict)
    """Word -> its locations (see `_chunks`)."""
    before: Mapping[str, tuple[list, bytes]] = field(default_factory=dict)
    """Touched word -> its entry and bytes as read: when one page's places changed, the bytes of the others
    are copied (`_spliced`)."""


def unpack(data: bytes) -> bytes:
    """The uncompressed bytes of an index file, without the signature."""
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise FormatError(f"not gzip data: {exc}") from None
    if not raw.startswith(SIGNATURE):
        raise FormatError("no Pagefind signature")
    return raw[len(SIGNATURE):]


def pack(raw: bytes) -> bytes:
    """An index file's bytes, gzip-compressed without a time stamp. Pagefind uses level 9. On the 9.2 MB of
    Japanese chunks of the bench corpus, level 6 takes 0.64 s on one core for a 0.4 % larger file, and level 1
    0.14 s for 6.8 %: once Pagefind's service answers at once, compressing is what an edit waits for (level 1
    made a mid-page edit 0.25 s faster, 1.94 -> 1.69 s), and a search fetches only a few chunks of about 50 KB
    (the names, hashes of the uncompressed bytes, are the same at any level)."""
    return gzip.compress(SIGNATURE + raw, compresslevel=1, mtime=0)


def read_index(language: str, meta_hash: str, read: Callable[[str], bytes]) -> LanguageIndex:
    """The index of `language` from its files; `read(path in the output)` gives a file's bytes as written."""
    import cbor2

    try:
        version, pages, chunks, filters, sorts, meta_fields = cbor2.loads(
            unpack(read(meta_path(meta_hash))))
        words: dict[str, list] = {}
        word_bytes: dict[str, bytes] = {}
        word_sizes: dict[str, int] = {}
        chunks_read = []
        for _from, _to, name in chunks:
            path = f"{BUNDLE}index/{name}.pf_index"
            raw = unpack(read(path))
            chunk_words = []
            for (word, word_pages, variants), encoded in _entries(raw):
                word_sizes[word] = _absolute(word_pages)
                for _form, variant_pages in variants:
                    _absolute(variant_pages)
                words[word] = [word_pages, variants]
                word_bytes[word] = encoded
                chunk_words.append(word)
            chunks_read.append((tuple(chunk_words), path, raw))
    except (KeyError, OSError, TypeError, ValueError, cbor2.CBORDecodeError) as exc:
        raise FormatError(f"unexpected index data: {exc!r}") from None
    return LanguageIndex(language, version, pages, words, meta_fields, filters, sorts, tuple(chunks_read),
                         word_bytes, word_sizes)


def _entries(raw: bytes) -> Iterator[tuple[list, bytes]]:
    """A chunk's word entries (CBOR `[[entry, ...]]`), each with its bytes in `raw`."""
    import cbor2

    if raw[:1] != b"\x81":
        raise FormatError("a chunk is not a list of one list")
    count, start = _array_length(raw, 1)
    stream = io.BytesIO(raw)
    stream.seek(start)
    decoder = cbor2.CBORDecoder(stream)
    for _ in range(count):
        begin = stream.tell()
        entry = decoder.decode()
        yield entry, raw[begin:stream.tell()]
    if stream.tell() != len(raw):
        raise FormatError("bytes after a chunk's words")


_LENGTH_BYTES = {24: 1, 25: 2, 26: 4, 27: 8}
"""CBOR: the additional information that says how many bytes follow with a length."""


def _array_length(raw: bytes, position: int) -> tuple[int, int]:
    """The length of the CBOR array whose head is at `position`, and where its first item starts."""
    head = raw[position] if position < len(raw) else -1
    if head >> 5 != 4 or (head & 0x1F) >= 24 and (head & 0x1F) not in _LENGTH_BYTES:
        raise FormatError("a chunk's words are not a list of known length")
    if head & 0x1F < 24:
        return head & 0x1F, position + 1
    size = _LENGTH_BYTES[head & 0x1F]
    return int.from_bytes(raw[position + 1:position + 1 + size], "big"), position + 1 + size


def _array_head(length: int) -> bytes:
    """The CBOR head of an array of `length` items, as cbor2 (and Pagefind) write it: the shortest."""
    if length < 24:
        return bytes([0x80 | length])
    for info, size in _LENGTH_BYTES.items():
        if length < 1 << (8 * size):
            return bytes([0x80 | info]) + length.to_bytes(size, "big")
    raise ValueError(length)


def write_index(index: LanguageIndex) -> tuple[str, dict[str, bytes]]:
    """The files of `index` (path in the output -> uncompressed bytes) and its meta hash, as Pagefind names
    them: the same index gives the same bytes and names Pagefind gives it."""
    files = dict(index_files(index))
    meta_hash = meta_hash_of(next(reversed(files)))  # the meta file comes last
    assert meta_hash is not None
    return meta_hash, files


def entries_written_back(index: LanguageIndex, words: AbstractSet[str]) -> bool:
    """Whether the entries of `words`, in an index read from its files, encode back to the very bytes they were
    read from: a Pagefind whose entries hold more than this module reads fails it (see `patch._part`)."""
    import cbor2

    return all(cbor2.dumps(_packed_word(word, *index.words[word])) == raw
               for word in words if (raw := index.word_bytes.get(word)) is not None)


def index_files(index: LanguageIndex, unchanged: Unchanged | None = None,
                chunk_locations: int = CHUNK_LOCATIONS) -> Iterator[tuple[str, bytes]]:
    """`write_index`'s files one by one as they are made (each chunk, then the meta file last), so that a
    caller can compress one while the next is encoded. `unchanged`: what of an index read from its files this
    one has as it was (a patch's untouched words). `chunk_locations`: Pagefind's chunk size (tests make it
    small)."""
    import cbor2

    unchanged = unchanged or Unchanged()
    chunks = _chunks(index.words, sorted(index.words), chunk_locations, unchanged.sizes)
    names: list[str] = []
    for chunk in chunks:
        raw = unchanged.chunks.get(tuple(chunk))
        if raw is None:  # cbor2.dumps([[entry, ...]]), with the entries the index read had as they were
            raw = b"\x81" + _array_head(len(chunk)) + b"".join(
                unchanged.words.get(word) or _encoded(word, index.words[word], unchanged.before.get(word))
                for word in chunk)
        name = _unique_name(f"{index.language}_{sha1_hex(raw)}", len(index.language) + 8, names, step=2)
        names.append(name)
        yield f"{BUNDLE}index/{name}.pf_index", raw
    ranges = _ranges(chunks)
    meta = cbor2.dumps([index.version, index.pages, [[low, high, name] for (low, high), name in zip(ranges, names)],
                        index.filters, index.sorts, index.meta_fields])
    yield meta_path(f"{index.language}_{sha1_hex(meta)[:len(index.language) + 8]}"), meta


def sha1_hex(data: bytes) -> str:
    """SHA-1 as Pagefind prints it: each byte in hex without a leading zero (`{:x?}` of a byte)."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def _unique_name(full: str, length: int, taken, step: int) -> str:
    """Pagefind's short name: the first `length` characters, made longer while another file has them."""
    name = full[:length]
    while name in taken and len(name) < len(full):
        name = full[:len(name) + step]
    return name


def _absolute(pages: list) -> int:
    """Page numbers from differences, in place; returns the pages' locations as `_chunks` counts them."""
    number = size = 0
    for page in pages:
        number += page[0]
        page[0] = number
        size += len(page[1]) + len(page[2]) + 1
    return size


def _relative(pages: list) -> list:
    last = 0
    out = []
    for number, locations, meta_locations in pages:
        out.append([number - last, locations, meta_locations])
        last = number
    return out


def _packed_word(word: str, pages: list, variants: list) -> list:
    return [word, _relative(pages), [[form, _relative(variant_pages)] for form, variant_pages in variants]]


def _encoded(word: str, entry: list, before: tuple[list, bytes] | None) -> bytes:
    """A word's entry as CBOR: spliced into its bytes as read when that is possible, else encoded whole."""
    import cbor2

    spliced = _spliced(word, entry, *before) if before is not None else None
    return spliced if spliced is not None else cbor2.dumps(_packed_word(word, *entry))


def _spliced(word: str, entry: list, entry_before: list, raw_before: bytes) -> bytes | None:
    """The entry's bytes made from `raw_before` when it differs from `entry_before` in one page's places only
    (same pages, same variants); else None.

    An edit early in a page moves the places of most of its words, and common words are on every page: encoded
    whole, their entries were most of a patch's time (a title edit: 1 s of its 3.3). Here the changed page's old
    bytes are looked for in the entry: found once, that is where they are. Otherwise only the shorter side of
    the changed page is encoded, to learn where its bytes start. The rest is copied.
    """
    import cbor2

    pages, variants = entry
    pages_before, variants_before = entry_before
    if len(pages) != len(pages_before) or variants != variants_before:
        return None
    changed = [at for at, (page, page_before) in enumerate(zip(pages, pages_before)) if page is not page_before]
    if len(changed) != 1 or pages[changed[0]][0] != pages_before[changed[0]][0]:
        return None
    at = changed[0]
    previous = pages[at - 1][0] if at else 0
    new_page = cbor2.dumps([pages[at][0] - previous, pages[at][1], pages[at][2]])
    old_page = cbor2.dumps([pages_before[at][0] - previous, pages_before[at][1], pages_before[at][2]])
    old_page_size = len(old_page)
    head = b"\x83" + cbor2.dumps(word) + _array_head(len(pages))
    if not raw_before.startswith(head):
        return None
    first = raw_before.find(old_page)
    if first >= len(head) and raw_before.find(old_page, first + 1) < 0:
        # The old page's bytes occur once in the entry (overlaps counted), so that is where they are. A page's
        # places on a common word are a long run of bytes: found at C speed instead of encoding a side.
        return raw_before[:first] + new_page + raw_before[first + old_page_size:]
    if at < len(pages) // 2:  # the pages before it are fewer: their bytes' length tells where it starts
        start = len(head) + len(cbor2.dumps(_relative(pages[:at]))) - len(_array_head(at))
    else:  # the pages after it and the variants are fewer: they tell where it ends
        following = [[page[0] - before[0], page[1], page[2]] for before, page in zip(pages[at:], pages[at + 1:])]
        tail = len(cbor2.dumps(following)) - len(_array_head(len(following))) + len(cbor2.dumps(
            [[form, _relative(variant_pages)] for form, variant_pages in variants]))
        start = len(raw_before) - tail - old_page_size
    if start < len(head):
        return None
    return raw_before[:start] + new_page + raw_before[start + old_page_size:]


def _chunks(words: dict[str, list], order: list[str], chunk_locations: int = CHUNK_LOCATIONS,
            sizes: Mapping[str, int] | None = None) -> list[list[str]]:
    """Words in order, cut into chunks as Pagefind cuts them: a chunk ends at the word that brings its
    locations (each page's body and meta locations, plus one) to `CHUNK_LOCATIONS`."""
    chunks: list[list[str]] = []
    chunk: list[str] = []
    size = 0
    for word in order:
        known = sizes.get(word) if sizes else None
        size += known if known is not None else sum(len(page[1]) + len(page[2]) + 1 for page in words[word][0])
        chunk.append(word)
        if size >= chunk_locations:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _ranges(chunks: list[list[str]]) -> list[tuple[str, str]]:
    """Each chunk's `[from, to]`: its first and last word, cut to what tells it from its neighbours."""
    ranges = [[chunk[0], chunk[-1]] for chunk in chunks]
    for this, following in zip(ranges, ranges[1:]):
        common = 0
        for a, b in zip(following[0], this[1]):
            if a != b:
                break
            common += 1
        to, start = this[1][:common + 1], following[0][:common + 1]
        if to >= this[0]:
            this[1] = to
        following[0] = start
    return [(low, high) for low, high in ranges]
