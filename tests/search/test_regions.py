"""The digest of what Pagefind reads of a page: changed by what it indexes, and by nothing else."""

from __future__ import annotations

from publisher.search.regions import indexed_page

PAGE = """<!doctype html>
<html lang="{lang}">
<head><title>{head}</title><meta property="article:tag" content="{tag}"></head>
<body>
<nav>{nav}</nav>
<article class="article" data-pagefind-body>
  <h1 class="title">{title}</h1>
  <p class="date" data-pagefind-ignore>{date}</p>
  <div class="body"><div><p>{body}</p></div></div>
  <footer data-pagefind-ignore><div><ul><li>{tag}</li></ul></div><div>{footer}</div></footer>
</article>
<section class="ranking" data-pagefind-ignore><div>{ranking}</div></section>
<footer data-pagefind-ignore>{footer}</footer>
</body>
</html>
"""
VALUES = dict(lang="ja", head="題", tag="営業", nav="ホーム", title="工業団地", date="2025年", body="本文", footer="©",
              ranking="人気")


def _page(path: str = "ja/a/index.html", template: str = PAGE, **changes: str):
    return indexed_page(path, template.format(**{**VALUES, **changes}).encode())


def test_what_is_not_indexed_changes_nothing():
    page = _page()
    assert page is not None and page.language == "ja"
    for field in ("head", "tag", "nav", "date", "footer", "ranking"):
        assert _page(**{field: "変更"}) == page, field


def test_what_is_indexed_changes_the_digest():
    page = _page()
    assert _page(title="工業団地の選び方") != page
    assert _page(body="本文を直した") != page
    assert _page("ja/b/index.html") != page  # another URL
    assert _page(lang="zh-CN").language == "zh-cn" and _page(lang="zh-CN") != page
    assert _page(template=PAGE.replace('<div class="body">', '<div class="body" id="x">')) != page  # an anchor


def test_pages_without_a_body_element_are_not_indexed():
    assert indexed_page("ja/index.html", PAGE.replace(" data-pagefind-body", "").format(**VALUES).encode()) is None
    assert _page(template=PAGE.replace('<html lang="{lang}">', "<html>")).language == "unknown"


def test_what_the_region_cannot_be_sure_of_covers_the_whole_page():
    """Comments or scripts in the region, Pagefind metadata outside it, tags that do not balance: the digest
    then covers the whole page, so it changes with anything (never misses a change of the index)."""
    for unsure in (PAGE.replace("<p>{body}</p>", "<p>{body}</p><!-- </div> -->"),
                   PAGE.replace("<nav>", '<nav data-pagefind-filter="tag">'),
                   PAGE.replace("<nav>{nav}</nav>", "<h1>{nav}</h1>"),
                   PAGE.replace("</article>", "")):
        assert _page(template=unsure) != _page(template=unsure, tag="実務"), unsure
