"""Related links worked out again only where an edit can change them: after any series of edits, the links
from the cache are the links worked out afresh."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from publisher.cache import Cache
from publisher.config import load_config
from publisher.content import Article, Visibility
from publisher.content.model import Document, Status
from publisher.site.plan import Entry
from publisher.site.related import RelatedLinks
from support.fixture_site import FIXTURE, TOKYO

TAGS = ["工業団地", "物流", "人事", "税務", "営業", "展示会"]
LANGUAGES = load_config(FIXTURE / "publisher.toml").languages


def _article(slug: str, tags: list[str], day: int, related: list[str]) -> Article:
    source = Document("ja", Path(f"{slug}/ja.md"), slug, None, None, tuple(tags), Status.PUBLISHED, "", 1)
    when = datetime(2025, 11, 1, 9, 0, tzinfo=TOKYO) + timedelta(days=day)
    return Article(slug, Path(slug), None, date(2025, 11, 1), when, None, tuple(related), False, None, False, source)


def _by_lang(articles: dict[str, Article], hidden: set[tuple[str, str]]) -> dict[str, dict[str, Entry]]:
    by_lang: dict[str, dict[str, Entry]] = {}
    for article in sorted(articles.values(), key=lambda a: (a.publish_at, a.slug), reverse=True):
        for lang in LANGUAGES:
            if (article.slug, lang.code) not in hidden:
                by_lang.setdefault(lang.code, {})[article.slug] = Entry(article, lang, Visibility.LIVE)
    return by_lang


def _links(related: RelatedLinks, by_lang: dict[str, dict[str, Entry]]) -> dict[tuple[str, str], list[str]]:
    return {(slug, code): [e.article.slug for e in related.of(entry.article, code)]
            for code, here in by_lang.items() for slug, entry in here.items()}


def test_links_from_the_cache_are_the_links_worked_out_afresh_after_any_edit(tmp_path):
    rng = random.Random(17)
    slugs = [f"a{n:02d}" for n in range(40)]
    articles = {slug: _article(slug, rng.sample(TAGS, rng.randint(0, 3)), rng.randint(0, 9),
                               rng.sample(slugs, rng.randint(0, 2))) for slug in slugs}
    hidden: set[tuple[str, str]] = {(slug, "zh") for slug in rng.sample(slugs, 5)}
    cache = Cache(tmp_path / "cache")
    RelatedLinks(_by_lang(articles, hidden), 3, cache).save()
    for step in range(60):
        slug = rng.choice(slugs)
        kind = rng.choice(["tags", "date", "related", "hide", "show", "delete", "add"])
        if kind == "tags" and slug in articles:
            source = replace(articles[slug].source, tags=tuple(rng.sample(TAGS, rng.randint(0, 3))))
            articles[slug] = replace(articles[slug], source=source)
        elif kind == "date" and slug in articles:
            moved = articles[slug].publish_at + timedelta(days=rng.randint(-3, 3))
            articles[slug] = replace(articles[slug], publish_at=moved)
        elif kind == "related" and slug in articles:
            articles[slug] = replace(articles[slug], related=tuple(rng.sample(slugs, rng.randint(0, 3))))
        elif kind == "hide":
            hidden.add((slug, rng.choice(["ja", "zh"])))
        elif kind == "show":
            hidden.discard((slug, rng.choice(["ja", "zh"])))
        elif kind == "delete":
            articles.pop(slug, None)
        elif kind == "add" and slug not in articles:
            articles[slug] = _article(slug, rng.sample(TAGS, rng.randint(1, 3)), rng.randint(0, 9), [])
        by_lang = _by_lang(articles, hidden)
        kept = RelatedLinks(by_lang, 3, cache)
        fresh = RelatedLinks(by_lang, 3, Cache(tmp_path / f"fresh-{step}"))
        assert _links(kept, by_lang) == _links(fresh, by_lang), (step, kind, slug)
        kept.save()


def test_an_edit_works_out_again_only_the_pages_it_can_change(tmp_path):
    articles = {"a": _article("a", ["物流"], 1, []), "b": _article("b", ["物流", "人事"], 2, []),
                "c": _article("c", ["人事"], 3, ["d"]), "d": _article("d", ["税務"], 4, []),
                "e": _article("e", ["税務"], 5, [])}
    cache = Cache(tmp_path / "cache")
    first = RelatedLinks(_by_lang(articles, set()), 2, cache)
    _links(first, _by_lang(articles, set()))
    first.save()
    articles["a"] = replace(articles["a"], source=replace(articles["a"].source, tags=("物流", "展示会")))
    again = RelatedLinks(_by_lang(articles, set()), 2, cache)
    # b shares 物流 with a both before and after: a's standing among b's candidates is the same.
    assert {slug for slug, _lang in set(again.facts) - set(again.known)} == {"a"}
    _links(again, _by_lang(articles, set()))
    again.save()
    hidden = {("d", "ja")}
    later = RelatedLinks(_by_lang(articles, hidden), 2, cache)
    # d left the Japanese pages: c names it, e shares its tag.
    assert set(later.facts) - set(later.known) == {("c", "ja"), ("e", "ja")}
