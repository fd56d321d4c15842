"""Article bodies for the build: rendered only when their Markdown (or what rendering depends on:
labels, images, the `[markdown]` settings, the code) changed, in parallel for a cold build.

Split from `build.py`.
"""

from __future__ import annotations

from functools import partial
from typing import Callable, Mapping, Sequence
from urllib.parse import quote

from ..cache import Cache, code_version, digest
from ..config import ImageConfig, LanguageConfig, SiteConfig
from ..content.variants import for_language
from ..markdown import Picture, ReadingCount, RenderedBody, render_markdown
from ..markdown.labels import site_labels
from ..parallel import PARALLEL_THRESHOLD, run_parallel
from .images import ResponsiveImage
from .options import BuildOptions
from .plan import Body, Entry, picture

#: `progress(step, done, total)`, as in `build.py`.
Progress = Callable[[str, int, int], None]


def _image_resolver(media: dict[str, ResponsiveImage], root: str, lang: str) -> dict[str, Picture]:
    """Each image by the name the Markdown uses; `chart.png` is `chart.zh.png` on a zh page when there is one."""
    return {name: picture(media[for_language(name, lang, media)], root) for name in media}


def _labels(lang: LanguageConfig) -> dict[str, str]:
    return site_labels(lang.strings)


def _body_key(text: str, lang_code: str, pictures: dict[str, Picture], settings: str) -> str:
    """`text`: the digest of the Markdown body; `settings`: `_settings` of its language."""
    return digest("body", text, lang_code, settings, repr(sorted(pictures.items())))


def _settings(lang: LanguageConfig, raw_html: bool, images: ImageConfig) -> str:
    """What rendering a body depends on besides its text and its folder's images: the code, the language's
    labels and words kept together, whether raw HTML is allowed, and the images' widths and qualities (the
    variants the pictures list). One digest per language, not hashed again into each of the thousands of keys."""
    return digest(code_version(), repr((sorted(_labels(lang).items()), raw_html, lang.keep_together, images)))


class _BodyKeys:
    """Each body's key, remembered by its folder's key (`ContentScan.keys`: the hash of its Markdown files and
    the names, sizes and times of its images), its language and `_settings`, which are all a body key depends
    on: a build after a one-article edit hashes one body, and lists no other article's pictures."""

    def __init__(self, cache: Cache, folder_keys: Mapping[str, str]):
        self.cache, self.folder_keys = cache, folder_keys
        self.key = digest("body keys", code_version())
        known = cache.load("digests", self.key)
        self.known: dict[tuple[str, str, str], str] = known if isinstance(known, dict) else {}
        self.used: dict[tuple[str, str, str], str] = {}

    def of(self, entry: Entry, settings: str, pictures: Callable[[], dict[str, Picture]]) -> str:
        where = (self.folder_keys.get(entry.article.slug, ""), entry.lang.code, settings)
        key = self.known.get(where) if where[0] else None
        if not isinstance(key, str):
            document = entry.article.document(entry.lang.code)
            assert document is not None
            key = _body_key(digest(document.body), entry.lang.code, pictures(), settings)
        self.used[where] = key
        return key

    def save(self) -> None:
        if self.used != self.known:
            self.cache.store("digests", self.key, {where: key for where, key in self.used.items() if where[0]})


def _render_body_job(job: tuple[str, str, str, dict[str, str], dict[str, Picture], str, bool, tuple[str, ...]]
                     ) -> tuple[str, RenderedBody]:
    key, body, lang, labels, pictures, fallback_root, raw_html, keep_together = job

    def image_url(reference: str) -> str | Picture:
        return pictures.get(reference) or fallback_root + quote(reference)

    return key, render_markdown(body, lang=lang, image_url=image_url, labels=labels, raw_html=raw_html,
                                keep_together=keep_together)


def _job(key: str, entry: Entry, pictures: Callable[[], dict[str, Picture]], raw_html: bool) -> tuple:
    """The arguments of `_render_body_job` for `entry`'s body."""
    document = entry.article.document(entry.lang.code)
    assert document is not None
    return (key, document.body, entry.lang.code, _labels(entry.lang), pictures(),
            f"../../media/{entry.article.slug}/", raw_html, entry.lang.keep_together)


def render_bodies(entries: Sequence[Entry], media: dict[str, dict[str, ResponsiveImage]], cache: Cache,
                   options: BuildOptions, progress: Progress | None, config: SiteConfig,
                   folder_keys: Mapping[str, str]) -> dict[tuple[str, str], Body]:
    """Every visible body: (slug, lang) -> body. Rendered only when its Markdown (or what rendering
    depends on) changed; bodies already in the cache are not even read here. `folder_keys`: each article
    folder's key by slug (`ContentScan.keys`)."""
    results: dict[tuple[str, str], Body] = {}
    jobs: dict[str, tuple] = {}
    waiting: dict[str, list[tuple[str, str]]] = {}
    raw_html = config.markdown.allow_raw_html
    keyed = []
    body_keys = _BodyKeys(cache, folder_keys)
    settings = {lang.code: _settings(lang, raw_html, config.images) for lang in config.languages}
    for entry in entries:
        pictures = partial(_image_resolver, media.get(entry.article.slug, {}), "../../", entry.lang.code)
        keyed.append((entry, pictures, body_keys.of(entry, settings[entry.lang.code], pictures)))
    body_keys.save()
    candidates = list(dict.fromkeys(key for _entry, _pictures, key in keyed))
    known = cache.present("headings", candidates) & cache.present("bodies", candidates) & cache.present(
        "reading", candidates)
    cached: dict[tuple[str, str], tuple[str, Entry, Callable[[], dict[str, Picture]]]] = {}
    for entry, pictures, key in keyed:
        article = entry.article
        where = (article.slug, entry.lang.code)
        if key in known:
            cached[where] = (key, entry, pictures)
        else:
            jobs[key] = _job(key, entry, pictures, raw_html)
            waiting.setdefault(key, []).append(where)
    # The reading counts of the bodies not rendered again, in one query: every list page shows them.
    counts = cache.load_many("reading", list(dict.fromkeys(key for key, _entry, _pictures in cached.values())))
    for where, (key, entry, pictures) in cached.items():
        count = counts.get(key)
        if isinstance(count, ReadingCount):
            results[where] = Body(key, None, cache, count)
        else:  # unreadable: render it again
            jobs[key] = _job(key, entry, pictures, raw_html)
            waiting.setdefault(key, []).append(where)
    rendered: list[tuple[str, RenderedBody]] = []
    bodies = run_parallel(_render_body_job, list(jobs.values()), options.jobs, PARALLEL_THRESHOLD)
    for done, (key, body) in enumerate(bodies, start=1):
        rendered.append((key, body))
        for where in waiting[key]:
            results[where] = Body(key, body, cache, body.reading)
        if progress:
            progress("articles", done, len(jobs))
    cache.store_many("bodies", rendered)
    cache.store_many("headings", ((key, body.headings) for key, body in rendered))
    cache.store_many("reading", ((key, body.reading) for key, body in rendered))
    return results
