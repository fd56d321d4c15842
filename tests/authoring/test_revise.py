"""`publish revise`: only the blocks the instruction concerns change; nothing is written unconfirmed or over a save."""

from __future__ import annotations

import json
import os
import pty
import select
import sys
import time

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.authoring.revise import ReviseOptions, RevisionError, revise_article
from support import REPO_ROOT
from support.openai_server import Fault

ARTICLE = """\
---
title: 物流拠点の選び方   # a writer's comment
date: 2026-01-05
status: draft
tags: [物流, 華南]
ai: {text: true}
---

## 1. なぜ拠点選びが大切か

①港までの距離は、輸送費の大半を決める。

↓

拠点を港の近くに置くと、一便あたりの費用が下がる。
<!-- source: sources/notes.md#L3-L4 -->

## 2. 三つの候補地

①一つ目の候補は深圳。港湾の取扱量が多く、便数も多い。夜間の通関にも対応している。
<!-- source: sources/notes.md#L8 -->

②二つ目は東莞。工場用地が比較的安い。深圳まで車で一時間ほどの距離にある。

> **保税区とは、**  関税を払わずに貨物を置ける区域。

## 3. まとめ

■ 費用と速さの釣り合いで選ぶことが大切。
"""


@pytest.fixture
def article(llm_site):
    folder = llm_site.root / "articles" / "logistics"
    folder.mkdir()
    path = folder / "ja.md"
    path.write_text(ARTICLE, "utf-8")
    return path


def _config(llm_site) -> list[str]:
    return ["--config", str(llm_site.root / "publisher.toml")]


def _unchanged_outside(before: str, after: str, first: int, last: int) -> None:
    """Lines before `first` and from `last` on (1-based, of `before`) are byte-identical in `after`."""
    old, new = before.split("\n"), after.split("\n")
    tail = len(old) - (last - 1)
    assert new[: first - 1] == old[: first - 1]
    assert new[-tail:] == old[-tail:]


def test_shortening_section_2_changes_only_its_paragraphs(llm_site, article) -> None:
    result = CliRunner().invoke(main, ["revise", "logistics", "--instruction", "shorten section 2", "--yes",
                                       *_config(llm_site)])
    assert result.exit_code == 0, result.output
    after = article.read_text("utf-8")
    assert "①一つ目の候補は深圳。\n<!-- source: sources/notes.md#L8 -->" in after
    assert "②二つ目は東莞。\n\n>" in after
    assert "> **保税区とは、**  関税を払わずに貨物を置ける区域。\n" in after  # in scope, one sentence: kept
    # Everything before section 2's first paragraph and after its last is byte-identical (header included).
    lines = ARTICLE.split("\n")
    first = lines.index("## 2. 三つの候補地") + 3
    last = lines.index("## 3. まとめ")
    _unchanged_outside(ARTICLE, after, first, last)
    assert "wrote" in result.output and "2 block(s) revised" in result.output
    assert "-①一つ目の候補は深圳。港湾の取扱量が多く" in result.output and "+①一つ目の候補は深圳。" in result.output
    # The model saw every block for the scope, and only the chosen ones for the revision.
    scope, revision = (json.loads(r["messages"][1]["content"]) for r in llm_site.server.requests)
    assert scope["task"] == "revise_scope" and len(scope["blocks"]) == 12
    assert [b["id"] for b in revision["blocks"]] == ["b6", "b8", "b9"]
    assert all("source:" not in b["text"] for b in revision["blocks"])


def test_without_a_terminal_and_without_yes_the_diff_is_shown_and_nothing_written(llm_site, article) -> None:
    result = CliRunner().invoke(main, ["revise", "logistics", "--instruction", "shorten section 2",
                                       *_config(llm_site)])
    assert result.exit_code == 1
    assert "+①一つ目の候補は深圳。" in result.output
    assert "not written" in result.output and "--yes" in result.output
    assert article.read_text("utf-8") == ARTICLE


def test_the_confirmation_decides(llm_site, article) -> None:
    options = ReviseOptions(instruction="「東莞」の段落を短く")
    seen = []
    report = revise_article(llm_site.config(), llm_site.settings(), "logistics", options,
                            confirm=lambda revision: seen.append(revision) or False)
    assert not report.written and article.read_text("utf-8") == ARTICLE
    assert seen[0].changed == ("b8",) and seen[0].has_changes
    report = revise_article(llm_site.config(), llm_site.settings(), "logistics", options, confirm=lambda r: True)
    assert report.written and report.revision.changed == ("b8",)
    assert "②二つ目は東莞。\n" in article.read_text("utf-8")
    assert report.usage.requests == 2


