"""Responsive images: smaller copies of raster images, in WebP and the original format.

Phones download a picture the width of their screen instead of the full-size
original. Variants are made with Pillow from the original (which is never
touched), stored in the cache under the hash of the original's bytes and the
settings, and made again only when the original changes. SVG needs no
variants; only its intrinsic size is read, for `width`/`height`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping
from xml.etree import ElementTree

from PIL import Image as PILImage
from PIL import ImageFile, ImageOps

from .. import fsio
from ..cache import Cache, code_version, digest
from ..config import ImageConfig
from ..content import Article
from ..content.files import MEDIA_SUFFIXES
from ..errors import BuildRefused, Problem
from ..i18n import _
from ..parallel import run_parallel

#: Formats that get variants, with the MIME type of the original-format copies.
RASTER_FORMATS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}

#: What Pillow raises for a file whose pixels cannot be read (cut short, not the format its name says, too big).
_UNREADABLE = (OSError, ValueError, SyntaxError, EOFError, PILImage.DecompressionBombError)

#: How wide images are shown: the text column is at most 46rem (~736 px) wide.
SIZES = "(min-width: 48rem) 46rem, 100vw"


@dataclass(frozen=True)
class Variant:
    """One resized copy of an image."""

    path: str
    """Output path relative to the site root (`media/<slug>/chart-480.webp`)."""
    width: int
    """Width in pixels."""
    mime: str
    """`image/webp` or the original's type."""
    cache_key: str
    """Key of the variant's bytes in the cache."""


@dataclass(frozen=True)
class ResponsiveImage:
    """An image as published: the original and its variants."""

    path: str
    """Output path of the original (`media/<slug>/chart.png`)."""
    source: Path
    """The original file in the article folder."""
    width: int | None
    """Intrinsic width in pixels (None when it cannot be read)."""
    height: int | None
    """Intrinsic height in pixels."""
    mime: str | None
    """Type of the original (None for SVG and unknown formats)."""
    variants: tuple[Variant, ...] = ()
    """Smaller copies: WebP at every width up to the original's, the original format below it."""
    content: str = field(default="", compare=False, repr=False)
    """Hash of the original's bytes (blake2b, 16 bytes, hex), as read for this build; not part of the page
    records (`repr`), which name the image by its path."""

    def srcset(self, prefix: str, mime: str) -> str:
        """`srcset` for the copies of type `mime`, URLs prefixed with `prefix` (e.g. `../../`)."""
        entries = [(v.width, f"{prefix}{v.path}") for v in self.variants if v.mime == mime]
        if mime == self.mime and self.width:
            entries.append((self.width, f"{prefix}{self.path}"))
        if not entries:
            return ""
        return ", ".join(f"{_url(url)} {width}w" for width, url in sorted(entries))


def _url(path: str) -> str:
    return path.replace(" ", "%20").replace(",", "%2C")


