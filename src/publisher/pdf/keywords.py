"""A cached PDF given new keywords, instead of a new layout, when an edit changed only an article's tags.

An article's tags reach its PDF as the document's Keywords only: the print
template puts them in `<meta name="keywords">`, and WeasyPrint writes that to
the Info dictionary and, in a tagged PDF (`[pdf] tagged`), to the XMP
metadata, where PDF/UA wants the two to agree. Laying the article out again
costs a second or more; writing the keywords costs milliseconds.

So the cache names a PDF by two keys (`jobkeys.job_hash`): its layout, which
leaves the `tags` field of the page's Markdown out, and its keywords. When
only the keywords key differs from a cached PDF's, `restamp` checks that the
print template uses the tags for nothing else (the page rendered without tags
and with other tags is the same once its keyword tags are taken out), then
appends the new keywords to a copy as an incremental update: pypdf adds a new
Info dictionary and XMP stream after the original bytes, which stay as they
were. Anything unexpected (a template that shows the tags, a damaged cache
file, an XMP packet in another shape) answers "render it again".
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import replace
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from .. import fsio
from ..config import SiteConfig
from ..site.templates import Templates
from .render import PRINT_TEMPLATE, PdfJob, print_page

_TAGS_FIELD = re.compile(rb"^tags[ \t]*:.*\n(?:[ \t-].*\n|[ \t]*\n(?=[ \t-]))*", re.MULTILINE)
_FRONTMATTER = re.compile(rb"\A---[ \t]*\r?\n(.*?\n)---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_ANCHOR = re.compile(rb"(?:^|[\s\[{,:-])&[^\s,\[\]{}]")
_WHITESPACE = " \t\n\r\f"  # what WeasyPrint strips around each keyword
_STAND_IN_TAG = "\ue000stand-in tag"


def without_tags_field(data: bytes) -> bytes:
    """A Markdown file's bytes without its frontmatter's top-level `tags` field (its line and the lines that
    continue its value), for the layout key. Unchanged when there is no such field, or when its value holds an
    anchor (`&`) that another field could repeat."""
    frontmatter = _FRONTMATTER.match(data)
    if frontmatter is None or b"\r" in frontmatter.group(1):
        return data
    field = _TAGS_FIELD.search(data, frontmatter.start(1), frontmatter.end(1))
    if field is None or _ANCHOR.search(field.group()):
        return data
    return data[:field.start()] + data[field.end():]


class _Metas(HTMLParser):
    """The `<meta name="keywords">` elements of a page: their content, and where each is in the text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.contents: list[str] = []
        self.spans: list[tuple[int, int]] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and (values.get("name") or "").lower() == "keywords":
            line, column = self.getpos()
            start = self._line_starts[line - 1] + column
            self.spans.append((start, start + len(self.get_starttag_text() or "")))
            self.contents.append(values.get("content") or "")

    handle_startendtag = handle_starttag


def _keywords(metas: _Metas) -> str | None:
    """The Keywords WeasyPrint writes for these elements (its `get_html_metadata`, then `', '.join`)."""
    keywords: list[str] = []
    for content in metas.contents:
        for keyword in content.split(","):
            keyword = keyword.strip(_WHITESPACE)
            if keyword not in keywords:
                keywords.append(keyword)
    return ", ".join(keywords) if keywords else None


def _without(html: str, spans: list[tuple[int, int]]) -> str:
    """`html` without the elements at `spans`, and the white space after each (the template's line break)."""
    for start, end in reversed(spans):
        html = html[:start] + html[end:].lstrip(_WHITESPACE)
    return html


class Restamper:
    """Makes a PDF from the cached PDF of its layout when only its keywords differ. One per batch: the print
    template is compiled once for all its checks."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.templates = Templates(config.templates_dir)

    def __call__(self, job: PdfJob, same_layout: Path, path: Path) -> bool:
        """`path` made from `same_layout` (True), or nothing written: the template shows the tags, or the
        cached file is gone or cannot be read."""
        if not same_layout.is_file():  # a preview and a build share the cache: it may be gone since listed
            return False
        found = keywords_if_only_metadata(self.config, self.templates, job)
        return found is not None and restamp(same_layout, path, found[0])


def keywords_if_only_metadata(config: SiteConfig, templates: Templates, job: PdfJob) -> tuple[str | None] | None:
    """`(keywords,)`: what WeasyPrint would write as the PDF's Keywords for `job` (None: none), when the print
    template uses the tags for the keywords only; None when they change the page itself."""
    page = print_page(config, job)
    metas = _Metas(templates.render(PRINT_TEMPLATE, page))
    bare = replace(page, body_html="")
    seen = set()
    for tags in ((), (_STAND_IN_TAG,), page.tags):
        variant = templates.render(PRINT_TEMPLATE, replace(bare, tags=tags))
        seen.add(_without(variant, _Metas(variant).spans))
        if len(seen) > 1:
            return None
    return (_keywords(metas),)


_XMP_KEYWORDS = re.compile(r'<rdf:Description rdf:about=""><pdf:Keywords>[^<]*</pdf:Keywords></rdf:Description>')
_XMP_AFTER_KEYWORDS = re.compile(r'<rdf:Description rdf:about=""><xmp:|</rdf:RDF>')


def _xmp_with(xmp: str, keywords: str | None) -> str | None:
    """WeasyPrint's XMP packet with `keywords` where WeasyPrint puts them; None if it is not in that shape."""
    entry = "" if keywords is None else (
        f'<rdf:Description rdf:about=""><pdf:Keywords>{escape(keywords, quote=False)}</pdf:Keywords>'
        '</rdf:Description>')
    found = list(_XMP_KEYWORDS.finditer(xmp))
    if len(found) > 1 or (not found and "Keywords" in xmp):
        return None
    if found:
        return xmp[:found[0].start()] + entry + xmp[found[0].end():]
    before = _XMP_AFTER_KEYWORDS.search(xmp)
    if before is None:
        return None
    return xmp[:before.start()] + entry + xmp[before.start():]


def restamp(source: Path, target: Path, keywords: str | None) -> bool:
    """Write `source` (a cached PDF) to `target` with `keywords` as its Keywords, in the Info dictionary and,
    if it has one, the XMP metadata; False (nothing written) when `source` cannot be read as WeasyPrint's."""
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        writer = pypdf.PdfWriter(io.BytesIO(source.read_bytes()), incremental=True)
        info = {key: value for key, value in (writer.metadata or {}).items() if key != "/Keywords"}
        if keywords is not None:
            info["/Keywords"] = keywords
        writer.metadata = info
        if "/Metadata" in writer.root_object:
            stream = writer.root_object["/Metadata"].get_object()
            xmp = _xmp_with(stream.get_data().decode("utf-8"), keywords)
            if xmp is None:
                return False
            stream.set_data(xmp.encode("utf-8"))
        out = io.BytesIO()
        writer.write(out)
    except Exception:  # pypdf raises assorted errors on damaged files; the PDF is then rendered again
        return False
    fsio.write_bytes(target, out.getvalue(), sync=False)
    return True
