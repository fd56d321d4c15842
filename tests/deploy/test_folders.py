"""`publish deploy` through the rsync program to a folder, and by plain copy to a folder on this machine."""

from __future__ import annotations

import json
import os

import pytest

from publisher.deploy import MANIFEST, DeployError, DeployOptions, DeployRefused, deploy_site
from support.fixture_site import NOW


def deploy(site, name, **options):
    config = site.config()
    progress = options.pop("progress", None)
    return deploy_site(config, config.deploy[name], DeployOptions(now=NOW, **options), progress=progress)


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MANIFEST}


def stamps(folder):
    """Inode and modification time of every file: a file sent again gets new ones."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(site, slug="alpha", lang="ja", old="沿海部の人件費は", new="沿海部の賃金水準は"):
    source = site.root / f"articles/{slug}/{lang}.md"
    source.write_text(source.read_text("utf-8").replace(old, new), "utf-8")


def withdraw(site, slug):
    edit(site, slug, old="status: published", new="status: draft")


@pytest.mark.parametrize("method", ["rsync", "copy"])
def test_deploys_to_a_folder_send_only_what_changed(site, tmp_path, method):
    www = tmp_path / "www"
    site.targets(f"[deploy.web]\nurl = \"{www}\"\nmethod = \"{method}\"\nmax_deletes = 1\n")
    site.build()
    first = deploy(site, "web")
    assert files(www) == site.files() and len(first.plan.uploads) == len(site.files())
    assert oct(os.stat(www / "ja/alpha/index.html").st_mode & 0o777) == "0o644"
    before = stamps(www)
    again = deploy(site, "web")
    assert again.plan.nothing_to_do and stamps(www) == before  # nothing sent, not even the manifest

    edit(site)
    site.build()
    report = deploy(site, "web")
    assert {f.path for f in report.plan.uploads} == {"ja/alpha/index.html", "ja/feed.xml", "releases.json", "ja/tags/工業団地/feed.xml", "ja/tags/立地選定/feed.xml"}
    after = stamps(www)
    assert {p for p in after if after[p] != before.get(p)} == {"ja/alpha/index.html", "ja/feed.xml", "ja/tags/工業団地/feed.xml", "ja/tags/立地選定/feed.xml",
                                                                "releases.json", MANIFEST}
    assert files(www) == site.files()

    withdraw(site, "beta")
    site.build()
    plan = deploy(site, "web", dry_run=True).plan
    assert set(plan.deletes) == {"ja/beta/index.html", "ja/beta/card.jpg", "ja/tags/営業/index.html",
                                 "ja/tags/営業/feed.xml"}
    assert files(www) != site.files()  # the dry run changed nothing
    with pytest.raises(DeployRefused, match="max_deletes = 1"):
        deploy(site, "web")
    deploy(site, "web", yes=True)
    assert files(www) == site.files()
    assert not (www / "ja/beta").exists() or method == "rsync"  # rsync leaves the emptied folder


def test_an_interrupted_rsync_deploy_is_finished_by_the_next(site, tmp_path):
    www = tmp_path / "www"
    site.targets(f"[deploy.web]\nurl = \"{www}\"\nmethod = \"rsync\"\n")
    site.build()
    deploy(site, "web")
    withdraw(site, "beta")
    edit(site)
    edit(site, "alpha", "zh", "沿海", "沿海地区")
    site.build()

    def stop(done, total):
        if done == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        deploy(site, "web", progress=stop)
    assert json.loads((www / MANIFEST).read_text())["complete"] is False
    assert files(www) != site.files()
    deploy(site, "web")
    assert files(www) == site.files()
    assert json.loads((www / MANIFEST).read_text())["complete"] is True
    assert deploy(site, "web").plan.nothing_to_do


def test_a_first_deploy_removes_stray_files_from_the_folder(site, tmp_path):
    www = tmp_path / "www"
    (www / "old").mkdir(parents=True)
    (www / "old/page.html").write_text("legacy")
    site.targets(f"[deploy.web]\nurl = \"{www}\"\n")
    site.build()
    report = deploy(site, "web")
    assert report.plan.first and report.plan.deletes == ("old/page.html",)
    assert files(www) == site.files()


def test_rsync_to_an_unreachable_host_is_a_clear_error(site, tmp_path):
    site.targets("[deploy.web]\nurl = \"rsync://127.0.0.1:9/nothing/here\"\n")
    site.build()
    with pytest.raises(DeployError, match="rsync could not read the manifest from rsync://127.0.0.1:9/nothing/here"):
        deploy(site, "web")


def test_a_folder_inside_the_site_is_refused(site):
    site.targets("[deploy.web]\nurl = \"dist/copy\"\n")
    site.build()
    with pytest.raises(DeployError, match="overlaps"):
        deploy(site, "web")