class ImageProcessor:
    """Reads image sizes and makes variants, remembering both in the cache."""

    def __init__(self, cache: Cache, settings: ImageConfig):
        self.cache = cache
        self.settings = settings

    def prepare(self, source: Path, output_path: str) -> ResponsiveImage:
        """What publishing `source` at `output_path` involves (variants are planned, not yet made)."""
        data = source.read_bytes()
        content = hashlib.blake2b(data, digest_size=16).hexdigest()
        suffix = source.suffix.lower()
        size_key = digest("size", content, suffix)
        size = self.cache.load("image-size", size_key)
        if size is None:
            size = _intrinsic_size(data, suffix)
            self.cache.store("image-size", size_key, size)
        width, height = size
        mime = RASTER_FORMATS.get(suffix)
        if mime is not None and not (width and height):
            raise unreadable(source, _("it is not a {kind} picture, or it is damaged").format(kind=suffix[1:].upper()))
        if mime is None or not width or not height:
            return ResponsiveImage(output_path, source, width, height, None, content=content)
        stem = output_path.rpartition(".")[0]
        variants = []
        for target in sorted(set(self.settings.widths)):
            if target > width:
                continue
            webp = Variant(f"{stem}-{target}.webp", target, "image/webp", self._key(content, target, "webp"))
            variants.append(webp)
            if target < width:
                variants.append(Variant(f"{stem}-{target}{suffix}", target, mime, self._key(content, target, suffix)))
        if width not in self.settings.widths and mime != "image/webp":
            variants.append(Variant(f"{stem}-{width}.webp", width, "image/webp", self._key(content, width, "webp")))
        return ResponsiveImage(output_path, source, width, height, mime, tuple(variants), content=content)

    def _key(self, content: str, width: int, kind: str) -> str:
        quality = self.settings.webp_quality if kind == "webp" else self.settings.jpeg_quality
        return digest("variant", content, str(width), kind, str(quality))

    def cached_file(self, variant: Variant) -> Path:
        """Where the variant's file is kept in the cache (whether made yet or not)."""
        return self.cache.path("images", variant.cache_key, _cached_suffix(variant))

    def note_used(self, variants: Iterable[Variant]) -> None:
        """Note the cached files of `variants` as used by this build without looking at them (the output holds
        them): the cache keeps them while the site shows them."""
        by_suffix: dict[str, list[str]] = {}
        for variant in variants:
            by_suffix.setdefault(_cached_suffix(variant), []).append(variant.cache_key)
        for suffix, keys in by_suffix.items():
            self.cache.keep_files("images", keys, suffix)

    def missing_variants(self, variants: Iterable[tuple[ResponsiveImage, Variant]], held: Mapping[str, str]
                         ) -> list[tuple[ImageProcessor, ResponsiveImage, list[Variant]]]:
        """The jobs (`make_variants_job`) that make the variants missing from the cache, one image per job. A
        variant the output already holds (`held`: output path -> key) is not looked for, only noted as used."""
        variants = list(variants)
        self.note_used(variant for _image, variant in variants if held.get(variant.path) == variant.cache_key)
        missing: dict[Path, tuple[ImageProcessor, ResponsiveImage, list[Variant]]] = {}
        for image, variant in variants:
            if held.get(variant.path) != variant.cache_key and not self.cached_file(variant).exists():
                job = missing.setdefault(image.source, (self, image, []))
                if variant not in job[2]:
                    job[2].append(variant)
        return list(missing.values())

    def variant_file(self, image: ResponsiveImage, variant: Variant) -> Path:
        """The variant's file in the cache, made now if it is not there yet."""
        path = self.cached_file(variant)
        if not path.exists():
            self.make_variants(image, [variant])
        return path

    def make_variants(self, image: ResponsiveImage, variants: list[Variant]) -> None:
        """Make `variants` of `image` in the cache: the original is read once, and resized once per width.
        An original whose pixels cannot be read stops the build with a message naming it."""
        made: list[tuple[Variant, bytes]] = []
        try:
            with strict_decoding(), PILImage.open(image.source) as original:
                picture = ImageOps.exif_transpose(original)
                if picture.mode not in ("RGB", "RGBA", "L", "LA"):
                    picture = picture.convert("RGBA" if "A" in picture.getbands() or "transparency" in picture.info
                                              else "RGB")
                for width in sorted({v.width for v in variants}, reverse=True):
                    height = max(1, round(picture.height * width / picture.width))
                    # reducing_gap: a fast integer reduction first, Lanczos for the last step (same look, faster).
                    resized = picture.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
                    made.extend((variant, self._encode(resized, variant.mime))
                                for variant in variants if variant.width == width)
        except _UNREADABLE as exc:
            raise unreadable(image.source, str(exc) or type(exc).__name__) from None
        for variant, data in made:
            fsio.write_bytes(self.cached_file(variant), data, sync=False)

    def _encode(self, picture: PILImage.Image, mime: str) -> bytes:
        buffer = io.BytesIO()
        if mime == "image/webp":
            picture.save(buffer, "WEBP", quality=self.settings.webp_quality, method=4)
        elif mime == "image/jpeg":
            picture.convert("RGB").save(buffer, "JPEG", quality=self.settings.jpeg_quality, optimize=True,
                                        progressive=True)
        else:
            picture.save(buffer, "PNG", compress_level=6)
        return buffer.getvalue()


