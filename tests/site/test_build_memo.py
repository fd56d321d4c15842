"""No hidden module state in the build: two builds of different sites in one process (as the preview server
runs them) see nothing of each other."""

from __future__ import annotations

import publisher.site.records as records
from publisher.config import load_config
from publisher.site.build import BuildOptions, build_site
from publisher.site.plan import BuildMemo
from support.fixture_site import NOW, copy_fixture


def test_two_sites_built_in_one_process_do_not_share_titles_or_links(tmp_path):
    first = load_config(copy_fixture(tmp_path / "first"))
    second_path = copy_fixture(tmp_path / "second")
    source = second_path.parent / "articles/alpha/ja.md"
    text = source.read_text("utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    source.write_text(text.replace(title, "title: 二つ目のサイトだけの題名"), "utf-8")
    second = load_config(second_path)

    build_site(first, BuildOptions(now=NOW, out_dir=tmp_path / "out1", jobs=1))
    build_site(second, BuildOptions(now=NOW, out_dir=tmp_path / "out2", jobs=1))
    # Titles on index pages are phrase-broken (`<wbr>`): compare their text.
    first_index = (tmp_path / "out1/ja/index.html").read_text("utf-8").replace("<wbr>", "")
    second_index = (tmp_path / "out2/ja/index.html").read_text("utf-8").replace("<wbr>", "")
    assert "二つ目のサイトだけの題名" in second_index and "二つ目のサイトだけの題名" not in first_index
    assert "fixture.example.org" in second_index
    # Nothing of either build stays in the module: the memo tables were the build's own.
    assert not [name for name, value in vars(records).items() if isinstance(value, dict) and value
                and name.isupper() and not name.startswith("__")]


def test_a_memo_starts_from_the_cache_and_saves_new_titles_only_when_it_phrased_any(tmp_path):
    from types import MappingProxyType

    from publisher.cache import Cache
    from publisher.config import LanguageConfig

    cache = Cache(tmp_path / "cache")
    ja = LanguageConfig(code="ja", html_lang="ja", strings=MappingProxyType({}))
    memo = BuildMemo.load(cache)
    assert memo.phrased == {} and memo.links == {}
    memo.title_html("地方都市の政策が照らす", ja)
    memo.store(cache, [("地方都市の政策が照らす", "ja")])
    again = BuildMemo.load(cache)
    assert again.loaded == 1 and ("地方都市の政策が照らす", "ja") in again.phrased
    assert BuildMemo.load(cache) is not again
