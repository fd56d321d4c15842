"""Social cards: a 1200×630 JPEG per article page, shown when a link to it is shared.

Chat apps and social sites show `og:image` / `twitter:image` beside a shared
link; a card with the article's code and title set in the face of its language
(Noto Sans CJK JP for Japanese, SC for Simplified Chinese: `Language.cjk_faces`)
says more than a cropped hero. The hero, when it is a raster image, is the
background. Cards are drawn with Pillow into the cache under the hash of
everything they show (title, code, site name, language, hero bytes, font,
publisher's code), so a build that changes none of these copies the cached
file instead of drawing it again.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont, ImageOps

from .. import fsio
from ..cache import Cache, digest
from ..codeclosure import code_version_of
from ..errors import PublisherError
from ..i18n import _
from ..languages import language
from ..typography import phrases

#: Size Open Graph and Twitter's `summary_large_image` expect (1.91:1).
WIDTH, HEIGHT = SIZE = 1200, 630
#: Debian package that provides the Noto CJK faces.
FONT_PACKAGE = "fonts-noto-cjk"

_MARGIN = 80
_TITLE_TOP, _TITLE_BOTTOM = 190, 520
_TITLE_SIZES = range(76, 35, -4)
_LINE_HEIGHT = 1.3
_BACKGROUND = (10, 81, 150)  # --accent of assets/site.css
_QUALITY = 88
_SHADE = 150  # opacity (of 255) of the dark layer over a hero, so white text stays readable


#: What a phrase too wide for a line is broken into: Latin words and numbers whole, other characters one by one.
_ATOMS = re.compile(r"[A-Za-z0-9\u00c0-\u024f.,'’%-]+ ?|.", re.S)


class CardFontMissing(PublisherError):
    """The Noto CJK face a card needs is not installed."""


@dataclass(frozen=True)
class CardFont:
    """A face in a font file (Noto CJK ships as .ttc collections: one file, a face per region)."""

    family: str
    """`Noto Sans CJK JP`."""
    file: str
    """Path of the font file."""
    index: int
    """Index of the face in the collection."""


@dataclass(frozen=True)
class Card:
    """One social card to publish."""

    path: str
    """Output path relative to the site root (`ja/<slug>/card.jpg`)."""
    title: str
    """The article's title in the card's language."""
    code: str
    """The article code (`中国G93`), shown in lenticular brackets above the title; may be empty."""
    site_name: str
    """Shown at the foot of the card."""
    lang: str
    """BCP 47 tag of the page (`zh-CN`): picks the face and the phrase breaking."""
    hero: Path | None
    """Raster hero image drawn as the background; None: a plain background."""
    keep_together: tuple[str, ...]
    """Words the title never breaks inside (`LanguageConfig.keep_together`), as on the page."""
    font: CardFont
    """The face the text is set in."""
    key: str
    """Hash of everything above (and of the hero's bytes and publisher's code): the cache key."""


def card_text(code: str | None, title: str) -> str:
    """What a card says, as text (`og:image:alt`): `【code】title`."""
    return f"【{code}】{title}" if code else title


def card_path(slug: str, lang_code: str) -> str:
    """Where the card of an article page is published: beside the page."""
    return f"{lang_code}/{slug}/card.jpg"


def family_for(html_lang: str) -> str:
    """The Noto CJK family for `html_lang`: its registry face (`JP`, `SC`, `TC`), else JP (which also has
    Latin, Hangul and the rest of CJK: only the regional glyph forms differ)."""
    known = language(html_lang)
    faces = known.cjk_faces if known is not None and known.cjk_faces else "JP"
    return f"Noto Sans CJK {faces}"


@lru_cache(maxsize=1)
def _fc_match() -> str | None:
    """fontconfig's fc-match, looked up once (a build plans a card per page)."""
    return shutil.which("fc-match")


@lru_cache(maxsize=None)
def _match(family: str) -> CardFont | None:
    found = subprocess.run(["fc-match", "--format=%{family}|%{file}|%{index}", f"{family}:style=Bold"],
                           capture_output=True, text=True, check=False)
    parts = found.stdout.split("|")
    if found.returncode != 0 or len(parts) != 3 or family not in parts[0].split(","):
        return None  # fontconfig falls back to any font; only the asked-for family will do
    return CardFont(family, parts[1], int(parts[2] or 0))