def test_an_answer_touching_other_blocks_is_not_applied(llm_site, article) -> None:
    llm_site.server.faults.extend([Fault("none"), Fault("touch_other")])
    report = revise_article(llm_site.config(), llm_site.settings(), "logistics",
                            ReviseOptions(instruction="shorten section 2"), confirm=lambda r: True)
    assert report.written and report.revision.changed == ("b6", "b8")
    assert any(note.startswith("b0 ") and "kept as it was" in note for note in report.revision.refused)
    text = article.read_text("utf-8")
    assert "## 1. なぜ拠点選びが大切か" in text and "頼まれていない" not in text


def test_a_file_saved_meanwhile_is_never_overwritten(llm_site, article) -> None:
    def writer_saves_while_the_diff_is_shown(revision) -> bool:
        article.write_text(ARTICLE.replace("■ 費用と速さ", "■ 書き手が直した費用と速さ"), "utf-8")
        return True

    with pytest.raises(RevisionError, match="saved by someone else meanwhile.*not written"):
        revise_article(llm_site.config(), llm_site.settings(), "logistics",
                       ReviseOptions(instruction="shorten section 2"), confirm=writer_saves_while_the_diff_is_shown)
    assert "■ 書き手が直した費用と速さ" in article.read_text("utf-8")
    assert "港湾の取扱量が多く" in article.read_text("utf-8")


def test_nothing_in_scope_means_no_change_and_no_question(llm_site, article) -> None:
    asked = []
    report = revise_article(llm_site.config(), llm_site.settings(), "logistics",
                            ReviseOptions(instruction="「存在しない語」を直して"), confirm=asked.append)
    assert not report.revision.has_changes and not asked and len(llm_site.server.requests) == 1


def test_a_long_article_is_listed_within_the_budget(llm_site, article) -> None:
    long_paragraphs = "\n\n".join(f"補足{n}: " + "長い説明の文章が続く。" * 60 for n in range(1, 40))
    article.write_text(ARTICLE + "\n" + long_paragraphs + "\n", "utf-8")
    settings = llm_site.settings(context_tokens=3000)
    report = revise_article(llm_site.config(), settings, "logistics", ReviseOptions(instruction="shorten section 2"),
                            confirm=lambda r: True)
    assert report.written
    assert max(llm_site.server.request_sizes) <= 3000
    scope = json.loads(llm_site.server.requests[0]["messages"][1]["content"])
    assert any(b["text"].endswith("…") for b in scope["blocks"])


def test_a_translation_can_be_revised_with_lang(llm_site, article) -> None:
    zh = article.with_name("zh.md")
    zh.write_text("---\ntitle: 物流据点\nstatus: draft\n---\n\n## 2. 三个候选地\n\n①第一个是深圳。港口吞吐量大。\n", "utf-8")
    result = CliRunner().invoke(main, ["revise", "logistics", "--lang", "zh", "--instruction", "shorten section 2",
                                       "--yes", *_config(llm_site)])
    assert result.exit_code == 0, result.output
    assert zh.read_text("utf-8").endswith("①第一个是深圳。\n") and article.read_text("utf-8") == ARTICLE


def test_confirming_on_a_terminal(llm_site, article) -> None:
    """The real command in a pseudo-terminal: the diff, the question, `y`, written."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
           "OPENAI_API_KEY": "test-key-not-secret"}
    env.pop("OPENAI_BASE_URL", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, attached to the terminal
        os.chdir(llm_site.root)
        os.execve(sys.executable, [sys.executable, "-c", "from publisher.cli import main; main()", "revise",
                                   "logistics", "--instruction", "shorten section 2"], env)
    output = b""
    answered = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if not answered and b"[y/N]" in output:
                os.write(fd, b"y\n")
                answered = True
    _, status = os.waitpid(pid, 0)
    text = output.decode("utf-8", "replace")
    assert answered, text
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "\x1b[32m+" in text  # coloured on a terminal
    assert "①一つ目の候補は深圳。\n<!--" in article.read_text("utf-8")
