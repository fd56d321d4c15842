"""Typing slips get messages that name the mistake, not "invalid YAML", "not a real date", or nothing at all."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.factory import make_site

from publisher.config import load_config
from publisher.content import load_site
from publisher.content.frontmatter import read_document


def problems(tmp_path: Path, frontmatter: str) -> list[str]:
    config = make_site(tmp_path, {"a": {"ja.md": f"---\n{frontmatter}\n---\n\n本文。\n"}})
    return [p.format(config.parent) for p in load_site(load_config(config)).problems]


@pytest.mark.parametrize(("frontmatter", "line", "key", "fix"), [
    ("title：テスト\ndate: 2025-12-05", 2, "title", "`title: テスト`"),
    ("title: テスト\ndate: 2025-12-05\nsummary：一文の要約。", 4, "summary", "`summary: 一文の要約。`"),
    ("title：テスト", 2, "title", "`title: テスト`"),
])
def test_full_width_colon_after_a_key(tmp_path: Path, frontmatter: str, line: int, key: str, fix: str) -> None:
    assert problems(tmp_path, frontmatter) == [
        f"articles/a/ja.md:{line}: {key}: `{key}：` has a full-width colon `：` after the field name; type a "
        f"half-width colon and a space: {fix}"]


def test_full_width_colon_inside_a_value_is_fine(tmp_path: Path) -> None:
    assert problems(tmp_path, "title: 結論：政策を読む\ndate: 2025-12-05") == []


@pytest.mark.parametrize(("value", "fix"), [
    ("2026-12-06 9:00", "2026-12-06T09:00"),
    ("2026-12-06T9:00+08:00", "2026-12-06T09:00+08:00"),
    ("2026-1-6 09:00", "2026-01-06T09:00"),
])
def test_time_without_zero_padding(tmp_path: Path, value: str, fix: str) -> None:
    assert problems(tmp_path, f"title: テスト\ndate: 2025-12-05\npublish_at: {value}") == [
        f"articles/a/ja.md:4: publish_at: {value}: hours, months and days need two digits; write {fix}"]


def test_an_impossible_padded_time_is_still_not_real(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, "title: テスト\ndate: 2025-12-05\npublish_at: 2026-12-06 25:00")
    assert "is not a real date and time" in found


@pytest.mark.parametrize(("frontmatter", "line", "key", "first"), [
    ("title: テスト\nstatus: draft\ndate: 2025-12-05\nstatus: published", 5, "status", 3),
    ("title: テスト\ndate: 2025-12-05\ntitle: テスト", 4, "title", 2),
    ("title: テスト\ndate: 2025-12-05\nai:\n  text: true\n  image: Model A\n  text: false", 7, "ai.text", 5),
])
def test_a_field_set_twice_is_an_error_at_the_second_naming_the_first(tmp_path: Path, frontmatter: str, line: int,
                                                                     key: str, first: int) -> None:
    """YAML alone keeps the later value without a word: `status: draft` left above a pasted
    `status: published` would publish the page."""
    assert problems(tmp_path, frontmatter) == [
        f"articles/a/ja.md:{line}: {key}: is set twice (also on line {first}); keep the value you mean and "
        "delete the other line"]


def test_a_field_set_twice_deep_inside_nested_mappings_is_found_without_exhausting_the_stack(tmp_path: Path) -> None:
    depth = 990  # libyaml's own limit is 1,000 levels; Python's call stack holds about as many frames
    nested = "{a: " * depth + "{b: 1, b: 2}" + "}" * depth
    found = problems(tmp_path, f"title: テスト\ndate: 2025-12-05\nx: {nested}")
    assert found == ["articles/a/ja.md:4: x" + ".a" * depth + ".b: is set twice (also on line 4); keep the value you "
                     "mean and delete the other line"]


@settings(max_examples=60, deadline=None)
@given(top=st.lists(st.sampled_from(["title", "date", "status", "summary", "tags", "code"]), min_size=1, max_size=9),
       nested=st.lists(st.sampled_from(["text", "image"]), max_size=4), at=st.integers(0, 9))
def test_every_field_set_twice_at_any_depth_is_found_at_its_line(top: list[str], nested: list[str], at: int) -> None:
    """Any order of fields, some repeated, with an `ai:` mapping (itself with repeats) anywhere among them:
    each repetition is reported at its own line with the line of the first, and nothing else is."""
    lines: list[str] = [f"{name}: 1" for name in top]
    block = ["ai:", *(f"  {name}: true" for name in nested)] if nested else []
    at = min(at, len(lines))
    lines[at:at] = block
    expected, first = [], {}
    for number, line in enumerate(lines, start=2):  # line 1 is the opening `---`
        if line.startswith("  "):
            name = "ai." + line.split(":")[0].strip()
        else:
            name = line.split(":")[0]
        if name in first:
            expected.append((number, name, first[name]))
        first.setdefault(name, number)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ja.md"
        path.write_text("---\n" + "\n".join(lines) + "\n---\n\n本文。\n", "utf-8")
        document, found = read_document(path)
    assert [(problem.line, problem.field, problem.message) for problem in found] == [
        (line, name, f"is set twice (also on line {earlier}); keep the value you mean and delete the other line")
        for line, name, earlier in expected]
    assert (document is None) == bool(expected)
