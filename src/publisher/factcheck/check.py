"""The deterministic fact check: every figure of an article that none of its sources contains."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from ..cache import Cache, code_version, digest
from ..config import SiteConfig
from ..content import Article
from ..content.frontmatter import read_document
from ..errors import Problem, ProblemsError, PublisherError, shown_path
from ..i18n import _
from ..sources import Passage, SourceError, read_source
from .body import Block, prose_blocks
from .figures import Figure, extract_figures
from .index import SourceIndex, grams, keys_of

EXCERPT_CHARS = 60
"""Characters of the closest passage quoted in a finding."""

_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=\.)\s")


@dataclass(frozen=True)
class Finding:
    """A figure of the article that none of its sources contains."""

    path: Path
    """The article's Markdown file (`ja.md`, `zh.md`)."""
    line: int
    """1-based line of the figure in that file."""
    figure: str
    """The figure as written (`9.6万社`)."""
    value: str
    """Its normalised value (`96000`; a date `2025-12-05`; a range `30000~50000`)."""
    closest: Passage | None
    """The source passage most like the figure's sentence (shared figures, then shared wording); None when
    no passage shares anything with it."""
    excerpt: str = ""
    """A short quote of `closest` around what it shares with the sentence."""

    def message(self) -> str:
        text = _("figure {figure} is in none of the sources").format(figure=self.figure)
        if self.closest is not None:
            text += _("; closest: {anchor} \"{excerpt}\"").format(
                        anchor=self.closest.anchor, excerpt=self.excerpt)
        return text

    def format(self, root: Path | None = None) -> str:
        """`path:line: figure 9.6万社 is in none of the sources; closest: sources/x.txt#L12-L20 "…"`."""
        return f"{shown_path(self.path, root)}:{self.line}: {self.message()}"


@dataclass(frozen=True)
class Verdict:
    """The model's opinion (`--llm`) on one sentence with figures."""

    path: Path
    """The article's Markdown file."""
    line: int
    """Line of the sentence's first figure."""
    sentence: str
    """The sentence as checked."""
    anchors: tuple[str, ...]
    """The passages it was checked against (its marker's, else the closest one)."""
    supported: Literal["yes", "no", "unclear"]
    """The model's answer."""
    reason: str
    """The model's one-sentence reason."""

    def format(self, root: Path | None = None) -> str:
        where = ", ".join(self.anchors) or _("no passage")
        message = {"yes": _("model: supported by {passages}: {reason}"),
                   "no": _("model: NOT supported by {passages}: {reason}"),
                   "unclear": _("model: unclear by {passages}: {reason}")}[self.supported]
        return f"{shown_path(self.path, root)}:{self.line}: " + message.format(passages=where, reason=self.reason)


@dataclass(frozen=True)
class FactcheckReport:
    """What the fact check found in one language version of one article."""

    slug: str
    """The article."""
    lang: str
    """The language version checked."""
    path: Path
    """Its Markdown file."""
    sources: tuple[str, ...]
    """The sources it was checked against (`Article.sources`)."""
    figures: int
    """How many figures were checked."""
    findings: tuple[Finding, ...]
    """Figures in none of the sources, in file order."""
    verdicts: tuple[Verdict, ...] = field(default=())
    """The model's verdicts (only with `--llm`)."""

    @property
    def unsupported(self) -> tuple[Verdict, ...]:
        """Sentences the model said the cited passage does not support."""
        return tuple(v for v in self.verdicts if v.supported == "no")

    @property
    def ok(self) -> bool:
        return not self.findings and not self.unsupported

    def problems(self) -> tuple[Problem, ...]:
        """The findings (and the model's `no` verdicts) as warnings for `publish check`."""
        problems = [Problem(f.path, f.line, "factcheck", f.message(), "warning") for f in self.findings]
        problems += [Problem(v.path, v.line, "factcheck", _("the model says {anchors} does not support this "
                                                            "sentence: {reason}").format(
            anchors=', '.join(v.anchors) or 'the sources', reason=v.reason), "warning") for v in self.unsupported]
        return tuple(problems)


# --- loading the sources ------------------------------------------------------------------------------------


def load_sources(config: SiteConfig, article: Article, cache: Cache | None = None) -> list[SourceIndex]:
    """Read and index each of the article's sources (indexes are cached by the file's bytes).

    A source that cannot be read is a `ProblemsError` located at its line in the frontmatter.
    """
    indexes = []
    for name in article.sources:
        path = article.folder / name
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        key = digest(code_version(), name, data) if data is not None else None
        index = cache.load("factcheck-source", key) if cache is not None and key else None
        if index is None:
            try:
                index = SourceIndex.build(read_source(path, name))
            except SourceError as exc:
                raise ProblemsError((Problem(article.source.path, _sources_line(article, name), "sources",
                                             f"{exc}"),), _("cannot read the sources of {slug}").format(
                                                 slug=article.slug)) from None
            if cache is not None and key:
                cache.store("factcheck-source", key, index)
        indexes.append(index)
    return indexes


