"""An ARTICLE argument (slug, folder, or `<lang>.md` file) names the same article for every command."""

from __future__ import annotations

import contextlib

import pytest

from publisher.config import load_config
from publisher.content.lookup import find_article, find_article_file
from publisher.errors import ProblemsError, PublisherError
from support.factory import article, make_site, translation


@pytest.fixture
def config(tmp_path):
    return load_config(make_site(tmp_path, {"guide": {"ja.md": article(), "zh.md": translation()},
                                            "broken": {"ja.md": article(date="2025-02-30")}}))


@pytest.mark.parametrize("reference", ["guide", "guide/", "articles/guide", "articles/guide/zh.md"])
def test_a_slug_a_folder_and_a_file_name_the_same_article(config, reference) -> None:
    with contextlib.chdir(config.root):
        found, lang = find_article(config, reference)
        located = find_article_file(config, reference)
    assert found.slug == "guide" and located.slug == "guide"
    assert located.folder == (config.content_dir / "guide").resolve()
    expected = "zh" if reference.endswith("zh.md") else None
    assert lang == expected and located.lang == (expected or "ja")
    assert located.path == located.folder / f"{located.lang}.md"


def test_a_file_in_the_article_folder_names_it_from_there(config) -> None:
    with contextlib.chdir(config.content_dir / "guide"):
        assert find_article_file(config, "zh.md").path == (config.content_dir / "guide" / "zh.md").resolve()


def test_what_each_lookup_says_when_the_article_is_not_there(config) -> None:
    with pytest.raises(PublisherError, match=r"no article 'missing' in .*articles: guide\)"):
        find_article(config, "missing")
    with pytest.raises(ProblemsError, match="the article broken has errors; fix them and try again"):
        find_article(config, "broken")
    with pytest.raises(PublisherError, match=r"'en' is not one of the site's languages"):
        find_article(config, "guide/en.md")
    with pytest.raises(PublisherError, match=r"no article 'missing': there is no articles/missing/ja.md"):
        find_article_file(config, "missing")
    with pytest.raises(PublisherError, match="is the zh file but --lang says ja"):
        find_article_file(config, "articles/guide/zh.md", "ja")
    assert find_article_file(config, "broken").slug == "broken"  # editing a file does not need it valid
