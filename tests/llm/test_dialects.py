"""Every model command against endpoints that behave as their providers document, through the real `openai` client.

Dialects of the local server (support/openai_server.py): OpenAI reasoning models (max_tokens and temperature
refused), a server that knows only max_tokens, `<think>` blocks (complete, empty, closing tag only),
`reasoning_content` beside the answer, DeepSeek (json_schema refused), Ollama's /v1 (reasoning_effort), vLLM
(structured_outputs, chat_template_kwargs), DashScope (enable_thinking must be false when not streaming).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main
from support import REPO_ROOT
from support.llm_site import llm_toml
from support.openai_server import DIALECTS, without_llm_table

FIXTURES = Path(__file__).parents[1] / "authoring" / "fixtures" / "draft"
BRIEF = "華南で物流拠点を選ぶ日系製造業向けに、港湾・通関・コストを解説する記事"

# What a user would write for each dialect: nothing for the ones the client learns, the preset's settings for
# the providers (the preset itself is exercised by test_readme_examples_work).
SETTINGS = {
    "max_tokens_only": 'token_parameter = "max_completion_tokens"\n',
    "ollama": 'extra_body = { reasoning_effort = "none" }\n',
    "vllm": 'structured_output = "structured_outputs"\nextra_body = { chat_template_kwargs = { enable_thinking = false } }\n',
    "dashscope": 'structured_output = "json_object"\nextra_body = { enable_thinking = false }\n',
}


def _write_llm(site, extra: str = "") -> None:
    path = site.root / "publisher.toml"
    toml = without_llm_table(path.read_text("utf-8")) + llm_toml(site.server.url, concurrency=1) + extra
    path.write_text(toml, "utf-8")


def _cli(site, *args: str):
    with contextlib.chdir(site.root):
        result = CliRunner().invoke(main, [args[0], "--config", str(site.root / "publisher.toml"), *args[1:]])
    assert "Traceback" not in result.output, result.output
    return result


def _factcheck_answer(body: dict) -> str:
    return json.dumps({"supported": "yes", "reason": "the passage states it"})


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_command_works_against_the_dialect(llm_site, dialect) -> None:
    server = llm_site.server
    server.dialect = dialect
    server.respond = _factcheck_answer
    _write_llm(llm_site, SETTINGS.get(dialect, ""))

    report = llm_site.translate()
    assert report.documents[0].written and not report.documents[0].failed, report.documents[0].failed
    assert "日资企业" in llm_site.zh() and "<think>" not in llm_site.zh() and "segments" not in llm_site.zh()

    sources = [str(FIXTURES / name) for name in ("port-logistics-report.txt", "city-costs.csv")]
    result = _cli(llm_site, "draft", "--brief", BRIEF, "--slug", "logistics", "--words", "2000",
                  *[arg for source in sources for arg in ("--source", source)])
    assert result.exit_code == 0, result.output
    drafted = (llm_site.root / "articles" / "logistics" / "ja.md").read_text("utf-8")
    assert "<!-- source:" in drafted and "think" not in drafted

    result = _cli(llm_site, "revise", "logistics", "--instruction", "shorten section 1", "--yes")
    assert result.exit_code == 0, result.output

    result = _cli(llm_site, "image", "guide")
    assert result.exit_code == 0, result.output
    assert "を表した抽象的なイラスト" in (llm_site.article / "ja.md").read_text("utf-8")

    result = _cli(llm_site, "factcheck", "logistics", "--llm")
    assert "sentence(s) supported or unclear" in result.output or "unsupported" in result.output, result.output
    assert "not the JSON asked for" not in result.output

    if dialect in ("reasoning", "max_tokens_only", "deepseek"):  # learned once, then remembered for the run
        logged = [json.loads(line) for line in (llm_site.root / ".publisher" / "usage.jsonl").read_text().splitlines()]
        assert any(line["learned"] for line in logged)
    if dialect == "reasoning":
        assert all("max_tokens" not in body and "temperature" not in body for body in server.requests[-3:])


def test_readme_examples_work(llm_site) -> None:
    """Each `[llm]` example of the README, pointed at the local server, translates against its provider's dialect."""
    readme = (REPO_ROOT / "README.md").read_text("utf-8")
    examples = {}
    for block in readme.split("```toml\n")[1:]:
        text = block.split("```", 1)[0]
        if text.startswith("[llm]\nprovider = "):
            examples[text.split('"')[1]] = text
    assert set(examples) == {"openai", "deepseek", "dashscope", "ollama", "vllm", "openai-compatible"}
    dialect = {"openai": "reasoning", "deepseek": "deepseek", "dashscope": "dashscope", "ollama": "ollama",
               "vllm": "vllm", "openai-compatible": "think"}
    for provider, example in examples.items():
        llm_site.server.dialect = dialect[provider]
        llm_site.server.api_key = "no-key" if provider in ("ollama", "vllm") else "test-key-not-secret"
        path = llm_site.root / "publisher.toml"
        body = "\n".join(line for line in example.splitlines()[1:]
                         if not line.startswith(("model", "base_url")))
        toml = without_llm_table(path.read_text("utf-8"))
        toml += f'\n[llm]\nmodel = "test-model"\nbase_url = "{llm_site.server.url}"\n{body}\n'
        path.write_text(toml, "utf-8")
        (llm_site.article / "zh.md").unlink(missing_ok=True)
        (llm_site.article / "zh.lock.json").unlink(missing_ok=True)
        import shutil
        shutil.rmtree(llm_site.root / ".publisher", ignore_errors=True)
        env = {"OPENAI_API_KEY": "test-key-not-secret", "DEEPSEEK_API_KEY": "test-key-not-secret",
               "DASHSCOPE_API_KEY": "test-key-not-secret", "AZURE_OPENAI_API_KEY": "test-key-not-secret"}
        with pytest.MonkeyPatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, value)
            settings = llm_site.settings()
            assert settings.provider == provider
            report = llm_site.translate()
        assert report.documents[0].written and not report.documents[0].failed, (provider, report.documents[0].failed)
