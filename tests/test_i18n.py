"""Messages in the writer's language: the catalogs are complete, the language is chosen from the
environment at each message, and `publish` speaks Japanese and Chinese."""

from __future__ import annotations

import ast
import builtins
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
from hypothesis import given, settings
from hypothesis import strategies as st
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


# --- The core packages: no English message left outside `_()` -------------------------------------------------

#: Packages and modules whose user-facing messages must all go through the catalogs (issue 16). The
#: features (llm, translation, authoring, ...) are listed by their own tests when they are done.
CORE = ("content", "config/site.py", "config/strings.py", "config/markdown.py", "config/deploy.py", "config/pdf.py",
        "config/preview.py", "site", "markdown", "house_style", "linkcheck.py", "limits.py", "errors.py", "fsio.py",
        "parallel.py", "schedule.py", "notices.py", "pdf", "deploy", "cli/site.py", "cli/deploy.py",
        "cli/common.py")

_ENGLISH = re.compile(r"[A-Za-z]{2,}[\s,;:]+[A-Za-z]{2,}")
"""Two English words in a row: a sentence (single words, paths and markup are not messages)."""
_SINKS = {"problem": -1, "error": -1, "warn": -1, "echo": 0, "secho": 0, "Problem": 3}
"""Where messages go, and the position of the message among the call's arguments."""
_MESSAGE_ERRORS = re.compile(r"(Error|Refused|Missing|UnsafeFile)$")
"""The tool's own exceptions, whose text the CLI prints (builtin ones like ValueError are programming errors)."""


def _package_files(parts) -> list[Path]:
    package = Path(i18n.__file__).parent
    files = []
    for part in parts:
        path = package / part
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _literal_english(node: ast.AST) -> bool:
    """A string literal or f-string whose own text holds English words."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_ENGLISH.search(node.value))
    if isinstance(node, ast.JoinedStr):
        text = "".join(part.value if isinstance(part, ast.Constant) else " {} " for part in node.values)
        return bool(_ENGLISH.search(text))
    if isinstance(node, ast.BinOp):  # "..." + "...", "..." % (...)
        return _literal_english(node.left) or _literal_english(node.right)
    return False


def _unwrapped_messages(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _callee(node)
        message = None
        if name in _SINKS and len(node.args) > (_SINKS[name] if _SINKS[name] >= 0 else 0):
            message = node.args[_SINKS[name]]
        elif _MESSAGE_ERRORS.search(name) and name not in dir(builtins) and node.args:
            message = node.args[0]
        if message is not None and _literal_english(message):
            found.append(f"{path.parent.name}/{path.name}:{node.lineno}: {ast.unparse(message)[:80]}")
    return found


def test_core_messages_all_go_through_the_catalogs():
    """A `raise XxxError(f"...")`, `Problem(..., "...")`, `problem(key, "...")` or `click.echo(f"...")` with an
    English sentence in the core packages is a message the Japanese and Chinese writers would get in
    English: wrap it, `_("... {name} ...").format(name=...)`."""
    found = [problem for path in _package_files(CORE) for problem in _unwrapped_messages(path)]
    assert found == []


def test_the_scan_finds_an_unwrapped_message(tmp_path):
    """The scan above is not vacuous: each form of message it looks for is caught."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(path, problem, fields):\n"
        "    problem('site', 'x', f'must be a path, not {path!r}')\n"
        "    fields.error('hero', 'is not an image; use a png')\n"
        "    click.echo(f'deployed {path} in full')\n"
        "    Problem(path, 1, 'tags field', 'a published page has no tags')\n"
        "    raise DeployError('cannot write ' + str(path))\n"
        "    raise ValueError('programming errors are not messages')\n"
        "    Problem(path, 1, 'summary box', _('wrapped: {x}').format(x=1))\n", "utf-8")
    assert [line.split(":")[1] for line in _unwrapped_messages(sample)] == ["2", "3", "4", "5", "6"]


def _shadowing_functions(path: Path) -> list[str]:
    """Functions that bind `_` (`for _ in`, `a, _, b = ...`) and call `_()`: there `_` is the local
    variable, not the translator (an UnboundLocalError, or a TypeError, the day that line runs)."""
    found = []
    for function in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        own, stack = [], list(ast.iter_child_nodes(function))
        while stack:
            node = stack.pop()
            own.append(node)
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                                     ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp)):
                stack.extend(ast.iter_child_nodes(node))
        binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in own) or \
            any(arg.arg == "_" for arg in ast.walk(function.args) if isinstance(arg, ast.arg))
        calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                    for n in ast.walk(function))
        if binds and calls:
            found.append(f"{path.parent.name}/{path.name}:{function.lineno}: {function.name}")
    return found


