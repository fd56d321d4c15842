"""UI strings take only their documented placeholders: checked at load, filled without lookups."""

from __future__ import annotations

import pytest

from publisher.config import load_config
from publisher.config.strings import fill, placeholder_problem
from publisher.errors import ConfigError
from support.factory import make_site


@pytest.mark.parametrize("key, value, reason", [
    ("table_label", "表格{n", "lone `{`"),
    ("page_title", "{page:%}", "`{page:%}`"),
    ("notice_copyright", "{organization.__class__.__mro__}", "`{organization.__class__.__mro__}`"),
    ("tag_title", "{0}", "`{0}`"),
    ("banner_scheduled", "{time!r}", "`{time!r}`"),
])
def test_bad_placeholders_are_config_errors_at_their_line(tmp_path, key, value, reason):
    config_path = make_site(tmp_path, {})
    lines = config_path.read_text("utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
    lines[number] = f'{key} = "{value}"'
    config_path.write_text("\n".join(lines), "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    problem = caught.value.problems[0]
    assert problem.line == number + 1 and problem.field.endswith(key) and reason in problem.message


def test_fill_replaces_only_the_given_names():
    assert fill("© {year} {organization} {{x}}", year=2026, organization="社") == "© 2026 社 {x}"
    assert fill("{organization.__class__}", organization="社") == "{organization.__class__}"
    assert placeholder_problem("表{n}", frozenset({"n"})) is None


def test_deeply_nested_toml_is_a_located_error(tmp_path):
    config_path = make_site(tmp_path, {})
    config_path.write_text(config_path.read_text("utf-8") + "\nx = " + "[" * 1000 + "]" * 1000 + "\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    assert caught.value.problems[0].field == "toml"


def test_nul_in_a_path_setting_is_an_error(tmp_path):
    config_path = make_site(tmp_path, {})
    text = config_path.read_text("utf-8").replace('content_dir = "articles"', 'content_dir = "art\\u0000icles"')
    config_path.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    assert [p.field for p in caught.value.problems] == ["site.content_dir"]
