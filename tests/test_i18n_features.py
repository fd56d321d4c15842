"""Messages in the writer's language, for the feature packages (model client, translation, authoring, fact
check, sources, importer, preview) and `--help`: help texts are translated when help is printed, feature
errors reach the user in Japanese, and no English sentence is left outside `_()`."""

from __future__ import annotations

import ast
import contextlib
import json
import re
import unicodedata
from pathlib import Path

import click
import pytest
import support.llm_site as llm_fixtures
from click.testing import CliRunner
from support.factory import article, make_site
from support.llm_site import LLMSite
from support.openai_server import Fault

from publisher import i18n
from publisher.cli import SHORT_HELP, main
from publisher.cli.help import help_texts, text_of, wrap

llm_site, openai_server = llm_fixtures.llm_site, llm_fixtures.openai_server  # the fixtures

PACKAGE = Path(i18n.__file__).parent
FEATURE_PACKAGES = ("llm", "translation", "authoring", "factcheck", "sources", "importer", "preview",
                    "config/llm.py", "config/llm_providers.py", "cli/translation.py", "cli/authoring.py",
                    "cli/preview.py", "cli/__init__.py", "cli/help.py")


def _help(args: list[str], lang: str, monkeypatch) -> str:
    monkeypatch.setenv("PUBLISH_LANG", lang)
    result = CliRunner().invoke(main, args, prog_name="publish", terminal_width=80, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _flat(text: str) -> str:
    """`text` without whitespace: a sentence wrapped over several lines is found whole."""
    return "".join(text.split())


def _columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


@pytest.mark.parametrize(("lang", "usage", "options", "commands"), [
    ("ja", "使い方:", "オプション:", "コマンド:"),
    ("zh", "用法:", "选项:", "命令:"),
])
def test_publish_help_is_in_the_chosen_language_in_whole_sentences(monkeypatch, lang, usage, options, commands):
    output = _help(["--help"], lang, monkeypatch)
    assert output.startswith(f"{usage} publish [OPTIONS] COMMAND [ARGS]...")
    assert f"\n{options}\n" in output and f"\n{commands}\n" in output
    assert "..." not in output.split(commands)[1]  # no summary is cut
    translations = i18n.translations(lang)
    for name, text in SHORT_HELP.items():
        translated = translations.gettext(text)
        assert translated != text, name
        assert translated.endswith("。"), name  # a whole sentence
        assert _flat(translated) in _flat(output), name
    assert max(_columns(line) for line in output.splitlines()) <= 80  # wrapped by display width


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_build_help_translates_every_option_and_keeps_option_names(monkeypatch, lang):
    output = _help(["build", "--help"], lang, monkeypatch)
    translations = i18n.translations(lang)
    build = main.commands["build"]
    assert _flat(translations.gettext(text_of(build.help))) in _flat(output)
    for param in build.params:
        if isinstance(param, click.Option):
            assert all(name in output for name in param.opts)  # option names as written
            translated = translations.gettext(text_of(param.help))
            assert translated != param.help
            assert _flat(translated) in _flat(output), param.name
    assert "Build the site" not in output and "Show this message" not in output
    assert max(_columns(line) for line in output.splitlines()) <= 80


def test_help_stays_english_with_publish_lang_en(monkeypatch):
    output = _help(["build", "--help"], "en", monkeypatch)
    assert output.startswith("Usage: publish build [OPTIONS]")
    assert "Build the site into dist/ as of now (or --now)." in " ".join(output.split())
    assert "Include drafts and pages in review (banner + noindex)." in " ".join(output.split())


@pytest.mark.parametrize("name", sorted(SHORT_HELP))
def test_english_help_is_exactly_clicks_layout(monkeypatch, name):
    """The translating formatter changes nothing for English: same words, same wrapping as plain click."""
    command = main.commands[name]
    plain = click.Context(command, info_name=name, terminal_width=80, max_content_width=80)
    expected = click.Command.get_help(command, plain)
    shown = _help([name, "--help"], "en", monkeypatch)
    assert shown.splitlines()[1:] == expected.splitlines()[1:]


def test_option_extras_are_translated(monkeypatch):
    assert "[必須]" in _help(["new", "--help"], "ja", monkeypatch)
    assert "[默认：6000;500<=x<=40000]" in _flat(_help(["draft", "--help"], "zh", monkeypatch))
    assert "[required]" in _help(["new", "--help"], "en", monkeypatch)


def test_help_follows_the_language_of_each_call(monkeypatch):
    """Nothing is translated at import: the same process shows help in each language asked for."""
    assert "オプション:" in _help(["status", "--help"], "ja", monkeypatch)
    assert "选项:" in _help(["status", "--help"], "zh", monkeypatch)
    assert "Options:" in _help(["status", "--help"], "en", monkeypatch)


def test_every_help_text_of_every_command_is_collected_for_the_catalogs():
    collected = {text for text, _file, _line in help_texts(main)}
    for command in main.commands.values():
        assert text_of(command.help) in collected
        assert text_of(command.short_help) in collected
        for param in command.params:
            if getattr(param, "help", None):
                assert text_of(param.help) in collected, (command.name, param.name)
    assert {"Show this message and exit.", "Show the version and exit."} <= collected


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("one two three four", 9, ["one two", "three", "four"]),
    ("設定とすべての記事を確認します。", 10, ["設定とすべ", "ての記事を", "確認しま", "す。"]),
    ("--lang TEXT を使う(既定: すべて)", 14, ["--lang TEXT を", "使う(既定: す", "べて)"]),
])
def test_wrap_counts_wide_characters_twice_and_keeps_punctuation_attached(text, width, expected):
    lines = wrap(text, width)
    assert lines == expected
    assert all(_columns(line) <= width or " " not in line for line in lines)


