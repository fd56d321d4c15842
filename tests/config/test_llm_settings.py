"""The [llm] table: defaults, OPENAI_BASE_URL, validation, and the missing-key message."""

from pathlib import Path

import pytest

from publisher.config import load_config
from publisher.errors import ConfigError, PublisherError
from publisher.config.llm import load_llm_settings
from support import REPO_ROOT
from support.factory import make_site
from support.openai_server import without_llm_table


def _config(tmp_path: Path, llm: str):
    path = make_site(tmp_path / "site", {}, config=without_llm_table((REPO_ROOT / "publisher.toml").read_text("utf-8")) + llm)
    return load_config(path)


def test_defaults_and_environment_base_url(tmp_path: Path) -> None:
    config = _config(tmp_path, '\n[llm]\nmodel = "gpt-4o-mini"\n')
    settings = load_llm_settings(config, {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1/"})
    assert settings.base_url == "http://127.0.0.1:9/v1"
    assert settings.api_key_env == "OPENAI_API_KEY"
    assert settings.usage_log == config.root / ".publisher" / "usage.jsonl"
    assert settings.concurrency == 4 and settings.max_retries == 4 and settings.structured_output
    assert load_llm_settings(config, {}).base_url == "https://api.openai.com/v1"


def test_configured_base_url_wins_over_environment(tmp_path: Path) -> None:
    config = _config(tmp_path, '\n[llm]\nmodel = "deepseek-chat"\nbase_url = "https://api.deepseek.com"\n')
    assert load_llm_settings(config, {"OPENAI_BASE_URL": "http://x/v1"}).base_url == "https://api.deepseek.com"


def test_every_bad_key_is_named_with_its_line(tmp_path: Path) -> None:
    config = _config(tmp_path, '\n[llm]\nmodel = ""\nconcurrency = 0\ntemperature = "hot"\nstream = "yes"\ncolour = 1\n')
    with pytest.raises(ConfigError) as info:
        load_llm_settings(config, {})
    fields = {p.field for p in info.value.problems}
    assert fields == {"llm.model", "llm.concurrency", "llm.temperature", "llm.stream", "llm.colour"}
    assert all(p.line for p in info.value.problems)


def test_no_model_says_what_to_add(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_llm_settings(_config(tmp_path, ""), {})
    assert "add `model = " in info.value.problems[0].message


def test_missing_key_names_the_variable_to_set(tmp_path: Path) -> None:
    config = _config(tmp_path, '\n[llm]\nmodel = "qwen-plus"\napi_key_env = "DASHSCOPE_API_KEY"\n')
    settings = load_llm_settings(config, {})
    with pytest.raises(PublisherError, match="DASHSCOPE_API_KEY is not set"):
        settings.api_key({})
    assert settings.api_key({"DASHSCOPE_API_KEY": "k"}) == "k"


def test_the_repository_config_has_a_valid_llm_table() -> None:
    settings = load_llm_settings(load_config(REPO_ROOT / "publisher.toml"), {})
    assert settings.model and settings.price_output_per_million > 0 and settings.api_key_env == "OPENAI_API_KEY"


def test_a_provider_preset_sets_url_key_capabilities_and_the_thinking_switch(tmp_path: Path) -> None:
    config = _config(tmp_path, '\n[llm]\nprovider = "deepseek"\nmodel = "deepseek-chat"\n')
    settings = load_llm_settings(config, {"OPENAI_BASE_URL": "http://elsewhere/v1"})
    assert settings.base_url == "https://api.deepseek.com/v1" and settings.api_key_env == "DEEPSEEK_API_KEY"
    assert settings.structured_output == "json_object" and settings.token_parameter == "max_tokens"
    assert settings.extra_body == {"thinking": {"type": "disabled"}}
    with pytest.raises(PublisherError, match="DEEPSEEK_API_KEY is not set") as info:
        settings.api_key({"OPENAI_API_KEY": "sk-secret-value"})
    assert "sk-secret-value" not in str(info.value)


def test_openai_reasoning_models_get_no_temperature_and_local_servers_need_no_key(tmp_path: Path) -> None:
    reasoning = load_llm_settings(_config(tmp_path / "a", '\n[llm]\nprovider = "openai"\nmodel = "gpt-5-mini"\n'), {})
    assert not reasoning.send_temperature and reasoning.token_parameter == "max_completion_tokens"
    chat = load_llm_settings(_config(tmp_path / "b", '\n[llm]\nprovider = "openai"\nmodel = "gpt-4o-mini"\n'), {})
    assert chat.send_temperature
    ollama = load_llm_settings(_config(tmp_path / "c", '\n[llm]\nprovider = "ollama"\nmodel = "qwen3:14b"\n'
                                                       'thinking = true\n'), {})
    assert ollama.api_key_env == "" and ollama.api_key({}) and ollama.extra_body == {}
    assert ollama.base_url == "http://localhost:11434/v1"


def test_bad_provider_settings_are_named(tmp_path: Path) -> None:
    config = _config(tmp_path, '\n[llm]\nprovider = "claude"\nmodel = "m"\nstructured_output = "xml"\n'
                               'token_parameter = "tokens"\nextra_body = 3\n')
    with pytest.raises(ConfigError) as info:
        load_llm_settings(config, {})
    assert {p.field for p in info.value.problems} == {"llm.provider", "llm.structured_output", "llm.token_parameter",
                                                      "llm.extra_body"}
    config = _config(tmp_path / "x", '\n[llm]\nprovider = "openai-compatible"\nmodel = "m"\n')
    with pytest.raises(ConfigError) as info:
        load_llm_settings(config, {})
    assert info.value.problems[0].field == "llm.base_url"
