"""The PDF cache's keys: the same with the folders' digests remembered as without, and remembered only while the
folder's files stay the same."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import NOW, config_text_with_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.factory import article, make_site, translation

from publisher.cache import Cache
from publisher.config import load_config
from publisher.content import load_site
from publisher.pdf.jobkeys import DIGESTS_FILE, FolderDigests, JobKeys, job_hash
from publisher.pdf.render import make_job


def _site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {
        "one": {"ja.md": article("一つ目の記事", "本文。\n", code="中国T01", tags=["税務"]),
                "zh.md": translation("第一篇文章", "正文。\n")},
        "two": {"ja.md": article("二つ目の記事", "本文。\n", code="中国T02")},
    }, config=config_text_with_pdf(""))


def _keys(config_path: Path, cache_dir: Path) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """The keys of every live page's PDF made with the remembered digests (saved after), and made afresh."""
    config = load_config(config_path)
    site = load_site(config, Cache(config.cache_folder)).site
    jobs = [make_job(config, site, a, lang.code, now=NOW) for a in site.articles for lang in config.languages
            if a.is_live(lang.code, NOW)]
    keys = JobKeys(config, FolderDigests(cache_dir, site.folder_keys))
    remembered = {job.key: keys.key(job) for job in jobs}
    keys.remembered.save()
    return remembered, {job.key: job_hash(config, job) for job in jobs}


def test_remembered_digests_give_the_keys_a_fresh_hash_gives_through_edits(tmp_path):
    config_path = _site(tmp_path)
    cache_dir = tmp_path / "pdfcache"
    remembered, fresh = _keys(config_path, cache_dir)
    assert remembered == fresh and len(fresh) == 3
    stored = json.loads((cache_dir / DIGESTS_FILE).read_text("utf-8"))
    assert sorted(stored["folders"]) == ["one", "two"]

    again, fresh_again = _keys(config_path, cache_dir)
    assert again == fresh_again == fresh

    # A body edit changes that page's key, a tag edit only the keywords part; both seen through the memo.
    ja = config_path.parent / "articles/one/ja.md"
    ja.write_text(ja.read_text("utf-8") + "\n追記。\n", "utf-8")
    edited, fresh_edited = _keys(config_path, cache_dir)
    assert edited == fresh_edited
    assert edited[("one", "ja")] != fresh[("one", "ja")] and edited[("two", "ja")] == fresh[("two", "ja")]
    ja.write_text(ja.read_text("utf-8").replace("税務", "人事"), "utf-8")
    tagged, fresh_tagged = _keys(config_path, cache_dir)
    assert tagged == fresh_tagged
    layout, keywords = tagged[("one", "ja")].split("-")
    assert layout == edited[("one", "ja")].split("-")[0] and keywords != edited[("one", "ja")].split("-")[1]

    # An image added, then a folder gone: seen, and the gone folder leaves the file.
    (config_path.parent / "articles/two/figure.png").write_bytes(b"\x89PNG not really")
    with_image, fresh_with_image = _keys(config_path, cache_dir)
    assert with_image == fresh_with_image and with_image[("two", "ja")] != fresh[("two", "ja")]
    import shutil
    shutil.rmtree(config_path.parent / "articles/two")
    _keys(config_path, cache_dir)
    assert sorted(json.loads((cache_dir / DIGESTS_FILE).read_text("utf-8"))["folders"]) == ["one"]


def test_a_folder_with_its_scan_key_unchanged_is_not_read_again(tmp_path):
    """The memo is what is used: a remembered digest, altered by hand, shows in the key while the folder's key
    stays; once the folder changes, the file is read again."""
    config_path = _site(tmp_path)
    cache_dir = tmp_path / "pdfcache"
    _keys(config_path, cache_dir)
    path = cache_dir / DIGESTS_FILE
    stored = json.loads(path.read_text("utf-8"))
    stored["folders"]["two"][1] = [[name, "00" * 32] for name, _digest in stored["folders"]["two"][1]]
    path.write_text(json.dumps(stored), "utf-8")
    remembered, fresh = _keys(config_path, cache_dir)
    assert remembered[("two", "ja")] != fresh[("two", "ja")] and remembered[("one", "ja")] == fresh[("one", "ja")]
    ja = config_path.parent / "articles/two/ja.md"
    ja.write_text(ja.read_text("utf-8") + "\n追記。\n", "utf-8")
    remembered, fresh = _keys(config_path, cache_dir)
    assert remembered == fresh


