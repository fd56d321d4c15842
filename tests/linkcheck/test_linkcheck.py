"""`publish check` reports internal links that lead nowhere, at their line."""

from __future__ import annotations

from click.testing import CliRunner

from publisher.cli import main
from publisher.config import load_config
from publisher.content import load_site
from publisher.linkcheck import _read, link_problems
from support.fixture_site import copy_fixture

LINKS = """
良いリンク: [展示会](../beta/)、[工業団地](../tags/工業団地/)、[上へ](#{own})、[図](hero.svg)、
[外部](https://example.com/x)、[中国語版](/zh/alpha/)。

壊れたリンク: [ない記事](../no-such-article/)

[ない見出し](#nowhere)

[ない資料](missing.pdf)

[ない見出し2](../beta/#nowhere) と [ないタグ](../tags/存在しない/)
"""


def test_broken_internal_links_are_warnings_at_their_line(tmp_path):
    config_path = copy_fixture(tmp_path)
    config = load_config(config_path)
    source = config.content_dir / "alpha/ja.md"
    alpha = next(a for a in load_site(config).site.articles if a.slug == "alpha")
    own = sorted(_read(alpha.source.body)[1])[0]
    text = source.read_text("utf-8") + LINKS.replace("{own}", own)
    source.write_text(text, "utf-8")
    lines = text.splitlines()

    def line_of(fragment: str) -> int:
        return next(number for number, line in enumerate(lines, start=1) if fragment in line)

    problems = link_problems(config, load_site(config).site)
    found = sorted((p.line, p.field, p.message.split(" ", 1)[0]) for p in problems)
    assert found == sorted([
        (line_of("ない記事"), "link", "../no-such-article/"),
        (line_of("[ない見出し](#nowhere)"), "link", "#nowhere"),
        (line_of("ない資料"), "link", "missing.pdf"),
        (line_of("ない見出し2"), "link", "../beta/#nowhere"),
        (line_of("ないタグ"), "link", "../tags/存在しない/"),
    ])
    assert all(p.severity == "warning" and p.path == source for p in problems)
    # (a missing image is already an error of the content check, not repeated here)

    result = CliRunner().invoke(main, ["check", "--config", str(config_path)])
    assert result.exit_code == 0, result.output
    assert f"articles/alpha/ja.md:{line_of('ない記事')}: link: warning: ../no-such-article/ leads to no article" \
        in result.output


def test_external_links_are_tried_with_a_time_limit(tmp_path):
    from publisher.linkcheck import external_problems
    from support.server import StaticServer

    served = tmp_path / "served"
    served.mkdir()
    (served / "there.html").write_text("ok")
    server = StaticServer(served)
    try:
        config_path = copy_fixture(tmp_path)
        config = load_config(config_path)
        source = config.content_dir / "beta/ja.md"
        text = source.read_text("utf-8") + (f"\n[ある]({server.url}there.html)\n\n[ない]({server.url}gone.html)\n"
                                            "\n[つながらない](http://127.0.0.1:9/x)\n")
        source.write_text(text, "utf-8")
        problems = external_problems(load_site(config).site, timeout=5, budget=30)
        lines = text.splitlines()
        found = sorted((p.line, p.message.split(" ", 2)[1]) for p in problems)
        assert found == [(next(i for i, l in enumerate(lines, 1) if "gone.html" in l), "answers"),
                         (next(i for i, l in enumerate(lines, 1) if "127.0.0.1:9" in l), "does")]
        from publisher.cache import Cache

        cache = Cache(config.cache_folder)  # the bodies' links as `link_problems` keeps them: the same answers
        for _ in range(2):  # read and kept, then from the cache
            again = external_problems(load_site(config).site, cache=cache, timeout=5, budget=30)
            assert sorted((p.line, p.message) for p in again) == sorted((p.line, p.message) for p in problems)
        assert cache.keys("links")
        result = CliRunner().invoke(main, ["check", "--external", "--config", str(config_path)])
        assert result.exit_code == 0 and "gone.html answers 404" in result.output
    finally:
        server.close()


def test_with_the_cache_each_body_is_read_once_and_what_links_lead_to_is_looked_up_every_time(tmp_path):
    """A check at 1,000 articles parsed 4,000 bodies every run (27 s); the bodies' links are now kept by
    their text, but an anchor removed from the linked article still shows in the linking one."""
    from publisher.cache import Cache

    config = load_config(copy_fixture(tmp_path))
    beta = config.content_dir / "beta/ja.md"
    heading = next(line for line in beta.read_text("utf-8").splitlines() if line.startswith("## "))
    beta_id = sorted(_read(next(a for a in load_site(config).site.articles if a.slug == "beta").source.body)[1])[0]
    source = config.content_dir / "alpha/ja.md"
    source.write_text(source.read_text("utf-8") + f"\n[見出しへ](../beta/#{beta_id})\n", "utf-8")
    cache = Cache(config.cache_folder)
    first = link_problems(config, load_site(config).site, cache)
    assert link_problems(config, load_site(config).site) == first == []
    assert cache.keys("links")  # kept
    assert link_problems(config, load_site(config).site, cache) == first  # from the cache
    beta.write_text(beta.read_text("utf-8").replace(heading, "## 別の見出し"), "utf-8")
    [problem] = link_problems(config, load_site(config).site, cache)
    assert problem.path == source and "points to no heading of beta" in problem.message
    assert link_problems(config, load_site(config).site) == [problem]  # the same as without the cache
