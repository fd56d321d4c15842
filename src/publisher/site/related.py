"""The related links of each article page: the writer's `related` list first, then the visible articles
sharing most tags with it (newest first).

Worked out again only where an edit can change them. The links are kept in
the build cache with what they were worked out from (each visible page's
release time, source-language tags and `related` list); the next build
compares those facts with its own and works out again only the pages of a
changed article, the pages sharing a tag with one (before or after the
change), and the pages whose `related` list names one. Any other page's
links cannot have changed: an article that shares no tag with a page, and
that the page does not name, is not among its candidates, before or after.
A tag edit at 1,000 articles so works out a few hundred pages instead of
2,000; a title or body edit none.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain
from typing import Mapping

from ..cache import Cache, code_version, digest
from ..content import Article
from .plan import Entry
from .tags import tag_segment

_Facts = tuple[str, frozenset[str], tuple[str, ...]]
"""What a page's related links depend on of its article: release instant, source tags (as URL segments),
the writer's `related` list."""


class RelatedLinks:
    """The related articles of each visible page, by (slug, lang): from the cache where still valid."""

    def __init__(self, by_lang: Mapping[str, Mapping[str, Entry]], count: int, cache: Cache):
        self.by_lang = by_lang
        self.count = count
        self.cache = cache
        self.key = digest("related links", code_version(), str(count))
        self.facts = {(slug, code): _facts(entry.article) for code, here in by_lang.items()
                      for slug, entry in here.items()}
        stored = cache.load("related", self.key)
        before, known = stored if _well_formed(stored) else ({}, {})
        stale = _stale(before, self.facts) if before != self.facts else set()
        self.known: dict[tuple[str, str], list[str]] = {where: list(slugs) for where, slugs in known.items()
                                                        if where in self.facts and where not in stale}
        self.changed = before != self.facts or len(self.known) != len(known)
        self.indexes: dict[str, _TagIndex] = {}

    def of(self, article: Article, lang: str) -> list[Entry]:
        visible = self.by_lang.get(lang, {})
        slugs = self.known.get((article.slug, lang))
        if slugs is None:
            index = self.indexes.get(lang)
            if index is None:
                index = self.indexes[lang] = _TagIndex(visible)
            slugs = self.known[(article.slug, lang)] = _related(article, visible, index, self.count)
            self.changed = True
        return [visible[slug] for slug in slugs if slug in visible]

    def save(self) -> None:
        if self.changed:
            self.cache.store("related", self.key, (self.facts, self.known))


def _facts(article: Article) -> _Facts:
    return article.publish_at.isoformat(), _source_tags(article), tuple(article.related)


def _source_tags(article: Article) -> frozenset[str]:
    return frozenset(tag_segment(t) for t in article.source.tags)


def _well_formed(stored: object) -> bool:
    return (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], dict)
            and isinstance(stored[1], dict))


def _stale(before: Mapping[tuple[str, str], _Facts], now: Mapping[tuple[str, str], _Facts]) -> set[tuple[str, str]]:
    """The pages whose related links may differ from `before`'s: the changed ones, and those for which a
    changed article's standing differs (how many tags it shares with them, and its release instant when it
    shares any; whether it is visible when they name it). Everything, when most pages changed."""
    changed = {where for where in before.keys() | now.keys() if before.get(where) != now.get(where)}
    if len(changed) > len(now) // 4:
        return set(now)
    tagged: dict[str, dict[str, list[str]]] = {}  # lang -> tag -> visible slugs (unchanged pages keep their tags)
    naming: dict[str, dict[str, list[str]]] = {}  # lang -> slug -> visible slugs whose `related` names it
    for (slug, lang), (_instant, tags, related) in now.items():
        for tag in tags:
            tagged.setdefault(lang, {}).setdefault(tag, []).append(slug)
        for name in related:
            naming.setdefault(lang, {}).setdefault(name, []).append(slug)
    stale = set(changed)
    for slug, lang in changed:
        old, new = before.get((slug, lang)), now.get((slug, lang))
        if (old is None) != (new is None):
            stale.update((other, lang) for other in naming.get(lang, {}).get(slug, ()))
        tags = (old[1] if old else frozenset()) | (new[1] if new else frozenset())
        for other in {other for tag in tags for other in tagged.get(lang, {}).get(tag, ())}:
            own = now[(other, lang)][1]
            if _standing(own, old) != _standing(own, new):
                stale.add((other, lang))
    return stale


def _standing(own: frozenset[str], facts: _Facts | None) -> tuple[int, str] | None:
    """Where an article stands among a page's candidates: the tags it shares with the page, and its release
    instant (the order among equals); None when it is not a candidate."""
    shared = len(own & facts[1]) if facts is not None else 0
    return (shared, facts[0]) if shared else None


class _TagIndex:
    """The visible articles of one language under each of their source tags, newest first: an article's
    candidates are the members of its own tags, a few hundred at most, never the whole site."""

    def __init__(self, visible: Mapping[str, Entry]):
        members: dict[str, list[tuple[float, str]]] = {}
        for entry in visible.values():
            order = (-entry.article.publish_at.timestamp(), entry.article.slug)
            for tag in _source_tags(entry.article):
                members.setdefault(tag, []).append(order)
        self.members = members

    def similar(self, article: Article, exclude: set[str], count: int) -> list[str]:
        """The `count` articles sharing most tags with `article`, newest first among equals."""
        if count <= 0:
            return []
        shared = Counter(chain.from_iterable(self.members.get(tag, ()) for tag in _source_tags(article)))
        by_score: dict[int, list[tuple[float, str]]] = {}
        for order, score in shared.items():
            by_score.setdefault(score, []).append(order)
        found: list[str] = []
        for score in sorted(by_score, reverse=True):
            for _order, slug in sorted(by_score[score]):
                if slug not in exclude:
                    found.append(slug)
                    if len(found) == count:
                        return found
        return found


def _related(article: Article, visible: Mapping[str, Entry], index: _TagIndex, count: int) -> list[str]:
    """The writer's `related` list first, then the articles sharing most tags (newest first)."""
    chosen = [slug for slug in article.related if slug in visible]
    if len(chosen) >= count:
        return chosen
    return chosen + index.similar(article, set(chosen) | {article.slug}, count - len(chosen))
