"""glossary.csv: columns per language, empty target keeps the term, clear errors."""

from pathlib import Path

import pytest

from publisher.errors import ProblemsError
from publisher.translation.glossary import load_glossary
from support import REPO_ROOT


def test_repository_glossary_loads_for_chinese() -> None:
    glossary = load_glossary(REPO_ROOT / "glossary.csv", "ja", "zh")
    by_source = {t.source: t.target for t in glossary.terms}
    assert by_source["日系企業"] == "日资企业"
    assert by_source["粤港澳大湾区"] == "粤港澳大湾区"
    assert by_source["WeChat"] == "WeChat"  # empty target: kept as is


def test_only_terms_present_are_found_longest_first(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text("ja,zh,note\n大湾区,大湾区,\n粤港澳大湾区,粤港澳大湾区,official\n合肥,合肥,\n", "utf-8")
    glossary = load_glossary(path, "ja", "zh")
    assert [t.source for t in glossary.found_in("粤港澳大湾区の話")] == ["粤港澳大湾区", "大湾区"]
    assert glossary.found_in("関係のない文") == ()


def test_a_missing_file_is_an_empty_glossary(tmp_path: Path) -> None:
    assert load_glossary(tmp_path / "none.csv", "ja", "zh").terms == ()


def test_bad_rows_are_reported_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text("ja,zh,note\n合肥,合肥,\n合肥,合肥,\n,空,\n甲,乙\n", "utf-8")
    with pytest.raises(ProblemsError) as info:
        load_glossary(path, "ja", "zh")
    assert [(p.line, p.field) for p in info.value.problems] == [(3, "ja"), (4, "ja"), (5, "row")]
    path.write_text("source,zh\n甲,乙\n", "utf-8")
    with pytest.raises(ProblemsError, match="glossary"):
        load_glossary(path, "ja", "zh")


def test_a_language_without_a_column_has_no_terms() -> None:
    assert load_glossary(REPO_ROOT / "glossary.csv", "ja", "en").terms == ()
