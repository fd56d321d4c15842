"""A systematically broken endpoint costs a handful of requests on a 51-block article, not hundreds."""

from __future__ import annotations

import pytest

from publisher.translation.translate import TranslationError
from support.openai_server import Fault

BLOCKS = 51


def _long_article(llm_site) -> None:
    head, _body = (llm_site.article / "ja.md").read_text("utf-8").split("---\n", 2)[1:]
    paragraphs = [f"①第{n}の論点では、華南の日系企業{n}社の事例を取り上げる。" for n in range(1, BLOCKS + 1)]
    (llm_site.article / "ja.md").write_text("---\n" + head + "---\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")


@pytest.mark.parametrize("fault", ["bad_json", "length", "think_unclosed", "every_block_fails_checks"])
def test_a_broken_endpoint_is_stopped_after_a_handful_of_requests(llm_site, fault) -> None:
    _long_article(llm_site)
    if fault == "every_block_fails_checks":  # JSON of the right shape, but every block has HTML in it
        llm_site.server.translate = lambda text, glossary: text + "<b>x</b>"
    else:
        llm_site.server.always = Fault(fault)
    with pytest.raises(TranslationError) as info:
        llm_site.translate(batch_chars=400, concurrency=2)
    sent = len(llm_site.server.requests)
    # 3 unusable answers in a row stop the run; at most `concurrency` more were already in flight
    assert sent <= 3 + 2, sent
    assert "stopped after 3 unusable answers in a row" in str(info.value)
    assert "kept" in str(info.value)


def test_stop_after_failures_and_max_requests_are_settings(llm_site) -> None:
    _long_article(llm_site)
    llm_site.server.always = Fault("bad_json")
    with pytest.raises(TranslationError):
        llm_site.translate(batch_chars=400, concurrency=1, stop_after_failures=1)
    assert len(llm_site.server.requests) == 1
    llm_site.server.always = None
    llm_site.server.requests.clear()
    with pytest.raises(TranslationError, match="llm.max_requests = 2"):
        llm_site.translate(batch_chars=400, concurrency=1, max_requests=2)
    assert len(llm_site.server.requests) == 2


def test_dry_run_counts_requests_and_tokens_without_sending(llm_site) -> None:
    from click.testing import CliRunner

    from publisher.cli import main

    _long_article(llm_site)
    result = CliRunner().invoke(main, ["translate", "--config", str(llm_site.root / "publisher.toml"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert llm_site.server.requests == [] and not (llm_site.article / "zh.md").exists()
    assert "dry run, nothing sent: 1 request(s) for 56 segment(s) in 1 file(s)" in result.output
    assert "stops after at most 2 request(s)" in result.output
    report = llm_site.translate()
    assert len(llm_site.server.requests) == 1  # the dry run's count was the real one
    assert report.usage.prompt_tokens > 0


def test_learned_capabilities_are_reported_with_the_setting(llm_site) -> None:
    from click.testing import CliRunner

    from publisher.cli import main

    llm_site.server.dialect = "reasoning"
    result = CliRunner().invoke(main, ["translate", "--config", str(llm_site.root / "publisher.toml")])
    assert result.exit_code == 0, result.output
    assert "add `send_temperature = false` under [llm]" in result.output
