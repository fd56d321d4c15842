"""`publish image ARTICLE` against the local server's images endpoint: a real PNG, the header, the notice."""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from publisher.cli import main
from publisher.llm.client import LLMClient
from publisher.authoring.image import NO_TEXT_RULE, ImageError, ImageOptions, generate_hero
from publisher.llm.usage import UsageLog
from support.openai_server import API_KEY, Fault


def _fields(path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


def _run(llm_site, *args: str):
    return CliRunner().invoke(main, ["image", "--config", str(llm_site.root / "publisher.toml"), *args])


def test_the_image_is_saved_and_the_header_names_it_without_reformatting_the_rest(llm_site) -> None:
    ja = llm_site.article / "ja.md"
    before = ja.read_text("utf-8")
    result = _run(llm_site, "guide")
    assert result.exit_code == 0, result.output
    saved = llm_site.article / "hero.png"
    with Image.open(saved) as image:
        assert image.format == "PNG" and image.size == (384, 256)
    fields = _fields(ja)
    assert fields["hero"] == "hero.png"
    assert fields["ai"] == {"image": "gpt-image-1"}
    assert fields["hero_alt"].endswith("を表した抽象的なイラスト")
    # Only the three lines changed; every other line (and the body) is as it was.
    after = ja.read_text("utf-8")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ["hero: hero.png", f"hero_alt: {fields['hero_alt']}", "ai: {image: gpt-image-1}"]
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    assert removed == ["hero: hero.svg", "hero_alt: 港湾都市を描いた抽象的なイラスト"]
    assert after.split("---\n", 2)[2] == before.split("---\n", 2)[2]
    assert (llm_site.article / "hero.svg").exists()
    assert "hero.svg is still in the folder" in result.output
    # The request: gpt-image models always answer in base64 and refuse response_format, so none is sent.
    request = llm_site.server.image_requests[0]
    assert request["model"] == "gpt-image-1" and "response_format" not in request
    assert request["size"] == "1536x1024"
    assert "日系企業のための華南進出ガイド" in request["prompt"] and NO_TEXT_RULE in request["prompt"]
    # One chat call wrote the alt text from the prompt; both calls are in the usage log.
    assert json.loads(llm_site.server.requests[0]["messages"][1]["content"])["task"] == "alt_text"
    log = [json.loads(line) for line in (llm_site.root / ".publisher/usage.jsonl").read_text("utf-8").splitlines()]
    assert [entry["purpose"] for entry in log] == ["image-alt", "image"]
    assert log[1]["model"] == "gpt-image-1" and log[1]["prompt_tokens"] > 0


def test_the_built_page_names_the_image_model(llm_site, tmp_path) -> None:
    from publisher.site.build import BuildOptions, build_site

    assert _run(llm_site, "guide", "--alt", "港と工場を結ぶ光の線").exit_code == 0
    config = llm_site.config()
    config = dataclasses.replace(config, pdf=dataclasses.replace(config.pdf, enabled=False))
    now = datetime(2026, 1, 10, 12, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    report = build_site(config, BuildOptions(now=now, out_dir=tmp_path / "out"))
    page = (report.out_dir / "ja" / "guide" / "index.html").read_text("utf-8")
    assert "掲載画像は gpt-image-1 で生成したものです。" in page
    assert 'alt="港と工場を結ぶ光の線"' in page and "hero.png" in page
    assert (report.out_dir / "media" / "guide" / "hero.png").is_file()


def test_a_second_image_takes_the_next_free_name_and_keeps_the_first(llm_site) -> None:
    assert _run(llm_site, "guide", "--alt", "一枚目").exit_code == 0
    first = (llm_site.article / "hero.png").read_bytes()
    result = _run(llm_site, str(llm_site.article / "ja.md"), "--prompt", "夜の港のクレーン", "--alt", "二枚目")
    assert result.exit_code == 0, result.output
    assert (llm_site.article / "hero.png").read_bytes() == first
    assert (llm_site.article / "hero-2.png").is_file()
    fields = _fields(llm_site.article / "ja.md")
    assert (fields["hero"], fields["hero_alt"]) == ("hero-2.png", "二枚目")
    assert llm_site.server.image_requests[1]["prompt"] == f"夜の港のクレーン\n{NO_TEXT_RULE}"
    assert not llm_site.server.requests  # --alt: no chat call


def test_dall_e_3_gets_response_format_and_its_own_size(llm_site) -> None:
    result = _run(llm_site, "guide", "--model", "dall-e-3", "--alt", "港")
    assert result.exit_code == 0, result.output
    request = llm_site.server.image_requests[0]
    assert request["response_format"] == "b64_json" and request["size"] == "1792x1024"
    assert _fields(llm_site.article / "ja.md")["ai"] == {"image": "dall-e-3"}


def test_ai_text_is_kept_when_ai_image_is_added(llm_site) -> None:
    llm_site.edit_source("pseudonyms: true", "pseudonyms: true\nai:\n  text: true  # drafted with publish draft")
    assert _run(llm_site, "guide", "--alt", "港").exit_code == 0
    text = (llm_site.article / "ja.md").read_text("utf-8")
    assert "ai:\n  text: true  # drafted with publish draft\n  image: gpt-image-1\n" in text


def test_errors_leave_the_article_as_it_was(llm_site) -> None:
    ja = llm_site.article / "ja.md"
    before = ja.read_text("utf-8")
    unknown = _run(llm_site, "guide", "--model", "gpt-image-9", "--alt", "港")
    assert unknown.exit_code == 1 and "does not know the model 'gpt-image-9'" in unknown.output
    assert "llm.image_model" in unknown.output and "Traceback" not in unknown.output
    llm_site.server.faults.append(Fault("not_an_image"))
    broken = _run(llm_site, "guide", "--alt", "港")
    assert broken.exit_code == 1 and "not a readable image" in broken.output
    missing = _run(llm_site, "no-such-article")
    assert missing.exit_code == 1 and "no article 'no-such-article'" in missing.output
    assert ja.read_text("utf-8") == before
    assert sorted(p.name for p in llm_site.article.iterdir()) == ["hero.svg", "ja.md"]


def test_an_article_saved_meanwhile_is_not_overwritten_and_the_image_is_kept(llm_site) -> None:
    ja = llm_site.article / "ja.md"
    settings = llm_site.settings()

    class WriterSavesMeanwhile(LLMClient):
        def image(self, *args, **kwargs):
            result = super().image(*args, **kwargs)
            ja.write_text(ja.read_text("utf-8") + "\n書き手が追記した段落。\n", "utf-8")
            return result

    client = WriterSavesMeanwhile(settings, api_key=API_KEY, usage_log=UsageLog(settings.usage_log))
    with pytest.raises(ImageError, match="saved by someone else meanwhile.*hero.png"):
        generate_hero(llm_site.config(), settings, "guide", ImageOptions(alt="港"), client=client)
    assert ja.read_text("utf-8").endswith("書き手が追記した段落。\n")
    assert _fields(ja)["hero"] == "hero.svg"
    with Image.open(llm_site.article / "hero.png") as image:
        assert image.format == "PNG"
    # What was saved is a real image whose bytes the server sent.
    assert Image.open(io.BytesIO((llm_site.article / "hero.png").read_bytes())).size == (384, 256)
