"""`publish factcheck` and the fact check's warnings in `publish check`: output, exit codes, errors."""

from __future__ import annotations

import contextlib
import json

from click.testing import CliRunner

from publisher.cli import main
from support.openai_server import API_KEY, MODEL, OpenAIServer, without_llm_table


def run(site, *args: str, env: dict[str, str] | None = None):
    with contextlib.chdir(site.root):
        result = CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)
    assert "Traceback" not in result.output
    return result


def test_factcheck_prints_each_figure_and_exits_1(fact_site):
    result = run(fact_site, "factcheck", "hamamatsu")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith('articles/hamamatsu/ja.md:23: figure 48% is in none of the sources; closest: '
                               'sources/report.txt#L19 "')
    assert "4 of 16 figure(s) in none of the sources" in result.stderr


def test_factcheck_accepts_a_folder_or_a_file(fact_site):
    assert run(fact_site, "factcheck", "articles/hamamatsu/").exit_code == 1
    assert run(fact_site, "factcheck", "articles/hamamatsu/ja.md").exit_code == 1


def test_factcheck_exits_0_with_one_line_when_all_figures_are_in_the_sources(fact_site):
    path = fact_site.article / "ja.md"
    text = path.read_text("utf-8")
    text = text.replace("磐田市では従業員の48%が外国籍だという。", "").replace("| 湖西市 | 175 |", "| 湖西市 | 148 |")
    text = text.replace("2030年までに研修時間を年間1,500時間から2,000時間に増やす。", "研修時間は年間1,500時間。")
    path.write_text(text, "utf-8")
    result = run(fact_site, "factcheck", "hamamatsu")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "ok: articles/hamamatsu/ja.md: all 13 figure(s) are in the sources (sources/report.txt, sources/cities.csv)"]


def test_factcheck_of_the_translation(fact_site):
    (fact_site.article / "zh.md").write_text("---\ntitle: 滨松\n---\n\n滨松周边约有9.6万家企业。\n", encoding="utf-8")
    result = run(fact_site, "factcheck", "hamamatsu", "--lang", "zh")
    assert result.exit_code == 0 and result.stdout.startswith("ok: articles/hamamatsu/zh.md: all 1 figure(s)")
    assert run(fact_site, "factcheck", "articles/hamamatsu/zh.md").exit_code == 0


def test_missing_source_is_an_error_naming_the_frontmatter_line(fact_site):
    (fact_site.article / "sources" / "cities.csv").unlink()
    result = run(fact_site, "factcheck", "hamamatsu")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "articles/hamamatsu/ja.md:8: sources: the source file 'sources/cities.csv' is not in hamamatsu/; add it "
        "(e.g. to hamamatsu/sources/) or fix the path (paths are relative to the article folder)")


def test_unknown_article_and_article_without_sources(fact_site):
    result = run(fact_site, "factcheck", "nothing-here")
    assert result.exit_code == 1 and "no article 'nothing-here'" in result.stderr
    path = fact_site.article / "ja.md"
    path.write_text(path.read_text("utf-8").replace("sources:\n  - sources/report.txt\n  - sources/cities.csv\n", ""),
                    "utf-8")
    result = run(fact_site, "factcheck", "hamamatsu")
    assert result.exit_code == 1 and "lists no sources; add `sources: [sources/report.pdf]`" in result.stderr


def test_check_shows_findings_as_warnings_and_still_exits_0(fact_site):
    result = run(fact_site, "check")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if ": factcheck: warning: " in line]
    assert len(warnings) == 4
    assert warnings[0].startswith("articles/hamamatsu/ja.md:23: factcheck: warning: figure 48% is in none")
    assert result.stdout.strip() == "ok: 1 article(s), 4 warning(s)"


def test_check_warns_when_a_source_cannot_be_read(fact_site):
    (fact_site.article / "sources" / "report.txt").write_bytes(b"\xff\xfe\x00broken")
    result = run(fact_site, "check")
    assert result.exit_code == 0
    assert "articles/hamamatsu/ja.md:7: sources: warning: " in result.stderr
    assert "its figures were not checked" in result.stderr