def _llm_site(tmp_path: Path, setting: str, value: str) -> Path:
    """A site whose article has a source, with `setting = value` in its [llm] table."""
    config = make_site(tmp_path, {"a": {"ja.md": article(sources="[sources/report.txt]",
                                                         body="売上は12億円でした。\n")}})
    (config.parent / "articles" / "a" / "sources").mkdir()
    (config.parent / "articles" / "a" / "sources" / "report.txt").write_text("売上は12億円。\n", "utf-8")
    text = re.sub(rf"^{setting} = .*$", f"{setting} = {value}", config.read_text("utf-8"), count=1, flags=re.M)
    config.write_text(text, "utf-8")
    return config


def _run(config: Path, args: list[str]):
    with contextlib.chdir(config.parent):
        return CliRunner().invoke(main, [*args, "--config", str(config)], catch_exceptions=False)


def test_translate_reports_an_unknown_article_in_japanese(monkeypatch, tmp_path):
    monkeypatch.setenv("PUBLISH_LANG", "ja")
    config = make_site(tmp_path, {"a": {"ja.md": article()}})
    result = _run(config, ["translate", "--check", "nosuch"])
    assert result.exit_code == 1
    assert "articles/ に記事 nosuch はありません(articles/<slug>/ja.md がありません)。slug を確認してください" \
        in result.stderr


def test_translate_reports_a_bad_llm_table_in_japanese_with_field_names_as_written(monkeypatch, tmp_path):
    monkeypatch.setenv("PUBLISH_LANG", "ja")
    config = _llm_site(tmp_path, "model", "5")
    line = config.read_text("utf-8").splitlines().index("model = 5") + 1
    result = _run(config, ["translate", "a"])
    assert result.exit_code == 1
    assert f"publisher.toml:{line}: llm.model: モデル名を文字列で書いてください(5 は使えません)" in result.stderr
    assert "publisher.toml の [llm] 表を直してください" in result.stderr


@pytest.mark.parametrize(("lang", "expected"), [
    ("ja", "llm.context_tokens: 2000 以上の整数にしてください(10 は使えません)"),
    ("zh", "llm.context_tokens: 必须是不小于 2000 的整数，而不是 10"),
])
def test_factcheck_with_the_model_reports_settings_in_the_chosen_language(monkeypatch, tmp_path, lang, expected):
    monkeypatch.setenv("PUBLISH_LANG", lang)
    config = _llm_site(tmp_path, "context_tokens", "10")
    result = _run(config, ["factcheck", "a", "--llm"])
    assert result.exit_code == 1
    assert expected in result.stderr


