"""Lock files: stable text, clear errors when damaged; the cache ignores a torn last line."""

import json
from pathlib import Path

import pytest

from publisher.errors import ProblemsError
from publisher.fsio import write_text
from publisher.translation.lock import CachedTranslation, Lock, LockEntry, TranslationCache, read_lock


def test_lock_text_is_stable_json_with_one_entry_per_line(tmp_path: Path) -> None:
    entry = LockEntry("a" * 20, "b" * 20, "adopted", "paragraph")
    lock = Lock("ja.md", {"title": LockEntry("c" * 20, "d" * 20, "adopted", "field")}, (entry, entry))
    text = lock.to_json()
    assert json.loads(text)["blocks"][0] == {"kind": "paragraph", "origin": "adopted", "source": "a" * 20,
                                             "target": "b" * 20}
    assert len(text.splitlines()) == 11
    path = tmp_path / "zh.lock.json"
    write_text(path, text)
    assert read_lock(path) == lock and read_lock(path).to_json() == text
    assert list(tmp_path.iterdir()) == [path]


def test_a_damaged_lock_says_how_to_recover(tmp_path: Path) -> None:
    path = tmp_path / "zh.lock.json"
    path.write_text("{not json", "utf-8")
    with pytest.raises(ProblemsError) as info:
        read_lock(path)
    assert "git checkout" in info.value.problems[0].message and "--adopt" in info.value.problems[0].message


def test_the_cache_survives_a_torn_last_line(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path, "zh")
    cache.add([CachedTranslation("h1", "源", "译", "llm:x:y")])
    with open(cache.path, "a", encoding="utf-8") as stream:
        stream.write('{"source_hash": "h2", "sou')
    again = TranslationCache(tmp_path, "zh")
    assert again.lookup("h1", "llm:x:y").target == "译"
    assert again.lookup("h2") is None
    again.add([CachedTranslation("h3", "源3", "译3", "llm:x:y")])
    assert TranslationCache(tmp_path, "zh").lookup("h3").target == "译3"