def _sources_line(article: Article, name: str) -> int | None:
    """The frontmatter line listing source `name` (the `sources:` line when it cannot be told apart)."""
    raw, _problems = read_document(article.source.path)
    if raw is None:
        return None
    start = raw.field_lines.get("sources")
    if start is None:
        return None
    lines = article.source.path.read_text("utf-8").split("\n")[start - 1: raw.body_line - 1]
    for offset, text in enumerate(lines):
        if offset and re.match(r"^[^\s#-]", text):
            break
        if name in text:
            return start + offset
    return start


# --- the check ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """A figure of the article, where it is and in which sentence."""

    figure: Figure
    line: int
    sentence: str
    block: Block


def article_figures(article: Article, lang: str) -> list[Located]:
    """Every figure of the `lang` version's body, with its line and sentence."""
    document = article.document(lang)
    assert document is not None
    found = []
    for block in prose_blocks(document.body, document.body_line, code=article.code):
        text = block.text
        starts = []
        offset = 0
        for line, piece in block.lines:
            starts.append((offset, line))
            offset += len(piece)
        sentences = _sentences(text)
        for figure in extract_figures(text):
            line = next(line for start, line in reversed(starts) if start <= figure.start)
            sentence = next((s for s, start, end in sentences if start <= figure.start < end), text)
            found.append(Located(figure, line, sentence.strip(), block))
    return found


def _sentences(text: str) -> list[tuple[str, int, int]]:
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        if end > start:
            out.append((text[start:end], start, end))
            start = end
    if start < len(text):
        out.append((text[start:], start, len(text)))
    return out


def is_supported(figure: Figure, indexes: list[SourceIndex]) -> bool:
    """Is the figure in one of the sources (a rounded one: a source number that rounds to it)?"""
    if all(any(value in index.keys for index in indexes) for value in figure.values):
        return True
    if figure.unit == "date":
        return False
    rounded = figure.approximate or re.search(r"[万億亿兆千萬]", figure.text)
    if not rounded:
        return False
    tolerance = Decimal(figure.precision) / 2
    return all(any(value in index.keys or index.has_number_near(Decimal(value), tolerance) for index in indexes)
               for value in figure.values)


def closest_passage(sentence: str, indexes: list[SourceIndex]) -> tuple[Passage | None, str]:
    """The passage sharing most figures with `sentence`, then most wording; and a short excerpt of it."""
    sentence_keys: set[str] = set()
    for figure in extract_figures(sentence):
        sentence_keys |= keys_of(figure)
    sentence_grams = grams(sentence)
    best, best_score = None, 0.0
    for index in indexes:
        for passage, keys, passage_grams in zip(index.passages, index.passage_keys, index.passage_grams):
            shared = len(sentence_keys & keys)
            wording = len(sentence_grams & passage_grams) / max(1, len(sentence_grams))
            score = shared * 2 + wording
            if score > best_score:
                best, best_score = passage, score
    if best is None or best_score < 0.1:
        return None, ""
    return best, excerpt(best.text, sentence)


def excerpt(text: str, sentence: str, size: int = EXCERPT_CHARS) -> str:
    """About `size` characters of `text` around its longest run in common with `sentence`."""
    flat = " / ".join(line.strip() for line in text.split("\n") if line.strip())
    if len(flat) <= size:
        return flat
    matcher = difflib.SequenceMatcher(None, flat, sentence, autojunk=False)
    match = matcher.find_longest_match(0, len(flat), 0, len(sentence))
    centre = match.a + match.size // 2 if match.size else 0
    start = max(0, min(centre - size // 2, len(flat) - size))
    piece = flat[start:start + size]
    return ("…" if start else "") + piece + ("…" if start + size < len(flat) else "")


def check_article(config: SiteConfig, article: Article, *, lang: str | None = None) -> FactcheckReport:
    """Check every figure of `article` (in `lang`, default the source language) against its sources.

    Results are cached under `.publisher/cache/` by the bytes of the article file, of its sources and of
    publisher's code, so a second check of an unchanged article costs a lookup.
    """
    lang = lang or article.source.lang
    document = article.document(lang)
    if document is None:
        raise PublisherError(_("{slug} has no {lang}.md; translate it first (`publish translate "
                               "{slug}`) or leave out --lang").format(
                                 slug=article.slug, lang=lang))
    cache = Cache(config.cache_dir) if config.cache_dir is not None else None
    key = None
    if cache is not None:
        parts: list[bytes | str] = [code_version(), str(document.path), lang, _bytes(document.path)]
        for name in article.sources:
            parts += [name, _bytes(article.folder / name)]
        key = digest(*parts)
        cached = cache.load("factcheck", key)
        if isinstance(cached, FactcheckReport):
            return cached
    indexes = load_sources(config, article, cache)
    located = article_figures(article, lang)
    findings = []
    for item in located:
        if is_supported(item.figure, indexes):
            continue
        passage, quote = closest_passage(item.sentence, indexes)
        findings.append(Finding(document.path, item.line, item.figure.text, item.figure.value, passage, quote))
    report = FactcheckReport(slug=article.slug, lang=lang, path=document.path, sources=article.sources,
                             figures=len(located), findings=tuple(findings))
    if cache is not None and key is not None:
        cache.store("factcheck", key, report)
    return report


def _bytes(path: Path) -> bytes | str:
    try:
        return path.read_bytes()
    except OSError:
        return "<missing>"
