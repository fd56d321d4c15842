"""`publish pdf ARTICLE [--lang] [--out]`, and the missing-fonts message, through the real command."""

from __future__ import annotations

import os
import subprocess
import sys

import pypdf
import pytest
from click.testing import CliRunner

from support import REPO_ROOT

CONFIG = str(REPO_ROOT / "publisher.toml")
NOW = "2026-01-10T12:00"


def _run(*args: str):
    from publisher.cli import main

    return CliRunner().invoke(main, ["pdf", "--config", CONFIG, "--now", NOW, *args])


def test_pdf_of_one_article_in_the_chosen_language(tmp_path):
    out = tmp_path / "city.pdf"
    result = _run("china-city-growth-stories", "--lang", "zh", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "not live" not in result.output
    reader = pypdf.PdfReader(out)
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    title = (REPO_ROOT / "articles/china-city-growth-stories/zh.md").read_text("utf-8").split("title: ")[1]
    assert reader.metadata.title == title.splitlines()[0].strip()


def test_default_language_and_file_name_from_an_md_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _run(str(REPO_ROOT / "articles/localizing-your-website/zh.md"))
    assert result.exit_code == 0, result.output
    written = tmp_path / "localizing-your-website.zh.pdf"
    assert pypdf.PdfReader(written).trailer["/Root"]["/Lang"] == "zh-CN"


def test_a_scheduled_article_gets_a_banner_and_a_note(tmp_path):
    out = tmp_path / "calendar.pdf"
    result = _run("policy-calendar-2026", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "not live yet" in result.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "公開予定" in text


def test_errors_are_messages_and_nothing_is_overwritten(tmp_path):
    unknown = _run("no-such-article", "--out", str(tmp_path / "x.pdf"))
    assert unknown.exit_code == 1 and "no article 'no-such-article'" in unknown.output
    assert "Traceback" not in unknown.output

    language = _run("china-city-growth-stories", "--lang", "en", "--out", str(tmp_path / "x.pdf"))
    assert language.exit_code == 1 and "unknown language 'en'" in language.output

    notes = tmp_path / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    refused = _run("china-city-growth-stories", "--out", str(notes))
    assert refused.exit_code == 1 and "is not a PDF" in refused.output
    assert notes.read_text(encoding="utf-8") == "my notes"
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.tmp"))


def test_an_article_with_errors_is_named_with_its_first_problem(tmp_path):
    from publisher.cli import main
    from support.factory import article, make_site

    config_path = make_site(tmp_path / "site", {"broken": {"ja.md": article("壊れた記事", date="2025-13-40")}})
    result = CliRunner().invoke(main, ["pdf", "--config", str(config_path), "broken", "--out",
                                       str(tmp_path / "broken.pdf")])
    assert result.exit_code == 1
    assert "the article broken has errors" in result.output and "date" in result.output
    assert "publish check" in result.output and not (tmp_path / "broken.pdf").exists()


@pytest.mark.parametrize("command", ["pdf", "build"])
def test_missing_noto_cjk_fonts_name_the_debian_package(tmp_path, command):
    """With fontconfig pointed at an empty font folder, `publish pdf` and `publish build` stop before rendering."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                    f"<fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n",
                    encoding="utf-8")
    out = tmp_path / "out.pdf"
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "PYTHONPATH": os.pathsep.join(sys.path)}
    arguments = ["china-city-growth-stories", "--out", str(out)] if command == "pdf" else ["--out", str(out)]
    result = subprocess.run([sys.executable, "-c", "from publisher.cli import main; main()", command,
                             "--config", CONFIG, "--now", NOW, *arguments],
                            capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 1, result
    assert "fonts-noto-cjk" in result.stderr and "Noto Sans CJK JP" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
