"""What a target accepts: a whole, current build of its kind -- and the command's messages and exit codes."""

from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.deploy import DeployOptions, DeployRefused, deploy_site
from publisher.deploy.headers import LONG, MEDIUM, SHORT, STYLES, cache_control, content_type
from support.fixture_site import NOW, TOKYO


def deploy(site, name="web", now=NOW, **options):
    config = site.config()
    return deploy_site(config, config.deploy[name], DeployOptions(now=now, **options))


@pytest.fixture()
def web(site, tmp_path):
    site.targets(f"[deploy.web]\nurl = \"{tmp_path / 'www'}\"\n\n"
                 f"[deploy.staging]\nurl = \"{tmp_path / 'stage'}\"\npreview = true\nfolder = \"../preview\"\n")
    return site


def test_no_build_and_an_unmarked_folder_are_refused(web):
    with pytest.raises(DeployRefused, match="does not exist; run `publish build` first"):
        deploy(web)
    web.dist.mkdir()
    (web.dist / "index.html").write_text("hand-made")
    with pytest.raises(DeployRefused, match="was not written by this version of `publish build`"):
        deploy(web)


def test_a_build_older_than_the_articles_is_refused(web):
    web.build()
    source = web.root / "articles/alpha/ja.md"
    source.write_text(source.read_text("utf-8") + "\n追記。\n", "utf-8")
    with pytest.raises(DeployRefused, match="older than the articles, templates or publisher.toml.*publish build"):
        deploy(web)
    web.build()
    deploy(web)


def test_adding_a_target_does_not_make_the_build_stale(web, tmp_path):
    web.build()
    web.config_path.write_text(web.config_path.read_text("utf-8") + f"\n[deploy.more]\nurl = \"{tmp_path / 'm'}\"\n",
                               "utf-8")
    deploy(web, "more")


def test_a_release_passed_since_the_build_makes_it_stale(web):
    web.build()
    with pytest.raises(DeployRefused, match=r"before gamma was released \(2026-06-01T09:00:00\+09:00\)"):
        deploy(web, now=datetime(2026, 6, 1, 9, 0, tzinfo=TOKYO))
    deploy(web, now=datetime(2026, 6, 1, 8, 59, tzinfo=TOKYO))


def test_a_folder_changed_after_the_build_is_refused(web):
    web.build()
    (web.dist / "ja/alpha/index.html").unlink()
    with pytest.raises(DeployRefused, match=r"incomplete or was changed after the build: it holds \d+ files where"):
        deploy(web)


def test_previews_go_only_to_preview_targets_and_production_only_to_production(web):
    from publisher.preview.pages import PreviewPages

    preview = web.root.parent / "preview"
    web.build(include_drafts=True, include_future=True, out_dir=preview, extra_files=PreviewPages())
    with pytest.raises(DeployRefused, match="holds drafts or scheduled pages \\(a preview build\\) and web is a "
                                            "production target"):
        deploy(web, folder=preview)
    report = deploy(web, "staging")
    assert "_preview/index.html" in {f.path for f in report.plan.uploads}
    web.build()
    with pytest.raises(DeployRefused, match="staging is a preview target and takes only the output of "
                                            "`publish build --preview --out DIR`, but .* is a production build"):
        deploy(web, "staging", folder=web.dist)
    drafts = web.root.parent / "drafts"
    web.build(include_drafts=True, out_dir=drafts)
    with pytest.raises(DeployRefused, match="a drafts build"):
        deploy(web, folder=drafts)


def test_the_command(web, monkeypatch):
    monkeypatch.chdir(web.root)
    runner = CliRunner()
    now = NOW.isoformat()
    assert runner.invoke(main, ["build", "--now", now, "-q"]).exit_code == 0
    result = runner.invoke(main, ["deploy", "--now", now])
    assert result.exit_code == 1 and "several deploy targets are configured (web, staging)" in result.output
    result = runner.invoke(main, ["deploy", "nowhere", "--now", now])
    assert result.exit_code == 1 and "no deploy target called 'nowhere'" in result.output
    result = runner.invoke(main, ["deploy", "web", "--now", now, "--dry-run"])
    assert result.exit_code == 0 and "+ ja/alpha/index.html" in result.output
    assert "dry run: would upload" in result.output and "nothing was changed" in result.output
    result = runner.invoke(main, ["deploy", "web", "--now", now])
    assert result.exit_code == 0 and "uploaded" in result.output and "0 deleted" in result.output
    result = runner.invoke(main, ["deploy", "web", "--now", now])
    assert result.exit_code == 0 and "is up to date" in result.output and "nothing sent" in result.output
    result = runner.invoke(main, ["deploy", "web", "--now", "2026-06-02T00:00"])
    assert result.exit_code == 1 and "run `publish build` first" in result.output
    assert "Traceback" not in result.output


def test_headers_by_kind_of_file():
    assert content_type("ja/a/index.html") == "text/html; charset=utf-8"
    assert content_type("zh/feed.xml") == "application/atom+xml; charset=utf-8"
    assert content_type("assets/site.css") == "text/css; charset=utf-8"
    assert content_type("assets/app.js") == "text/javascript; charset=utf-8"
    assert content_type("releases.json") == "application/json; charset=utf-8"
    assert content_type("media/a/hero.800.webp") == "image/webp"
    assert content_type("blob") == "application/octet-stream"
    assert cache_control("ja/a/index.html") == SHORT and cache_control("sitemap.xml") == SHORT
    assert cache_control("assets/site.3f9a2b7c1d.css") == LONG
    assert cache_control("media/a/hero.png") == MEDIUM and cache_control("assets/site.css") == STYLES
    assert cache_control("media/a/hero.png", (("media/*", "no-store"),)) == "no-store"
