"""Messages in the writer's language: the catalogs are complete, the language is chosen from the
environment at each message, and `publish` speaks Japanese and Chinese."""

from __future__ import annotations

import contextlib
import fnmatch
import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher import i18n
from publisher.cli import main
from publisher.errors import Problem
from support import REPO_ROOT
from support.factory import article, make_site


def _messages_script():
    """scripts/messages.py, the extraction the README tells contributors to run."""
    spec = importlib.util.spec_from_file_location("messages_script", REPO_ROOT / "scripts" / "messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extracted():
    script = _messages_script()
    return script, script.extract()


def test_extraction_finds_the_messages_of_every_layer(extracted):
    _script, template = extracted
    ids = {message.id for message in template if message.id}
    assert len(ids) > 150
    # the CLI, errors.py, content validation and site refusals are all wrapped
    for expected in ("error: {message}", "{where}: {field}: warning: {message}",
                     "{text} is not a real date; check the month and day",
                     "ok: {articles} article(s), {warnings} warning(s)",
                     "another `publish build` is writing {target} right now; wait for it to finish, then build again"):
        assert expected in ids


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_message_has_a_translation(extracted, lang):
    """A message added to the code without a translation in each catalog fails here (run
    scripts/messages.py, then translate the new entries)."""
    script, template = extracted
    assert script.missing(template, lang) == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalogs_hold_no_stale_messages(extracted, lang):
    """Messages removed from the code leave the catalogs too (scripts/messages.py drops them)."""
    script, template = extracted
    ids = {message.id for message in template if message.id}
    stale = [message.id for message in script.read(lang) if message.id and message.id not in ids]
    assert stale == []


def test_catalogs_ship_inside_the_package():
    """The .po files are package data (a wheel carries them; nothing is compiled at install time)."""
    package_data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
        "package-data"]["publisher"]
    package = Path(i18n.__file__).parent
    for lang in ("ja", "zh", "en"):
        path = i18n.catalog_path(lang)
        assert path.is_file() and path.is_relative_to(package)
        assert any(fnmatch.fnmatch(path.relative_to(package).as_posix(), pattern) for pattern in package_data)


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "en"),
    ({"LANG": "ja_JP.UTF-8"}, "ja"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "ja_JP.UTF-8"}, "zh"),
    ({"LC_ALL": "ja_JP.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "ja"),
    ({"LC_ALL": "", "LANG": "ja_JP.UTF-8"}, "ja"),  # an empty variable is not set
    ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"),  # the first one set decides, as in POSIX
    ({"PUBLISH_LANG": "zh", "LC_ALL": "ja_JP.UTF-8"}, "zh"),
    ({"PUBLISH_LANG": "ja-JP", "LANG": "zh_CN.UTF-8"}, "ja"),
    ({"PUBLISH_LANG": "en", "LANG": "ja_JP.UTF-8"}, "en"),
    ({"PUBLISH_LANG": "klingon", "LANG": "ja_JP.UTF-8"}, "ja"),  # unsupported: the locale decides
])
def test_language_is_chosen_from_publish_lang_then_the_locale(environ, expected):
    assert i18n.language(environ) == expected


def test_the_language_follows_the_environment_at_each_message(monkeypatch):
    monkeypatch.setenv("PUBLISH_LANG", "ja")
    assert i18n._("interrupted; nothing was changed") == "中断しました。何も変更していません"
    monkeypatch.setenv("PUBLISH_LANG", "zh")
    assert i18n._("interrupted; nothing was changed") == "已中断；未做任何更改"
    monkeypatch.setenv("PUBLISH_LANG", "en")
    assert i18n._("interrupted; nothing was changed") == "interrupted; nothing was changed"


def test_a_message_missing_from_the_catalog_stays_in_english(monkeypatch):
    monkeypatch.setenv("PUBLISH_LANG", "ja")
    assert i18n._("a message nobody has translated") == "a message nobody has translated"


def test_field_names_and_paths_stay_as_written(monkeypatch, tmp_path):
    monkeypatch.setenv("PUBLISH_LANG", "ja")
    problem = Problem(tmp_path / "articles" / "a" / "ja.md", 4, "hero_alt", "…", "warning")
    assert problem.format(tmp_path) == "articles/a/ja.md:4: hero_alt: 警告: …"


def _check_output(tmp_path: Path) -> tuple[int, str]:
    config = make_site(tmp_path, {"a": {"ja.md": article(date="2025-13-01")}})
    with contextlib.chdir(config.parent):
        result = CliRunner().invoke(main, ["check", "--config", str(config)], catch_exceptions=False)
    return result.exit_code, result.stderr


@pytest.mark.parametrize(("lang", "problem", "summary"), [
    ("ja", "articles/a/ja.md:3: date: 2025-13-01 は実在しない日付です。月と日を確認してください",
     "articles/ にエラー 1 件、警告 0 件"),
    ("zh", "articles/a/ja.md:3: date: 2025-13-01 不是有效的日期；请检查月份和日期",
     "articles/ 中有 1 个错误，0 个警告"),
    ("en", "articles/a/ja.md:3: date: 2025-13-01 is not a real date; check the month and day",
     "1 error(s), 0 warning(s) in articles/"),
])
def test_check_speaks_the_chosen_language(monkeypatch, tmp_path, lang, problem, summary):
    monkeypatch.setenv("PUBLISH_LANG", lang)
    code, stderr = _check_output(tmp_path)
    assert code == 1
    assert stderr.splitlines() == [problem, summary]


def test_a_publish_process_follows_lang_when_publish_lang_is_unset(tmp_path):
    """The real command, in a process of its own, with only the locale set (as on a Chinese desktop)."""
    config = make_site(tmp_path, {"a": {"ja.md": article()}})
    env = {key: value for key, value in os.environ.items()
           if key not in ("PUBLISH_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env["LANG"] = "zh_CN.UTF-8"
    result = subprocess.run([sys.executable, "-c", "from publisher.cli import main; main()", "check",
                             "--config", str(config)], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"通过：文章 1 篇，警告 \d+ 个", result.stdout.strip()), result.stdout  # house-style warnings


def test_a_usage_error_is_translated(monkeypatch, tmp_path):
    monkeypatch.setenv("PUBLISH_LANG", "ja")
    config = make_site(tmp_path, {"a": {"ja.md": article()}})
    result = CliRunner().invoke(main, ["build", "--config", str(config), "--preview"])
    assert result.exit_code == 2
    assert "--preview には --out DIR が必要です" in result.stderr
