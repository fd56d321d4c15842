"""`publish translate` end to end against the local server: incremental, human-safe, checked."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from publisher.cli import main
from publisher.content import load_site
from publisher.markdown.segments import split_blocks
from publisher.translation.translate import TranslationError
from support import REPO_ROOT
from support.openai_server import Fault, fake_translate


def _frontmatter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def _body(text: str) -> str:
    return text.split("---\n", 2)[2].lstrip("\n")


def _requested(server, start: int = 0) -> list[str]:
    return [sid for ids in server.segment_ids()[start:] for sid in ids]


def test_first_run_writes_a_complete_translation_and_its_lock(llm_site) -> None:
    report = llm_site.translate()
    doc = report.documents[0]
    assert doc.written and not doc.failed
    text = llm_site.zh()
    fields = _frontmatter(text)
    assert list(fields) == ["title", "summary", "hero_alt", "tags", "status"]
    assert fields["status"] == "draft"
    assert fields["title"] == "日资企业的ため的華南進出ガイド"
    assert "⟦" not in text
    assert '[統計ページ](https://example.com/stats "統計")' in text and "`report.csv`" in text
    assert '```python\nprint("そのまま")\n```' in text and "[資料]: https://example.com/docs" in text
    assert "\n↓\n" in text
    source_blocks = split_blocks(_body((llm_site.article / "ja.md").read_text("utf-8")))
    assert [b.kind for b in split_blocks(_body(text))] == [b.kind for b in source_blocks]
    lock = json.loads((llm_site.article / "zh.lock.json").read_text("utf-8"))
    assert len(lock["blocks"]) == len(source_blocks)
    assert set(lock["fields"]) == {"title", "summary", "hero_alt", "tags"}
    assert {e["origin"] for e in lock["blocks"]} >= {"copied"} and any(
        e["origin"].startswith("llm:") for e in lock["blocks"])
    # Pass-through blocks (code, references, the ↓ marker) were never sent.
    sent = llm_site.server.segment_texts()
    assert not any("そのまま" in s or "example.com/docs" in s or s == "↓" for s in sent)
    assert not any("https://" in s for s in sent)
    # The site still loads without errors.
    assert not load_site(llm_site.config()).errors
    assert report.usage.requests == 1 and report.usage.prompt_tokens > 0
    assert report.usage.cost > 0


def test_a_second_run_sends_nothing_and_changes_nothing(llm_site) -> None:
    llm_site.translate()
    before = llm_site.zh()
    lock_before = (llm_site.article / "zh.lock.json").read_text("utf-8")
    report = llm_site.translate()
    assert len(llm_site.server.requests) == 1
    assert not report.documents[0].written
    assert llm_site.zh() == before
    assert (llm_site.article / "zh.lock.json").read_text("utf-8") == lock_before


def test_editing_one_paragraph_sends_exactly_that_paragraph_with_context(llm_site) -> None:
    llm_site.translate()
    first = len(llm_site.server.requests)
    llm_site.edit_source("市場の規模は9.6万社に達した。", "市場の規模は10万社に迫る。")
    llm_site.translate()
    assert _requested(llm_site.server, first) == ["b4"]
    payload = json.loads(llm_site.server.requests[first]["messages"][1]["content"])
    assert payload["segments"][0]["text"] == "市場的規模是10万社に迫る。".replace("的", "の").replace("是", "は")
    assert "context_before" in payload and "↓" in payload["context_before"]
    assert "context_after" in payload
    assert "市場的規模是10万社に迫る。" in llm_site.zh()
    assert "9.6万社" not in llm_site.zh()


def test_inserting_and_moving_paragraphs_translates_only_the_new_one(llm_site) -> None:
    llm_site.translate()
    first = len(llm_site.server.requests)
    source = (llm_site.article / "ja.md").read_text("utf-8")
    point_one = "①華南には日系企業がおよそ3,500社ある。売上の伸びは前年比12.5%。"
    point_two = "②詳しくは[統計ページ](https://example.com/stats \"統計\")と`report.csv`を参照[^1]。"
    source = source.replace(f"{point_one}\n\n{point_two}", f"{point_two}\n\n新しく加えた段落。\n\n{point_one}")
    (llm_site.article / "ja.md").write_text(source, "utf-8")
    llm_site.translate()
    assert len(_requested(llm_site.server, first)) == 1
    assert llm_site.server.segment_texts()[-1] == "新しく加えた段落。"
    body = _body(llm_site.zh())
    assert body.index("②詳しく是") < body.index("新しく加えた段落") < body.index("①華南に是")


def test_a_human_edit_is_kept_and_reported(llm_site) -> None:
    llm_site.translate()
    zh = llm_site.article / "zh.md"
    zh.write_text(zh.read_text("utf-8").replace("市場的規模是9.6万社に達した。", "市场规模达到9.6万家。"), "utf-8")
    llm_site.edit_source("(港から工場まで1時間)", "(港から工場まで50分)")
    report = llm_site.translate()
    assert "市场规模达到9.6万家。" in llm_site.zh()
    assert "(港から工場まで50分)" in llm_site.zh()
    assert any("edited by hand" in note for note in report.documents[0].notes)
    result = CliRunner().invoke(main, ["status", "--config", str(llm_site.root / "publisher.toml")])
    assert "guide  zh  edited by hand (1)" in result.output


def test_a_human_edit_whose_source_changed_is_flagged_not_overwritten(llm_site) -> None:
    llm_site.translate()
    zh = llm_site.article / "zh.md"
    zh.write_text(zh.read_text("utf-8").replace("市場的規模是9.6万社に達した。", "市场规模达到9.6万家。"), "utf-8")
    llm_site.edit_source("市場の規模は9.6万社に達した。", "市場の規模は9.7万社に達した。")
    first = len(llm_site.server.requests)
    report = llm_site.translate()
    assert len(llm_site.server.requests) == first  # nothing to send
    assert "市场规模达到9.6万家。" in llm_site.zh()
    assert any("need review" in note for note in report.documents[0].notes)
    config = ["--config", str(llm_site.root / "publisher.toml")]
    assert "needs review (1)" in CliRunner().invoke(main, ["status", *config]).output
    assert CliRunner().invoke(main, ["translate", "--check", *config]).exit_code == 1
    # --update-reviewed gives the model the old translation and the source diff.
    llm_site.server.translate = lambda text, glossary: "市场规模达到9.7万家。" if "9.7万" in text else text
    llm_site.translate(update_reviewed=True)
    payload = json.loads(llm_site.server.requests[first]["messages"][1]["content"])
    segment = payload["segments"][0]
    assert segment["previous_translation"] == "市场规模达到9.6万家。"
    assert "-市場の規模は9.6万社に達した。" in segment["source_diff"]
    assert "+市場の規模は9.7万社に達した。" in segment["source_diff"]
    assert "市场规模达到9.7万家。" in llm_site.zh()
    assert "up to date" in CliRunner().invoke(main, ["status", *config]).output


def test_blocks_a_person_added_to_the_translation_are_kept(llm_site) -> None:
    llm_site.translate()
    zh = llm_site.article / "zh.md"
    zh.write_text(zh.read_text("utf-8").replace("\n↓\n", "\n↓\n\n译者注：此段为补充说明。\n"), "utf-8")
    llm_site.edit_source("(港から工場まで1時間)", "(港から工場まで50分)")
    llm_site.translate()
    body = _body(llm_site.zh())
    assert body.index("↓") < body.index("译者注：此段为补充说明。") < body.index("市場的規模")
    assert "(港から工場まで50分)" in body


def test_only_glossary_terms_in_the_batch_are_sent_and_they_are_enforced(llm_site) -> None:
    llm_site.translate()
    payload = json.loads(llm_site.server.requests[0]["messages"][1]["content"])
    assert {t["source"] for t in payload["glossary"]} == {"日系企業"}
    assert "日资企业" in llm_site.zh() and "日系企業" not in _body(llm_site.zh())
    # A model that ignores the glossary is corrected once, then the block is reported.
    llm_site.edit_source("市場の規模は9.6万社に達した。", "日系企業の市場は9.6万社。")
    llm_site.server.translate = lambda text, glossary: text
    start = len(llm_site.server.requests)
    report = llm_site.translate()
    retry = json.loads(llm_site.server.requests[start + 1]["messages"][1]["content"])
    assert "glossary: translate '日系企業' as '日资企业'" in retry["segments"][0]["problems_last_time"]
    assert report.documents[0].failed and "glossary" in report.documents[0].failed[0]


@pytest.mark.parametrize("fault", ["drop_id", "drop_placeholder", "change_number", "inject_script", "bad_json"])
def test_a_bad_answer_is_retried_with_the_problems_and_never_written(llm_site, fault) -> None:
    llm_site.server.faults.append(Fault(fault))
    report = llm_site.translate()
    assert not report.documents[0].failed
    assert len(llm_site.server.requests) == 2
    retry = json.loads(llm_site.server.requests[1]["messages"][1]["content"])
    assert all("problems_last_time" in s for s in retry["segments"])
    if fault != "bad_json":
        assert len(retry["segments"]) == 1
    text = llm_site.zh()
    assert "<script>" not in text and "⟦" not in text
    assert "3,500社" in text and "12.5%" in text and "[^1]" in text


def test_a_block_that_keeps_failing_is_reported_and_the_file_is_not_written(llm_site) -> None:
    def stubborn(text: str, glossary) -> str:
        out = fake_translate(text, glossary)
        return out + "<script>x</script>" if "保税区" in text else out

    llm_site.server.translate = stubborn
    report = llm_site.translate(batch_chars=10_000)
    ids = llm_site.server.segment_ids()
    assert len(ids[0]) > 2 and ids[1] == ["b8"]  # the retry carries only the failing block
    assert report.documents[0].failed and report.documents[0].failed[0].startswith("b8:")
    assert not (llm_site.article / "zh.md").exists()
    # Fixed model: the next run sends only the failed block; the rest comes from the cache.
    llm_site.server.translate = fake_translate
    start = len(llm_site.server.requests)
    report = llm_site.translate()
    assert _requested(llm_site.server, start) == ["b8"]
    assert report.documents[0].written and "**保税区と是、**" in llm_site.zh()


def test_a_truncated_answer_splits_the_batch(llm_site) -> None:
    llm_site.server.faults.append(Fault("length"))
    report = llm_site.translate()
    ids = llm_site.server.segment_ids()
    assert len(ids) == 3 and ids[1] + ids[2] == ids[0]
    assert abs(len(ids[1]) - len(ids[2])) <= 1
    assert report.documents[0].written and not report.documents[0].failed


def test_an_interrupted_run_resumes_without_resending_finished_blocks(llm_site) -> None:
    llm_site.server.faults.extend([Fault("none"), Fault("none")])
    llm_site.server.always = Fault("500")
    with pytest.raises(TranslationError, match="run the command again to continue"):
        llm_site.translate(batch_chars=60, concurrency=1, max_retries=0)
    assert not (llm_site.article / "zh.md").exists()
    finished = [sid for ids in llm_site.server.segment_ids()[:2] for sid in ids]
    assert finished
    llm_site.server.always = None
    start = len(llm_site.server.requests)
    report = llm_site.translate(batch_chars=60)
    resent = _requested(llm_site.server, start)
    assert not set(resent) & set(finished)
    assert report.documents[0].written and report.documents[0].reused == len(finished)


def test_no_temporary_files_are_left_and_a_failed_run_leaves_the_old_file(llm_site) -> None:
    llm_site.translate()
    before = llm_site.zh()
    llm_site.edit_source("市場の規模は9.6万社に達した。", "市場の規模は10万社に迫る。")
    llm_site.server.always = Fault("500")
    with pytest.raises(TranslationError):
        llm_site.translate(max_retries=0)
    assert llm_site.zh() == before
    assert sorted(p.name for p in llm_site.article.iterdir()) == ["hero.svg", "ja.md", "zh.lock.json", "zh.md"]


def test_cli_translate_prints_a_cost_summary_and_status(llm_site) -> None:
    config = ["--config", str(llm_site.root / "publisher.toml")]
    runner = CliRunner()
    assert "guide  zh  missing" in runner.invoke(main, ["status", *config]).output
    assert runner.invoke(main, ["translate", "--check", *config]).exit_code == 1
    result = runner.invoke(main, ["translate", *config])
    assert result.exit_code == 0, result.output
    assert re.search(r"1 request\(s\), \d+ input tokens \(0 cached\), \d+ output tokens, estimated cost 0\.\d{4}",
                     result.output)
    assert (llm_site.root / ".publisher" / "usage.jsonl").is_file()
    assert runner.invoke(main, ["translate", "--check", *config]).exit_code == 0
    assert "guide  zh  up to date" in runner.invoke(main, ["status", *config]).output


def test_cli_missing_key_and_rejected_model_are_one_clear_message(llm_site, monkeypatch) -> None:
    config = ["--config", str(llm_site.root / "publisher.toml")]
    monkeypatch.delenv("OPENAI_API_KEY")
    result = CliRunner().invoke(main, ["translate", *config])
    assert result.exit_code == 1
    assert "OPENAI_API_KEY is not set" in result.output and "Traceback" not in result.output
    monkeypatch.setenv("OPENAI_API_KEY", "test-key-not-secret")
    toml = llm_site.root / "publisher.toml"
    toml.write_text(toml.read_text("utf-8").replace('model = "test-model"', 'model = "gpt-unknown"'), "utf-8")
    result = CliRunner().invoke(main, ["translate", *config])
    assert result.exit_code == 1 and "does not know the model 'gpt-unknown'" in result.output
    assert "llm.model" in result.output and "Traceback" not in result.output


def _sample_site(tmp_path: Path, llm_site) -> Path:
    root = tmp_path / "sample"
    shutil.copytree(REPO_ROOT / "articles", root / "articles",
                    ignore=shutil.ignore_patterns("*.lock.json"))
    (root / "publisher.toml").write_text((llm_site.root / "publisher.toml").read_text("utf-8"), "utf-8")
    shutil.copy(REPO_ROOT / "glossary.csv", root / "glossary.csv")
    return root


def test_adopting_the_sample_translations_calls_no_model_and_changes_no_file(tmp_path, llm_site) -> None:
    root = _sample_site(tmp_path, llm_site)
    config = ["--config", str(root / "publisher.toml")]
    before = {p: p.read_bytes() for p in (root / "articles").glob("*/zh.md")}
    runner = CliRunner()
    assert "not tracked" in runner.invoke(main, ["status", *config]).output
    assert runner.invoke(main, ["translate", "--check", *config]).exit_code == 1
    result = runner.invoke(main, ["translate", "--adopt", *config])
    assert result.exit_code == 0, result.output
    assert result.output.count("adopted") == 4
    assert llm_site.server.requests == []
    assert {p: p.read_bytes() for p in before} == before
    assert runner.invoke(main, ["status", *config]).output.count("up to date") == 4
    assert runner.invoke(main, ["translate", "--check", *config]).exit_code == 0
    # A later source change in an adopted block is flagged for review, not overwritten.
    ja = root / "articles" / "policy-calendar-2026" / "ja.md"
    blocks = split_blocks(_body(ja.read_text("utf-8")))
    paragraph = next(b.text for b in blocks if b.kind == "paragraph" and len(b.text) > 30)
    ja.write_text(ja.read_text("utf-8").replace(paragraph, paragraph + "追記。"), "utf-8")
    result = runner.invoke(main, ["translate", *config])
    assert result.exit_code == 0, result.output
    assert llm_site.server.requests == []
    assert {p: p.read_bytes() for p in before} == before
    assert "policy-calendar-2026  zh  needs review (1)" in runner.invoke(main, ["status", *config]).output


def test_adopt_reports_where_the_structures_differ(tmp_path, llm_site) -> None:
    root = _sample_site(tmp_path, llm_site)
    zh = root / "articles" / "localizing-your-website" / "zh.md"
    text = zh.read_text("utf-8")
    first_heading = re.search(r"^## .*$", text, re.MULTILINE).group(0)
    zh.write_text(text.replace(first_heading + "\n", ""), "utf-8")
    result = CliRunner().invoke(main, ["translate", "--adopt", "localizing-your-website", "--config",
                                       str(root / "publisher.toml")])
    assert result.exit_code == 0
    assert "1 source block(s) (ja.md line" in result.output and "not adopted" in result.output
    status = CliRunner().invoke(main, ["status", "--config", str(root / "publisher.toml"),
                                       "localizing-your-website"]).output
    assert "stale (1 segment)" in status


def test_ctrl_c_keeps_finished_blocks_and_never_leaves_a_half_written_file(llm_site) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    import publisher

    paragraphs = "\n\n".join(f"第{n}段落。地方の工場では{n * 10}人が働き、部品の調達先を見直している。"
                             f"新しい設備の導入は{2020 + n}年に始まった。" for n in range(1, 41))
    (llm_site.article / "ja.md").write_text(
        "---\ntitle: 工場の話\ndate: 2026-01-05\nstatus: published\n---\n\n" + paragraphs + "\n", "utf-8")
    toml = llm_site.root / "publisher.toml"
    toml.write_text(toml.read_text("utf-8").replace("batch_chars = 4000", "batch_chars = 200")
                    .replace("concurrency = 2", "concurrency = 1"), "utf-8")
    llm_site.server.latency = 0.4
    env = {**os.environ, "PYTHONPATH": str(Path(publisher.__file__).parents[1])}
    process = subprocess.Popen(
        [sys.executable, "-c", "from publisher.cli import main; main()", "translate", "--config", str(toml)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30  # a dozen requests of 0.4 s: the signal comes well before the end, even on a busy machine
    while len(llm_site.server.requests) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 1, err
    assert "interrupted" in err and "Traceback" not in err
    assert not (llm_site.article / "zh.md").exists()
    assert sorted(p.name for p in llm_site.article.iterdir()) == ["hero.svg", "ja.md"]
    cached = (llm_site.root / ".publisher" / "translations" / "zh.jsonl").read_text("utf-8").splitlines()
    assert len(cached) >= 2
    finished = {json.loads(line)["source"] for line in cached}
    llm_site.server.latency = 0
    start = len(llm_site.server.requests)
    report = llm_site.translate()
    assert report.documents[0].written
    resent = set(llm_site.server.segment_texts()[len(llm_site.server.segment_texts()) - len(
        [sid for ids in llm_site.server.segment_ids()[start:] for sid in ids]):])
    assert resent and not finished & resent
    assert all(f"第{n}段落" in llm_site.zh() for n in range(1, 41))


def test_a_crash_between_writing_the_translation_and_its_lock_is_recovered(llm_site) -> None:
    llm_site.translate()
    lock = llm_site.article / "zh.lock.json"
    old_lock = lock.read_text("utf-8")
    llm_site.edit_source("市場の規模は9.6万社に達した。", "市場の規模は10万社に迫る。")
    llm_site.translate()
    lock.write_text(old_lock, "utf-8")  # as if the run died after zh.md was replaced
    config = ["--config", str(llm_site.root / "publisher.toml")]
    assert "guide  zh  up to date" in CliRunner().invoke(main, ["status", *config]).output
    requests = len(llm_site.server.requests)
    llm_site.translate()
    assert len(llm_site.server.requests) == requests
    assert lock.read_text("utf-8") != old_lock
    assert "市場的規模是10万社に迫る。" in llm_site.zh()


def test_frontmatter_gets_no_placeholder_and_a_person_s_title_is_kept(llm_site) -> None:
    llm_site.edit_source("title: 日系企業のための華南進出ガイド", 'title: "華南ガイド: `v2` の要点"')
    llm_site.translate()
    fields = _frontmatter(llm_site.zh())
    assert fields["title"] == "華南ガイド: `v2` 的要点"
    assert "⟦" not in llm_site.zh()
    zh = llm_site.article / "zh.md"
    zh.write_text(zh.read_text("utf-8").replace(llm_site.zh().splitlines()[1], "title: 华南指南：v2 要点"), "utf-8")
    llm_site.edit_source("summary: 2026年に向けて", "summary: 2027年に向けて")
    llm_site.translate()
    fields = _frontmatter(llm_site.zh())
    assert fields["title"] == "华南指南：v2 要点"
    assert fields["summary"].startswith("2027年")
    assert list(fields) == ["title", "summary", "hero_alt", "tags", "status"]


@pytest.mark.parametrize("mode", ["stream", "json_in_prompt"])
def test_translation_works_streamed_and_without_structured_output(llm_site, mode) -> None:
    if mode == "stream":
        report = llm_site.translate(stream=True)
        assert llm_site.server.requests[0]["stream"] is True
    else:
        llm_site.server.supports_json_schema = False
        report = llm_site.translate()
        assert llm_site.server.requests[-1]["response_format"] == {"type": "json_object"}
    assert report.documents[0].written and not report.documents[0].failed
    assert report.usage.completion_tokens > 0
    assert "日资企业" in llm_site.zh()


def test_editing_a_glossary_entry_retranslates_only_the_blocks_it_binds(llm_site) -> None:
    llm_site.translate()
    glossary = llm_site.root / "glossary.csv"
    glossary.write_text(glossary.read_text("utf-8").replace("日系企業,日资企业,", "日系企業,日本企业,"), "utf-8")
    config = ["--config", str(llm_site.root / "publisher.toml")]
    assert "stale (4 segments)" in CliRunner().invoke(main, ["status", *config]).output
    start = len(llm_site.server.requests)
    llm_site.translate()
    assert sorted(_requested(llm_site.server, start)) == ["b1", "summary", "tags.1", "title"]
    assert "日资企业" not in llm_site.zh() and "日本企业" in llm_site.zh()
    assert "guide  zh  up to date" in CliRunner().invoke(main, ["status", *config]).output


def test_a_changed_block_next_to_a_new_one_keeps_its_review_state_in_place(llm_site) -> None:
    llm_site.translate()
    zh = llm_site.article / "zh.md"
    zh.write_text(zh.read_text("utf-8").replace("市場的規模是9.6万社に達した。", "市场规模达到9.6万家。"), "utf-8")
    llm_site.edit_source("市場の規模は9.6万社に達した。", "全く新しい段落を先に置く。\n\n市場の規模は9.7万社に達した。")
    start = len(llm_site.server.requests)
    llm_site.translate()
    assert llm_site.server.segment_texts()[-1] == "全く新しい段落を先に置く。"
    assert _requested(llm_site.server, start) == ["b4"]
    body = _body(llm_site.zh())
    assert body.index("全く新しい段落を先に置く。") < body.index("市场规模达到9.6万家。")
    config = ["--config", str(llm_site.root / "publisher.toml")]
    assert "needs review (1)" in CliRunner().invoke(main, ["status", *config]).output


def test_removing_a_source_block_drops_its_machine_translation_but_keeps_a_person_s(llm_site) -> None:
    llm_site.translate()
    zh = llm_site.article / "zh.md"
    zh.write_text(zh.read_text("utf-8").replace("市場的規模是9.6万社に達した。", "市场规模达到9.6万家。"), "utf-8")
    llm_site.edit_source("市場の規模は9.6万社に達した。\n\n", "")
    llm_site.edit_source("(港から工場まで1時間)\n\n", "")
    report = llm_site.translate()
    body = _body(llm_site.zh())
    assert "(港から工場まで1時間)" not in body
    assert "市场规模达到9.6万家。" in body
    assert any("source blocks that were removed" in note for note in report.documents[0].notes)


def test_a_third_language_is_translated_too_and_can_be_chosen(llm_site) -> None:
    from publisher.config import REQUIRED_STRINGS
    from publisher.config.strings import PLACEHOLDERS

    toml = llm_site.root / "publisher.toml"
    text = toml.read_text("utf-8").replace('languages = ["ja", "zh"]', 'languages = ["ja", "zh", "en"]')
    text += '\n[languages.en]\nhtml_lang = "en"\n\n[strings.en]\n'
    text += "".join(f'{key} = "EN {key} {"".join("{%s}" % name for name in sorted(PLACEHOLDERS.get(key, ())))}"\n'
                    for key in REQUIRED_STRINGS)
    toml.write_text(text, "utf-8")
    config = ["--config", str(toml)]
    result = CliRunner().invoke(main, ["translate", "--lang", "en", *config])
    assert result.exit_code == 0, result.output
    assert (llm_site.article / "en.md").is_file() and not (llm_site.article / "zh.md").exists()
    system = llm_site.server.requests[0]["messages"][0]["content"]
    assert "from Japanese into English" in system
    payload = json.loads(llm_site.server.requests[0]["messages"][1]["content"])
    assert "glossary" not in payload  # glossary.csv has no en column
    status = CliRunner().invoke(main, ["status", *config]).output
    assert "guide  zh  missing" in status and "guide  en  up to date" in status
    assert CliRunner().invoke(main, ["translate", "--lang", "fr", *config]).exit_code == 1


def test_requests_in_flight_never_exceed_the_configured_concurrency(llm_site) -> None:
    llm_site.server.latency = 0.2
    report = llm_site.translate(batch_chars=60, concurrency=2)
    assert len(llm_site.server.requests) >= 4 and report.documents[0].written
    assert llm_site.server.max_in_flight == 2


def test_update_reviewed_finds_the_old_source_in_git_when_the_cache_is_gone(llm_site) -> None:
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=llm_site.root, check=True, capture_output=True)

    llm_site.translate()
    zh = llm_site.article / "zh.md"
    zh.write_text(zh.read_text("utf-8").replace("市場的規模是9.6万社に達した。", "市场规模达到9.6万家。"), "utf-8")
    git("init", "-q")
    git("add", "articles")
    git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "articles")
    shutil.rmtree(llm_site.root / ".publisher")  # a fresh clone has no cache
    llm_site.edit_source("市場の規模は9.6万社に達した。", "市場の規模は9.7万社に達した。")
    start = len(llm_site.server.requests)
    llm_site.server.translate = lambda text, glossary: "市场规模达到9.7万家。" if "9.7万" in text else text
    llm_site.translate(update_reviewed=True)
    segment = json.loads(llm_site.server.requests[start]["messages"][1]["content"])["segments"][0]
    assert "-市場の規模は9.6万社に達した。" in segment["source_diff"]
    assert segment["previous_translation"] == "市场规模达到9.6万家。"