def _cached_suffix(variant: Variant) -> str:
    """The suffix of a variant's file in the cache: `cached_file` and `note_used` must name the same files."""
    return "." + variant.path.rpartition(".")[2]


@contextlib.contextmanager
def strict_decoding() -> Iterator[None]:
    """Pillow as it is out of the box: a file cut short is an error, not a picture grey from where the data
    stops. WeasyPrint, once imported (the PDFs), turns Pillow's process-wide `LOAD_TRUNCATED_IMAGES` on."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def unreadable(source: Path, reason: str) -> BuildRefused:
    """The error for an image in an article folder that cannot be published (a download cut short, a file
    saved under the wrong extension): named, with what to do; the build writes nothing."""
    return BuildRefused((_unreadable_problem(source, reason),),
                        _("an image in the content cannot be read; replace it and build again"))


def _unreadable_problem(source: Path, reason: str) -> Problem:
    return Problem(source, None, "image", _(
        "the image cannot be read ({reason}); export or download it again, or remove it from the article "
        "folder").format(reason=reason))


def unreadable_images(articles: Iterable[Article], cache: Cache) -> list[Problem]:
    """The raster images of the article folders whose pixels cannot be read, which would stop `publish build`
    (`unreadable`): `publish check` reports them first. Each image read whole is remembered in `cache` by its
    path, size and time, so a check reads only the images added or changed since."""
    folders = sorted({article.folder for article in articles})
    keys: dict[Path, str] = {}
    for path in (path for folder in folders for path in _media_files(folder, None)):
        if path.suffix.lower() in RASTER_FORMATS:
            with contextlib.suppress(OSError):  # gone meanwhile: nothing to read
                stat = path.stat()
                keys[path] = digest(_READABLE_KIND, str(path.resolve()), str(stat.st_size), str(stat.st_mtime_ns))
    known = cache.present(_READABLE_KIND, list(keys.values())) if keys else set()
    to_read = sorted(path for path, key in keys.items() if key not in known)
    problems, readable = [], []
    for path, reason in zip(to_read, run_parallel(_why_unreadable, to_read, threshold=8, chunksize=1)):
        if reason is None:
            readable.append((keys[path], True))
        else:
            problems.append(_unreadable_problem(path, reason))
    if readable:
        cache.store_many(_READABLE_KIND, readable)
    return problems


_READABLE_KIND = "readable"
"""The cache's kind for the images `unreadable_images` read whole, by path, size and time."""


def _why_unreadable(path: Path) -> str | None:
    """Why Pillow cannot read every pixel of `path`, or None when it can."""
    try:
        with strict_decoding(), PILImage.open(path) as picture:
            picture.load()
    except _UNREADABLE as exc:
        return str(exc) or type(exc).__name__
    return None


def _intrinsic_size(data: bytes, suffix: str) -> tuple[int | None, int | None]:
    """Width and height as shown (a quarter-turn EXIF orientation swaps them), read from the file's header:
    the pixels are decoded later, once, by whatever needs them (the variants)."""
    if suffix == ".svg":
        return _svg_size(data)
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            width, height = image.size
            orientation = _orientation(image, data)
            if orientation in (5, 6, 7, 8):  # shown rotated by a quarter turn
                width, height = height, width
            return width, height
    except _UNREADABLE:
        return None, None


def _orientation(image: PILImage.Image, data: bytes) -> object:
    """The EXIF orientation tag, if any. A PNG's EXIF may follow its pixels, which Pillow reaches only by
    decoding them (6 ms for a 1200-pixel picture, seconds for a big photo): it is looked for there only when
    a chunk that can hold it does follow them."""
    if image.format == "PNG" and "exif" not in image.info and "Raw profile type exif" not in image.info \
            and not _png_metadata_after_pixels(data):
        return None
    return image.getexif().get(0x0112)