def test_an_unreadable_or_foreign_memo_is_as_none(tmp_path):
    config_path = _site(tmp_path)
    cache_dir = tmp_path / "pdfcache"
    cache_dir.mkdir()
    for junk in (b"\xff not json", b"[]", b'{"code": "other", "folders": {"one": ["k", []]}}',
                 b'{"folders": 3}', json.dumps({"code": None, "folders": {"one": 1}}).encode()):
        (cache_dir / DIGESTS_FILE).write_bytes(junk)
        remembered, fresh = _keys(config_path, cache_dir)
        assert remembered == fresh
    # Written by this code, it is read back.
    assert json.loads((cache_dir / DIGESTS_FILE).read_text("utf-8"))["folders"].keys() == {"one", "two"}


def test_without_a_scan_nothing_is_remembered(tmp_path):
    config_path = _site(tmp_path)
    config = load_config(config_path)
    site = load_site(config).site
    assert site.folder_keys == {}
    job = make_job(config, site, site.articles[0], "ja", now=NOW)
    digests = FolderDigests(tmp_path / "pdfcache", site.folder_keys)
    assert JobKeys(config, digests).key(job) == job_hash(config, job)
    digests.save()
    assert not (tmp_path / "pdfcache" / DIGESTS_FILE).exists()


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                     max_leaves=12)


def test_any_memo_file_gives_the_keys_a_fresh_hash_gives(tmp_path):
    """Whatever the file holds (any bytes, any JSON, a memo of this code with odd entries), the keys are the
    ones made afresh: nothing in the file is trusted beyond a folder key that matches."""
    config_path = _site(tmp_path)
    config = load_config(config_path)
    site = load_site(config, Cache(config.cache_folder)).site
    jobs = [make_job(config, site, a, lang.code, now=NOW) for a in site.articles for lang in config.languages
            if a.is_live(lang.code, NOW)]
    fresh = {job.key: job_hash(config, job) for job in jobs}
    cache_dir = tmp_path / "pdfcache"
    cache_dir.mkdir()
    code = json.loads(_memo_of(config, site, jobs, tmp_path / "reference"))["code"]
    # Entries under the folders' real keys, with file lists of any shape: the key matches, the rest must not
    # be trusted unless it is what `save` writes (then it is wrong on purpose only when the digest is).
    _entry = st.tuples(st.sampled_from(sorted(site.folder_keys.values())), _JSON | st.lists(
        st.tuples(st.sampled_from(["ja.md", "zh.md"]), st.text("0123456789abcdefg", min_size=63, max_size=65)),
        max_size=2)).map(list)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.one_of(st.binary(max_size=64),
                     _JSON.map(lambda value: json.dumps(value).encode()),
                     st.dictionaries(st.sampled_from(["one", "two", "gone"]), _JSON | _entry, max_size=3).map(
                         lambda folders: json.dumps({"code": code, "folders": folders}).encode())))
    def check(memo: bytes) -> None:
        (cache_dir / DIGESTS_FILE).write_bytes(memo)
        keys = JobKeys(config, FolderDigests(cache_dir, site.folder_keys))
        made = {job.key: keys.key(job) for job in jobs}  # never an exception
        believed = _believed(memo, site.folder_keys)
        assert {key: value for key, value in made.items() if key[0] not in believed} == \
            {key: value for key, value in fresh.items() if key[0] not in believed}

    check()


def _believed(memo: bytes, folder_keys) -> set[str]:
    """The folders a memo of this code has an entry for, under the folder's current key, in the very form the
    code writes (file names and SHA-256 digests in lowercase hex): a cache believes such an entry, as the
    build cache believes an entry under its key."""
    try:
        folders = dict(json.loads(memo)["folders"])
    except (ValueError, TypeError, KeyError, IndexError):
        return set()
    believed = set()
    for name, entry in folders.items():
        try:
            key, files = entry
            if key == folder_keys.get(name) and all(
                    isinstance(file, str) and isinstance(digest, str) and len(digest) == 64
                    and set(digest) <= set("0123456789abcdef") for file, digest in files):
                believed.add(name)
        except (ValueError, TypeError):
            continue
    return believed


def _memo_of(config, site, jobs, cache_dir: Path) -> str:
    """The memo this code writes for `site` (to learn its `code` field)."""
    keys = JobKeys(config, FolderDigests(cache_dir, site.folder_keys))
    for job in jobs:
        keys.key(job)
    keys.remembered.save()
    return (cache_dir / DIGESTS_FILE).read_text("utf-8")