# --- --llm, through the real openai client against the local test server -------------------------------------


def llm_site(fact_site, server: OpenAIServer) -> None:
    toml = without_llm_table(fact_site.config_path.read_text("utf-8"))
    toml += (f'\n[llm]\nmodel = "{MODEL}"\nbase_url = "{server.url}"\ntimeout_seconds = 5.0\nmax_retries = 0\n'
             'concurrency = 2\nbatch_chars = 1000\n')
    fact_site.config_path.write_text(toml, "utf-8")


def judge(body: dict) -> str:
    """The test model: a sentence is supported when each of its ASCII numbers appears in the passages."""
    import re

    question = json.loads(body["messages"][-1]["content"])
    assert question["task"] == "factcheck"
    missing = [n for n in re.findall(r"\d[\d,.]*", question["sentence"]) if n not in question["passages"]]
    if missing:
        return json.dumps({"supported": "no", "reason": f"{missing[0]} is not in the passage"})
    return json.dumps({"supported": "yes", "reason": "the passage states it"})


def test_llm_asks_the_model_about_each_sentence_with_a_figure(fact_site):
    with OpenAIServer() as server:
        server.respond = judge
        llm_site(fact_site, server)
        result = run(fact_site, "factcheck", "hamamatsu", "--llm", env={"OPENAI_API_KEY": API_KEY})
        requests = list(server.requests)
    assert result.exit_code == 1
    questions = [json.loads(r["messages"][-1]["content"]) for r in requests]
    sentences = {q["sentence"] for q in questions}
    assert "光学分野の共同研究は30件を超え、開発期間は4か月短くなった。" in sentences
    assert len(questions) == len(sentences) == 11
    assert all(r["response_format"]["type"] == "json_schema" for r in requests)
    assert all(r["response_format"]["json_schema"]["schema"]["properties"]["supported"]["enum"] ==
               ["yes", "no", "unclear"] for r in requests)
    # a cited paragraph is checked against its marker's passage
    cited = next(q for q in questions if q["sentence"].startswith("光学分野"))
    assert cited["passages"].startswith("[sources/report.txt#L13-L15]") and "共同研究が30件" in cited["passages"]
    # an uncited one against the closest passage
    uncited = next(q for q in questions if q["sentence"].startswith("2030年"))
    assert "1,500時間" in uncited["passages"]
    assert all(len(q["passages"]) <= 1000 for q in questions)
    model_lines = [line for line in result.stdout.splitlines() if ": model: " in line]
    assert any(line.startswith("articles/hamamatsu/ja.md:23: model: NOT supported by sources/report.txt#L13-L15: "
                               "48 is not in the passage") for line in model_lines)
    assert "sentence(s) the model found unsupported" in result.stderr


def test_llm_errors_are_messages(fact_site):
    with OpenAIServer() as server:
        server.respond = judge
        llm_site(fact_site, server)
        result = run(fact_site, "factcheck", "hamamatsu", "--llm", env={"OPENAI_API_KEY": "wrong-key"})
    assert result.exit_code == 1
    assert "rejected the API key (401)" in result.stderr
    result = run(fact_site, "factcheck", "hamamatsu", "--llm", env={"OPENAI_API_KEY": ""})
    assert result.exit_code == 1 and "no API key" in result.stderr


def test_llm_answer_that_is_not_json_is_unclear(fact_site):
    with OpenAIServer() as server:
        server.respond = lambda body: "I think so."
        llm_site(fact_site, server)
        result = run(fact_site, "factcheck", "hamamatsu", "--llm", env={"OPENAI_API_KEY": API_KEY})
        sent = len(server.requests)
    assert result.exit_code == 1
    # every answer is prose: the run stops after llm.stop_after_failures (3) of them, not one per sentence
    assert "stopped after 3 unusable answers in a row" in result.stderr and "not one JSON object" in result.stderr
    assert sent <= 3 + 4  # plus at most the requests already in flight (llm.concurrency)