_PNG_METADATA = frozenset((b"eXIf", b"tEXt", b"zTXt", b"iTXt"))
"""PNG chunks that can hold EXIF (Pillow reads the text ones for ImageMagick's `Raw profile type exif`)."""


def _png_metadata_after_pixels(data: bytes) -> bool:
    """Whether a chunk that can hold EXIF follows the PNG's first pixel chunk (chunks: 4-byte length, 4-byte
    type, data, 4-byte CRC; the first after the 8-byte signature). A file cut short holds none there."""
    position, after_pixels = 8, False
    while position + 8 <= len(data):
        length = int.from_bytes(data[position:position + 4], "big")
        kind = data[position + 4:position + 8]
        if kind == b"IEND":
            break
        if kind == b"IDAT":
            after_pixels = True
        elif after_pixels and kind in _PNG_METADATA:
            return True
        position += 12 + length
    return False


def _svg_size(data: bytes) -> tuple[int | None, int | None]:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None, None
    width, height = root.get("width"), root.get("height")
    if width and height and width.replace(".", "").isdigit() and height.replace(".", "").isdigit():
        return round(float(width)), round(float(height))
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        try:
            return round(float(view_box[2])), round(float(view_box[3]))
        except ValueError:
            return None, None
    return None, None


def plan_media(articles: Iterable[Article], images: ImageProcessor, files: Mapping[str, tuple[str, ...] | None],
               folder_keys: Mapping[str, str]) -> dict[str, dict[str, ResponsiveImage]]:
    """Each article's published images by file name (slug -> name -> image). `files`: each folder's regular
    files as the content scan saw them (`ContentScan.files_of`), so the folders are not listed once more.

    `folder_keys`: the content scan's key of each folder (slug -> key). A folder's images are read and hashed
    once for a key and remembered in the cache under it: the key holds the folder's path and the names, sizes
    and times of its files, so an edit does not read every photo of the site again (gigabytes, on a site
    with a thousand illustrated articles)."""
    by_slug: dict[str, Article] = {}
    for article in articles:  # each article comes once per language
        by_slug.setdefault(article.slug, article)
    keys = {slug: digest("media", code_version(), folder_keys[slug], repr(images.settings))
            for slug in by_slug if slug in folder_keys}
    known = images.cache.load_many(_MEDIA_KIND, list(keys.values())) if keys else {}
    media: dict[str, dict[str, ResponsiveImage]] = {}
    made = []
    for article in by_slug.values():
        key = keys.get(article.slug)
        remembered = known.get(key) if key is not None else None
        if _is_media_plan(remembered):
            media[article.slug] = remembered
            continue
        media[article.slug] = {file.name: images.prepare(file, f"media/{article.slug}/{file.name}")
                               for file in _media_files(article.folder, files.get(article.slug))}
        if key is not None:
            made.append((key, media[article.slug]))
    if made:
        images.cache.store_many(_MEDIA_KIND, made)
    return media


_MEDIA_KIND = "media"
"""The cache's kind for each folder's planned images, by folder key."""


def _is_media_plan(value: object) -> bool:
    """A folder's images as `plan_media` stores them (anything else in the cache is planned again)."""
    return isinstance(value, dict) and all(isinstance(name, str) and isinstance(image, ResponsiveImage)
                                           for name, image in value.items())


def _media_files(folder: Path, files: tuple[str, ...] | None) -> list[Path]:
    """The images and other media in `folder`, sorted; `files`: its regular files (None: list the folder)."""
    if files is None:
        try:  # os.scandir: the file type comes with the listing, no stat per file
            with os.scandir(folder) as listing:
                files = tuple(sorted(entry.name for entry in listing if entry.is_file()))
        except OSError:
            return []
    return [folder / name for name in files
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in MEDIA_SUFFIXES]


def make_variants_job(job: tuple[ImageProcessor, ResponsiveImage, list[Variant]]) -> int:
    """One job of `ImageProcessor.missing_variants`; returns how many variants it made."""
    images, image, variants = job
    images.make_variants(image, variants)
    return len(variants)
