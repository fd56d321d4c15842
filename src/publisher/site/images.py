"""Responsive images: smaller copies of raster images, in WebP and the original format.

Phones download a picture the width of their screen instead of the full-size
original. Variants are made with Pillow from the original (which is never
touched), stored in the cache under the hash of the original's bytes and the
settings, and made again only when the original changes. SVG needs no
variants; only its intrinsic size is read, for `width`/`height`.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping
from xml.etree import ElementTree

from PIL import Image as PILImage
from PIL import ImageOps

from .. import fsio
from ..cache import Cache, digest
from ..config import ImageConfig
from ..content import Article
from ..content.files import MEDIA_SUFFIXES

#: Formats that get variants, with the MIME type of the original-format copies.
RASTER_FORMATS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}

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
        if mime is None or not width or not height:
            return ResponsiveImage(output_path, source, width, height, None, content=content)
        stem, _, _ = output_path.rpartition(".")
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
        return self.cache.path("images", variant.cache_key, "." + variant.path.rpartition(".")[2])

    def variant_file(self, image: ResponsiveImage, variant: Variant) -> Path:
        """The variant's file in the cache, made now if it is not there yet."""
        path = self.cached_file(variant)
        if not path.exists():
            self.make_variants(image, [variant])
        return path

    def make_variants(self, image: ResponsiveImage, variants: list[Variant]) -> None:
        """Make `variants` of `image` in the cache: the original is read once, and resized once per width."""
        with PILImage.open(image.source) as original:
            picture = ImageOps.exif_transpose(original)
            if picture.mode not in ("RGB", "RGBA", "L", "LA"):
                picture = picture.convert("RGBA" if "A" in picture.getbands() or "transparency" in picture.info
                                          else "RGB")
            for width in sorted({v.width for v in variants}, reverse=True):
                height = max(1, round(picture.height * width / picture.width))
                # reducing_gap: a fast integer reduction first, Lanczos for the last step (same look, faster).
                resized = picture.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
                for variant in (v for v in variants if v.width == width):
                    fsio.write_bytes(self.cached_file(variant), self._encode(resized, variant.mime), sync=False)

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


def _intrinsic_size(data: bytes, suffix: str) -> tuple[int | None, int | None]:
    if suffix == ".svg":
        return _svg_size(data)
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112)
            if orientation in (5, 6, 7, 8):  # shown rotated by a quarter turn
                width, height = height, width
            return width, height
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return None, None


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


def plan_media(articles: Iterable[Article], images: ImageProcessor, files: Mapping[str, tuple[str, ...] | None]
               ) -> dict[str, dict[str, ResponsiveImage]]:
    """Each article's published images by file name (slug -> name -> image). `files`: each folder's regular
    files as the content scan saw them (`ContentScan.files_of`), so the folders are not listed once more."""
    media: dict[str, dict[str, ResponsiveImage]] = {}
    for article in articles:
        if article.slug not in media:
            media[article.slug] = {file.name: images.prepare(file, f"media/{article.slug}/{file.name}")
                                   for file in _media_files(article.folder, files.get(article.slug))}
    return media


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
