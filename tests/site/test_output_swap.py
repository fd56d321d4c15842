"""The output swap: exit 0 iff the new site is in place, no race with background clean-up,
hand-added files never survive a build, `--out ../x`, and a lock whose holder is gone."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.cache import Memory
from publisher.config import load_config
from publisher.errors import PublisherError
from publisher.site.build import BuildOptions, build_site, prepare_spare
from publisher.site.output_lock import output_lock
from support.fixture_site import NOW, copy_fixture


def contents(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in (".publisher-output", "releases.json")}


@pytest.fixture()
def site(tmp_path):
    config_path = copy_fixture(tmp_path)
    return load_config(config_path), tmp_path / "out"


def build(config, out, **options):
    return build_site(config, BuildOptions(now=options.pop("now", NOW), out_dir=out, jobs=1, **options))


def edit(config, number: int) -> None:
    source = config.content_dir / "alpha/ja.md"
    text = source.read_text("utf-8")
    marker = "編集回数"
    body = text.split(f"\n{marker}", 1)[0]
    source.write_text(f"{body}\n{marker}{number}。\n", "utf-8")


def test_builds_with_the_cache_deleted_in_between_always_succeed_and_match_a_cold_build(site, tmp_path):
    """The old race: removing the spare in the background while the next rename puts a new spare
    there ("Directory not empty", exit 1 with the new site in place). Repeated, since it was timing-bound."""
    config, out = site
    build(config, out)
    for number in range(12):
        edit(config, number)
        if number % 2 == 0:
            shutil.rmtree(config.cache_dir, ignore_errors=True)
        report = build(config, out)
        assert not report.nothing_changed
        assert f"編集回数{number}" in (out / "ja/alpha/index.html").read_text("utf-8")
        assert not [w for w in report.warnings if w.field == "output"], report.warnings
    reference = tmp_path / "cold"
    shutil.rmtree(config.cache_dir, ignore_errors=True)
    build(config, reference)
    assert contents(out) == contents(reference)


def test_the_cli_exits_0_on_each_build_with_the_cache_deleted(site):
    config, out = site
    runner = CliRunner()
    arguments = ["build", "--config", str(config.config_path), "--out", str(out), "--now", NOW.isoformat(),
                 "--jobs", "1", "-q"]
    for number in range(6):
        edit(config, number)
        shutil.rmtree(config.cache_dir, ignore_errors=True)
        result = runner.invoke(main, arguments)
        assert result.exit_code == 0, result.output
        assert f"編集回数{number}" in (out / "ja/alpha/index.html").read_text("utf-8")


@pytest.mark.parametrize("delete_cache", [False, True])
def test_a_file_added_by_hand_to_the_output_is_removed_by_every_build(site, delete_cache):
    config, out = site
    build(config, out)
    for number in range(4):
        (out / "hand-added.txt").write_text("mine")
        (out / "ja/extra").mkdir(exist_ok=True)
        (out / "ja/extra/page.html").write_text("mine")
        edit(config, number)
        if delete_cache:
            shutil.rmtree(config.cache_dir, ignore_errors=True)
        build(config, out)
        assert not (out / "hand-added.txt").exists(), f"build {number}"
        assert not (out / "ja/extra").exists(), f"build {number}"


def test_out_given_as_a_relative_path_with_dotdot_works_like_an_absolute_one(site, tmp_path, monkeypatch):
    config, _ = site
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = CliRunner().invoke(main, ["build", "--config", str(config.config_path), "--out", "../x",
                                       "--now", NOW.isoformat(), "--jobs", "1", "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x/ja/alpha/index.html").is_file()


def test_a_failure_after_the_swap_is_a_warning_and_the_new_site_is_in_place(site, monkeypatch):
    import errno

    from publisher.site import writer

    config, out = site
    build(config, out)
    edit(config, 0)
    build(config, out)  # now there is a spare
    assert out.with_name(".out.spare").is_dir()
    edit(config, 1)
    shutil.rmtree(config.cache_dir)  # so the old spare is not reused, and must be cleared away

    calls = []

    def fails(folder):  # the stale spare stays where it is at first, then cannot be cleared
        calls.append(folder)
        if len(calls) > 1:
            raise OSError(errno.EBUSY, "Device or resource busy", str(folder))

    monkeypatch.setattr(writer, "_remove_in_background", fails)  # the disk refuses the clean-up
    report = build(config, out)
    assert "編集回数1" in (out / "ja/alpha/index.html").read_text("utf-8")
    warnings = [w for w in report.warnings if w.field == "output"]
    assert warnings and "the new site is in place" in warnings[0].message
    monkeypatch.undo()
    edit(config, 2)
    assert "編集回数2" not in (out / "ja/alpha/index.html").read_text("utf-8")
    build(config, out)  # and the next build is fine
    assert "編集回数2" in (out / "ja/alpha/index.html").read_text("utf-8")


def _hold_lock_then_orphan(lock_target: Path) -> int:
    """A process that takes the output lock, forks a child that inherits it, and exits: the child
    (like an orphaned worker) still holds the lock. Returns the child's pid."""
    script = f"""
import os, sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parents[2] / 'src')!r})
from pathlib import Path
from publisher.site.output_lock import output_lock
lock = output_lock(Path({str(lock_target)!r}))
lock.__enter__()
child = os.fork()
if child == 0:
    os.close(1); os.close(2)  # let the test read the parent's output to its end
    time.sleep(60)
    os._exit(0)
print(child, flush=True)
os._exit(0)  # the holder dies; its child keeps the open lock file
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip())


def test_a_lock_whose_holder_is_gone_is_taken_over(site):
    config, out = site
    build(config, out)
    orphan = _hold_lock_then_orphan(out)
    try:
        edit(config, 1)
        report = build(config, out)  # not "another build is writing"
        assert not report.nothing_changed
    finally:
        os.kill(orphan, 9)


def test_a_lock_held_by_a_live_build_still_refuses(site, tmp_path):
    config, out = site
    build(config, out)
    with output_lock(out):
        script = (f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[2] / 'src')!r}); "
                  "from pathlib import Path; from publisher.site.output_lock import output_lock; "
                  f"output_lock(Path({str(out)!r})).__enter__()")
        other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
        assert other.returncode != 0 and "another `publish build` is writing" in other.stderr
    with pytest.raises(PublisherError, match="another `publish build`"):
        with output_lock(out):
            with output_lock(out):
                pass


def test_leftovers_are_renamed_before_removal(site):
    """Background removal never works on `.out.spare` itself, which the next build renames onto."""
    config, out = site
    build(config, out)
    edit(config, 1)
    build(config, out)
    shutil.rmtree(config.cache_dir)
    edit(config, 2)
    build(config, out)  # removes the stale spare in the background, then keeps a new one
    deadline = time.monotonic() + 10
    while list(out.parent.glob(".out.old-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    spare = out.with_name(".out.spare")
    assert spare.is_dir() and (spare / "ja/alpha/index.html").is_file()
    assert not list(out.parent.glob(".out.staging-*"))


def test_files_the_new_site_replaces_or_drops_are_removed_after_the_swap_in_the_background(site):
    """Stale files of the spare are moved aside (a rename) while the build writes, and deleted by a
    background `rm` once the new site is live: an unlink that frees blocks can take milliseconds on
    disks mounted with `discard`, and a thousand of them must not hold up the build."""
    config, out = site
    build(config, out)
    edit(config, 1)
    build(config, out)  # the first output becomes the spare
    edit(config, 2)
    (config.content_dir / "alpha" / "ja.md").write_text(
        (config.content_dir / "alpha" / "ja.md").read_text("utf-8") + "\n追加の段落。\n", "utf-8")
    spare_page = out.with_name(".out.spare") / "ja/alpha/index.html"
    stale_inode = spare_page.stat().st_ino
    report = build(config, out)  # starts from the spare: its alpha page is stale and is replaced
    assert report.pages_written >= 1 and "追加の段落" in (out / "ja/alpha/index.html").read_text("utf-8")
    assert (out / "ja/alpha/index.html").stat().st_ino != stale_inode
    deadline = time.monotonic() + 10
    while list(out.parent.glob(".out.old-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(out.parent.glob(".out.old-*")), "the trash is removed once the site is live"
    cold = out.with_name("cold")
    shutil.rmtree(config.cache_dir)
    build(config, cold)
    assert contents(out) == contents(cold)


def test_a_spare_prepared_after_the_first_build_is_where_the_next_build_starts(site, tmp_path):
    """The first build leaves no spare, so the build after it would make every folder and link anew;
    `prepare_spare` (the preview calls it once it has started) links one, and the next build starts
    from it: the live folders after that build are the spare's, and its site is a cold build's."""
    config, out = site
    build(config, out)
    spare = out.with_name(".out.spare")
    assert not spare.exists()
    assert prepare_spare(config, out) is True
    assert contents(spare) == contents(out) and (spare / ".publisher-output").is_file()
    assert (spare / "ja/alpha/index.html").stat().st_ino == (out / "ja/alpha/index.html").stat().st_ino
    assert prepare_spare(config, out) is False  # there is one now
    folder = (spare / "ja/beta").stat().st_ino

    edit(config, 1)
    report = build(config, out)
    assert report.pages_written >= 1 and "編集回数1" in (out / "ja/alpha/index.html").read_text("utf-8")
    assert (out / "ja/beta").stat().st_ino == folder  # the staging tree was the prepared spare
    reference = tmp_path / "cold"
    build(dataclasses.replace(config, cache_dir=tmp_path / "cold-cache"), reference)
    assert contents(out) == contents(reference)


def test_no_spare_is_prepared_without_a_build_to_start_from(site, tmp_path):
    config, out = site
    assert prepare_spare(config, out) is False  # no build yet
    build(config, out)
    shutil.rmtree(config.cache_dir)  # the state that says what the output holds is gone
    assert prepare_spare(config, out) is False and not out.with_name(".out.spare").exists()


def folders(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()}


def test_a_private_output_is_kept_by_name_and_matches_a_cold_build_after_every_change(site, tmp_path):
    """The preview's output (`private_output`): the spare's leftovers are removed by the build's own record
    of them, not found by a walk. After edits, an article removed and put back, and a tag that goes away
    (its pages and folder with it), the output holds what a cold build does: no file, no empty folder more."""
    config, out = site
    memory = Memory(kinds=("articles", "reading", "media"))

    def private_build():
        return build(config, out, include_drafts=True, include_future=True, memory=memory, private_output=True)

    private_build()
    assert prepare_spare(config, out, memory) is True
    delta, kept = config.content_dir / "delta", tmp_path / "delta-kept"  # no other article links to delta
    beta = config.content_dir / "beta/ja.md"  # the only article tagged 営業

    def retag(old: str, new: str) -> None:
        beta.write_text(beta.read_text("utf-8").replace(f"tags: [{old}]", f"tags: [{new}]"), "utf-8")

    steps = [lambda: edit(config, 1), lambda: (shutil.move(delta, kept), retag("営業", "新規")),
             lambda: edit(config, 2), lambda: (shutil.move(kept, delta), retag("新規", "営業")),
             lambda: edit(config, 3)]
    for number, step in enumerate(steps):
        step()
        report = private_build()
        assert not report.nothing_changed and not report.warnings, (number, report.warnings)
        reference = tmp_path / f"cold-{number}"
        build(dataclasses.replace(config, cache_dir=tmp_path / f"cold-cache-{number}"), reference,
              include_drafts=True, include_future=True)
        assert contents(out) == contents(reference), number
        assert folders(out) == folders(reference), number
        assert (out / "ja/delta").is_dir() == delta.is_dir() == (out / "ja/tags/営業").is_dir(), number
        assert (out / "ja/tags/新規").is_dir() != delta.is_dir(), number