def font_for(html_lang: str) -> CardFont:
    """The bold face of the language's Noto Sans CJK family, found with fontconfig; `CardFontMissing` if absent."""
    family = family_for(html_lang)
    if _fc_match() is None:
        raise CardFontMissing(_("fontconfig's fc-match is not installed, so the social cards cannot find their "
                                "fonts; install the Debian packages fontconfig and {package} (or run "
                                "./scripts/setup.sh)").format(package=FONT_PACKAGE))
    font = _match(family)
    if font is None:
        raise CardFontMissing(_("the font {family} is not installed, so the social cards cannot be drawn; "
                                "install the Debian package {package} (apt-get install {package}, or run "
                                "./scripts/setup.sh) and try again").format(family=family, package=FONT_PACKAGE))
    return font


def plan_card(slug: str, lang_code: str, html_lang: str, *, title: str, code: str, site_name: str,
              hero: Path | None, keep_together: tuple[str, ...] = (), font: CardFont | None = None,
              hero_hash: str | None = None) -> Card:
    """The card of one article page, with its cache key (reads the hero's bytes for it, unless the caller
    has their hash: `hero_hash`, blake2b of 16 bytes in hex). `font`: the language's `font_for(html_lang)`,
    when the caller has it (a build plans thousands of cards)."""
    font = font or font_for(html_lang)
    if hero is None:
        hero_hash = ""
    elif not hero_hash:
        hero_hash = hashlib.blake2b(hero.read_bytes(), digest_size=16).hexdigest()
    key = digest("card", code_version_of(__name__), title, code, site_name, html_lang, hero_hash, font.file,
                 str(font.index), *keep_together)
    return Card(card_path(slug, lang_code), title, code, site_name, html_lang, hero, keep_together, font, key)


_CACHED = ("cards", ".jpg")
"""The cache's kind and file suffix for the cards' JPEGs."""


def cached_file(cache: Cache, card: Card) -> Path:
    """Where the card's JPEG is kept in the cache (whether drawn yet or not)."""
    kind, suffix = _CACHED
    return cache.path(kind, card.key, suffix)


def card_bytes(cache: Cache, card: Card) -> bytes:
    """The card's JPEG from the cache; drawn (and kept there) if it is missing, which `draw_missing` makes
    rare: it draws every card the output does not hold yet."""
    path = cached_file(cache, card)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        data = draw(card)
        fsio.write_bytes(path, data, sync=False)
        return data


def draw_missing(cache: Cache, cards: Iterable[Card], run=map,
                 held: Mapping[str, str] | None = None) -> Iterator[tuple[int, int]]:
    """Draw the cards not yet in the cache (`missing_cards`, with `run`, a `map`, e.g. on all cores), yielding
    (drawn, to draw) after each one for a progress display."""
    jobs = missing_cards(cache, cards, held)
    total, done = sum(len(group) for _folder, group in jobs), 0
    for drawn in run(draw_job, jobs):
        done += drawn
        yield done, total


def missing_cards(cache: Cache, cards: Iterable[Card],
                  held: Mapping[str, str] | None = None) -> list[tuple[Path, tuple[Card, ...]]]:
    """The jobs (`draw_job`) that draw the cards not yet in the cache, a card once for all the pages that show
    it. A card the output already holds (`held`: output path -> key) is not looked for, only noted as used:
    the cache keeps it while the site shows it."""
    held = held or {}
    missing: dict[str, Card] = {}
    kept: list[str] = []
    for card in cards:
        if held.get(card.path) == card.key:
            kept.append(card.key)
        elif card.key not in missing and not cached_file(cache, card).exists():  # (which notes it as used)
            missing[card.key] = card
    kind, suffix = _CACHED
    cache.keep_files(kind, kept, suffix)
    _read_cmaps(cache, (card.font for card in missing.values()))
    groups: dict[tuple[Path, str] | str, list[Card]] = {}
    for card in missing.values():  # an article's pages (`<lang>/<slug>/card.jpg`) share its hero
        article = card.path.split("/", 1)[-1]
        groups.setdefault((card.hero, article) if card.hero is not None else card.key, []).append(card)
    return [(cache.folder, tuple(group)) for group in groups.values()]


def draw_job(job: tuple[Path, tuple[Card, ...]]) -> int:
    """Draw the cards sharing one hero (an article's pages in every language) into the cache folder: the hero
    is decoded, cropped and shaded once for all of them. Returns how many."""
    folder, cards = job
    for card, data in zip(cards, draw_all(cards)):
        fsio.write_bytes(cached_file(Cache(folder), card), data, sync=False)
    return len(cards)


def draw_all(cards: tuple[Card, ...]) -> Iterator[bytes]:
    """The JPEG bytes of cards that all have the same hero, its background made once."""
    background = _background(cards[0].hero) if cards else None
    for card in cards:
        assert background is not None and card.hero == cards[0].hero
        yield _draw_on(background.copy(), card)