def test_no_function_hides_the_translator():
    found = [hit for path in _package_files(["."]) for hit in _shadowing_functions(path)]
    assert found == []


def _invoke(tmp_path: Path, args: list[str], articles: dict) -> tuple[int, list[str]]:
    config = make_site(tmp_path, articles)
    with contextlib.chdir(config.parent):
        result = CliRunner().invoke(main, [*args, "--config", str(config)], catch_exceptions=False)
    return result.exit_code, result.stderr.splitlines()


_BAD_HERO = {"a": {"ja.md": article(hero="notes.txt", hero_alt="図", summary="要約", tags="[物流]")}}


@pytest.mark.parametrize(("lang", "expected"), [
    ("ja", "articles/a/ja.md:5: hero: 'notes.txt' は画像ではありません。a/ にある .png、.jpg、.webp、.gif、.avif、"
           ".svg のファイルを使ってください"),
    ("zh", "articles/a/ja.md:5: hero: 'notes.txt' 不是图片；请使用 a/ 中的 .png、.jpg、.webp、.gif、.avif 或 .svg 文件"),
    ("en", "articles/a/ja.md:5: hero: 'notes.txt' is not an image; use a .png, .jpg, .webp, .gif, .avif or .svg file "
           "in a/"),
])
def test_a_failing_check_and_build_speak_the_chosen_language(monkeypatch, tmp_path, lang, expected):
    """A content error of the core packages, through `publish check` and the refused `publish build`."""
    monkeypatch.setenv("PUBLISH_LANG", lang)
    code, lines = _invoke(tmp_path / "check", ["check"], _BAD_HERO)
    assert code == 1
    assert expected in lines
    code, lines = _invoke(tmp_path / "build", ["build", "--quiet"], _BAD_HERO)
    assert code == 1
    assert expected in lines


@pytest.mark.parametrize(("lang", "expected"), [
    ("ja", "articles/a/ja.md:2: summary: 警告: 公開ページには要約が必要です"),
    ("zh", "articles/a/ja.md:2：summary：警告：已发布页面需要摘要"),
])
def test_house_style_warnings_speak_the_chosen_language(monkeypatch, tmp_path, lang, expected):
    monkeypatch.setenv("PUBLISH_LANG", lang)
    code, lines = _invoke(tmp_path, ["check"], {"a": {"ja.md": article(tags="[物流]")}})
    assert code == 0
    assert any(line.startswith(expected) for line in lines), lines


@pytest.mark.parametrize(("lang", "expected"), [
    ("ja", "デプロイ先 'nowhere' はありません"),
    ("zh", "中没有名为 'nowhere' 的部署目标"),
])
def test_deploy_refusals_speak_the_chosen_language(monkeypatch, tmp_path, lang, expected):
    monkeypatch.setenv("PUBLISH_LANG", lang)
    code, lines = _invoke(tmp_path, ["deploy", "nowhere"], {"a": {"ja.md": article()}})
    assert code == 1
    assert any(expected in line for line in lines), lines


# --- reading the catalogs ----------------------------------------------------------------------------------


def _babel_messages(text: str) -> dict[str, str]:
    """What Babel's own parser reads from a `.po` text: the translated, non-fuzzy messages without context."""
    import io as _io

    from babel.messages.pofile import read_po

    catalog = read_po(_io.BytesIO(text.encode("utf-8")))
    return {message.id: message.string for message in catalog
            if message.id and message.string and not message.fuzzy and not message.context}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_catalog_reader_reads_what_babel_reads(lang):
    text = i18n.catalog_path(lang).read_text(encoding="utf-8")
    messages = i18n.read_po_messages(text)
    assert len(messages) > 500
    assert messages == _babel_messages(text)


_po_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=40)


@settings(max_examples=150, deadline=None)
@given(entries=st.lists(st.tuples(_po_text.filter(bool), _po_text, st.booleans(), st.booleans()),
                        max_size=8, unique_by=lambda entry: entry[0]))
def test_the_catalog_reader_agrees_with_babel_on_any_catalog(entries):
    """Escapes, quotes, line breaks, fuzzy and untranslated entries, long lines that Babel wraps."""
    import io as _io

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="ja")
    for message_id, translation, fuzzy, long in entries:
        catalog.add(message_id * (6 if long else 1), translation * (6 if long else 1),
                    flags=("fuzzy",) if fuzzy else ())
    buffer = _io.BytesIO()
    write_po(buffer, catalog, width=30)
    text = buffer.getvalue().decode("utf-8")
    assert i18n.read_po_messages(text) == _babel_messages(text)