def test_a_refused_key_is_reported_in_japanese_by_the_real_client(monkeypatch, llm_site: LLMSite):
    """The real `openai` client against the local server, which answers 401 to a wrong key."""
    monkeypatch.setenv("PUBLISH_LANG", "ja")
    monkeypatch.setenv("OPENAI_API_KEY", "a-wrong-key")
    result = _run(llm_site.root / "publisher.toml", ["translate"])
    assert result.exit_code == 1
    assert (f"エンドポイント {llm_site.server.url} が API キーを拒否しました(401)。"
            "環境変数 OPENAI_API_KEY(llm.api_key_env) のキーを確認してください") in result.stderr
    assert "それまでに翻訳したブロックは .publisher/translations/ に残しています" in result.stderr
    assert not (llm_site.article / "zh.md").exists()


def test_a_translation_run_is_summarised_in_chinese(monkeypatch, llm_site: LLMSite):
    monkeypatch.setenv("PUBLISH_LANG", "zh")
    result = _run(llm_site.root / "publisher.toml", ["translate"])
    assert result.exit_code == 0, result.stderr
    assert "guide/zh.md: written" not in result.stdout
    assert re.search(r"个请求，\d+ 个输入 token（其中缓存 \d+ 个），\d+ 个输出 token，预计费用 \d+\.\d{4}",
                     result.stdout), result.stdout
    dry = _run(llm_site.root / "publisher.toml", ["translate", "--dry-run"])
    assert dry.stdout.startswith("试运行，未发送任何内容：")


def test_a_bad_answer_goes_back_to_the_model_in_english_and_to_the_writer_in_japanese(monkeypatch,
                                                                                     llm_site: LLMSite):
    monkeypatch.setenv("PUBLISH_LANG", "ja")
    llm_site.server.always = Fault("change_number")
    result = _run(llm_site.root / "publisher.toml", ["translate"])
    assert result.exit_code == 1
    retry = json.loads(llm_site.server.requests[1]["messages"][1]["content"])
    feedback = " ".join(segment.get("problems_last_time", "") for segment in retry["segments"])
    assert "these numbers of the source are missing or changed:" in feedback  # the model reads English
    assert "原文の次の数値がないか、変わっています" not in feedback
    assert "原文の次の数値がないか、変わっています" in result.stderr  # the writer reads Japanese
    assert "these numbers of the source" not in result.stderr
    assert not (llm_site.article / "zh.md").exists()


# ------------------------------------------------------------------ nothing English left unwrapped

_SENTENCE = re.compile(r"[A-Za-z]{2,}[,;:]? [A-Za-z]{2,}")
"""Two English words in a row: a message, not a field name, a path or a format."""

_MESSAGE_CALLS = {"echo", "confirm", "progress", "append", "BadParameter", "UsageError", "Problem"}
"""Calls whose string arguments reach the user (besides exceptions)."""

_INTERNAL_ERRORS = {"ValueError", "TypeError", "KeyError", "AssertionError", "RuntimeError", "NotImplementedError"}
"""Exceptions that are bugs, never shown as a message (a user sees the `PublisherError`s)."""


def _files() -> list[Path]:
    files: list[Path] = []
    for name in FEATURE_PACKAGES:
        path = PACKAGE / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return files


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _literal_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(value.value for value in node.values if isinstance(value, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal_text(node.left), _literal_text(node.right)
        return (left or "") + " " + (right or "") if left is not None or right is not None else None
    return None


def _unwrapped_messages(path: Path, root: Path = PACKAGE) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        shown = (name in _MESSAGE_CALLS or (name.endswith(("Error", "Exception")) and name not in _INTERNAL_ERRORS)
                 or name in ("UnusableAnswers", "PdfUnavailable"))
        if not shown:
            continue
        for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
            text = _literal_text(argument)
            if text is not None and _SENTENCE.search(re.sub(r"\{[^{}]*\}", " ", text)):
                found.append(f"{path.relative_to(root)}:{argument.lineno}: {text[:70]!r}")
    return found


def test_no_english_message_is_left_outside_the_catalogs():
    """A message (exception, echo, prompt, progress label, note, problem) written as a literal English
    sentence, or an f-string, instead of `_("...").format(...)` (or `Feedback(...)` for the problems of a
    model's answer, which go back to the model in English), fails here."""
    found = [line for path in _files() for line in _unwrapped_messages(path)]
    assert found == []


def test_the_scan_finds_an_unwrapped_message(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('def f(x):\n    raise PublisherError(f"{x} is not a real thing; fix it")\n'
                      '    click.echo(_("ok: {x} done").format(x=x))\n', "utf-8")
    assert _unwrapped_messages(sample, tmp_path) == ["sample.py:2: ' is not a real thing; fix it'"]