def draw(card: Card) -> bytes:
    """The card as JPEG bytes."""
    return _draw_on(_background(card.hero), card)


def _draw_on(canvas: PILImage.Image, card: Card) -> bytes:
    """Set the card's text on `canvas` (its own, drawn over) and encode it."""
    pen = ImageDraw.Draw(canvas)
    white = (255, 255, 255)
    small = _font(card.font, 36)
    if card.code:
        pen.text((_MARGIN, _MARGIN), _one_line(f"【{card.code}】", card.font, small), font=small, fill=white)
    size, lines = fit_title(card.title, card.lang, card.font, card.keep_together)
    big = _font(card.font, size)
    step = round(size * _LINE_HEIGHT)
    top = _TITLE_TOP + max(0, (_TITLE_BOTTOM - _TITLE_TOP - step * len(lines)) // 2)
    for number, line in enumerate(lines):
        pen.text((_MARGIN, top + number * step), line, font=big, fill=white)
    if card.site_name:
        foot = _font(card.font, 28)
        pen.text((_MARGIN, HEIGHT - _MARGIN - 28), _one_line(card.site_name, card.font, foot), font=foot, fill=white)
    buffer = io.BytesIO()
    # JPEG: a photo background would make a PNG of a megabyte or more, and some apps show no
    # preview for an image over a few hundred kilobytes. No `optimize`: its second Huffman pass
    # halves the encoding speed for 5-10 % smaller files.
    canvas.save(buffer, "JPEG", quality=_QUALITY)
    return buffer.getvalue()


def _one_line(text: str, face: CardFont, font: ImageFont.FreeTypeFont) -> str:
    """`text` as one line across the card, cut with `…` when longer."""
    line = _drawable(" ".join(text.split()), face)
    if font.getlength(line) <= WIDTH - 2 * _MARGIN:
        return line
    while line and font.getlength(line + "…") > WIDTH - 2 * _MARGIN:
        line = line[:-1]
    return line.rstrip() + "…"


def fit_title(title: str, lang: str, face: CardFont, keep_together: tuple[str, ...] = ()) -> tuple[int, list[str]]:
    """The largest size at which `title`, broken between phrases, fits the title box, and its lines.

    Whole phrases are tried at every size before a phrase is broken inside (between words or CJK
    characters); at the smallest size a title still too long is cut with `…`, so text never leaves
    the card."""
    text = _drawable(" ".join(title.split()), face)
    pieces = _whole_words(phrases(text, lang, keep_together)) or _words(text)
    width, room = WIDTH - 2 * _MARGIN, _TITLE_BOTTOM - _TITLE_TOP
    for may_break in (False, True):
        def fitting(size: int) -> list[str] | None:
            lines = _wrap(pieces, _font(face, size), width, may_break)
            return lines if lines is not None and len(lines) * round(size * _LINE_HEIGHT) <= room else None
        found = _largest(_TITLE_SIZES, fitting)
        if found is not None:
            return found
    size = _TITLE_SIZES[-1]
    font = _font(face, size)
    lines = (_wrap(pieces, font, width, True) or [""])[:max(1, room // round(size * _LINE_HEIGHT))]
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return size, lines


def _largest(sizes: range, fitting) -> tuple[int, list[str]] | None:
    """The largest of `sizes` (largest first) `fitting` gives lines for. Measuring a title costs a
    shaping pass per phrase, so instead of trying every size: the 1st, 2nd, 4th, 8th... (most titles
    fit one of the first), then a binary search between the last too large and the first that fits
    (text that fits at a size fits at every smaller one)."""
    too_large, best = -1, None
    while best is None and too_large < len(sizes) - 1:
        index = min(2 * too_large + 1, len(sizes) - 1) if too_large >= 0 else 0  # 0, 1, 3, 7, 15...
        lines = fitting(sizes[index])
        if lines is None:
            too_large = index
        else:
            best, fits = (sizes[index], lines), index
    if best is None:
        return None
    low, high = too_large + 1, fits - 1
    while low <= high:
        middle = (low + high) // 2
        lines = fitting(sizes[middle])
        if lines is None:
            low = middle + 1
        else:
            best, high = (sizes[middle], lines), middle - 1
    return best


def _whole_words(pieces: list[str] | None) -> list[str] | None:
    """BudouX's phrases, joined where it split inside a Latin word or number (`(BO` + `E)`)."""
    if pieces is None:
        return None
    joined: list[str] = []
    for piece in pieces:
        if joined and joined[-1][-1].isascii() and joined[-1][-1].isalnum() and piece[0].isascii() \
                and piece[0].isalnum():
            joined[-1] += piece
        else:
            joined.append(piece)
    return joined


def _words(text: str) -> list[str]:
    """Pieces for a language without a phrase parser: words with the space after them."""
    words = text.split(" ")
    return [word + " " for word in words[:-1]] + words[-1:]


def _wrap(pieces: list[str], font: ImageFont.FreeTypeFont, width: int, may_break: bool) -> list[str] | None:
    """Lines of whole pieces. A piece wider than a line on its own is broken between words and CJK
    characters when `may_break`; else the answer is None (try a smaller size)."""
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if font.getlength((line + piece).rstrip()) <= width:
            line += piece
            continue
        if line:
            lines.append(line.rstrip())
            line = ""
        if font.getlength(piece.strip()) <= width:
            line = piece.lstrip()
            continue
        if not may_break:
            return None
        atoms = _ATOMS.findall(piece.lstrip())
        for atom in [a for atom in atoms for a in (atom if font.getlength(atom.strip()) > width else [atom])]:
            if line and font.getlength((line + atom).rstrip()) > width:
                lines.append(line.rstrip())
                line = atom.lstrip()
                continue
            line += atom
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def missing_glyphs(text: str, face: CardFont) -> list[str]:
    """The characters of `text` the face has no glyph for (they would be drawn as tofu boxes)."""
    mapped = _cmap(face.file, face.index)
    return [c for c in dict.fromkeys(text) if not c.isspace() and ord(c) not in mapped]


def _drawable(text: str, face: CardFont) -> str:
    """`text` without the characters the face cannot draw: no tofu on a card."""
    missing = set(missing_glyphs(text, face))
    return "".join(c for c in text if c not in missing) if missing else text


_CMAPS: dict[tuple[str, int, int, int], frozenset[int]] = {}
"""Character maps read in this process, by (font file, face index, size, mtime): a font file replaced while
a preview session runs (a package upgrade) is read again."""


def _face_key(file: str, index: int) -> tuple[str, int, int, int] | None:
    try:
        stat = os.stat(file)
    except OSError:
        return None
    return file, index, stat.st_size, stat.st_mtime_ns


def _cmap(file: str, index: int) -> frozenset[int]:
    where = _face_key(file, index)
    found = _CMAPS.get(where) if where is not None else None
    if found is None:
        from fontTools.ttLib import TTFont  # only when a card is drawn: most builds draw none

        with TTFont(file, fontNumber=index, lazy=True) as font:
            found = frozenset(font.getBestCmap())
        if where is not None:
            _CMAPS[where] = found
    return found


def _read_cmaps(cache: Cache, fonts: Iterable[CardFont]) -> None:
    """Read the faces' character maps before the workers fork, so each does not read them again; from the
    build cache when they are there (reading one from a CJK font file takes about 0.15 s)."""
    for font in set(fonts):
        where = _face_key(font.file, font.index)
        if where is None:
            continue  # drawing reports it
        key = digest("cmap", code_version_of(__name__), font.file, str(font.index), str(where[2]), str(where[3]))
        if where in _CMAPS:  # read in this process already: the build cache still gets it, for the next one
            if not cache.present("cmaps", [key]):
                cache.store("cmaps", key, _CMAPS[where])
            continue
        known = cache.load("cmaps", key)
        if isinstance(known, frozenset):
            _CMAPS[where] = known
        else:
            cache.store("cmaps", key, _cmap(font.file, font.index))


@lru_cache(maxsize=64)
def _font(face: CardFont, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(face.file, size, index=face.index)


def _background(hero: Path | None) -> PILImage.Image:
    if hero is None:
        return PILImage.new("RGB", (WIDTH, HEIGHT), _BACKGROUND)
    try:
        with PILImage.open(hero) as original:
            original.load()
            picture = original if original.mode == "RGB" else original.convert("RGB")
            ImageOps.exif_transpose(picture, in_place=True)  # no copy when the photo needs no turning
            picture = ImageOps.fit(picture, (WIDTH, HEIGHT), PILImage.Resampling.LANCZOS)
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return PILImage.new("RGB", (WIDTH, HEIGHT), _BACKGROUND)
    return picture.point(_shade_table())


def _shade_table() -> list[int]:
    """What blending each value with black at `_SHADE` gives, taken from `Image.blend` itself (so
    the pixels are the same) and applied with `point`, a table lookup 5 times faster than a blend."""
    ramp = PILImage.frombytes("L", (256, 1), bytes(range(256)))
    return list(PILImage.blend(ramp, PILImage.new("L", (256, 1), 0), _SHADE / 255).tobytes()) * 3
