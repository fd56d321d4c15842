"""`publish draft` against the local server: house style, real source markers, the budget, never overwriting."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from click.testing import CliRunner

from publisher.cli import main
from publisher.content import load_site
from publisher.authoring.draft import DraftError, DraftOptions, draft_article, rank_passages, terms_of
from publisher.sources import find_passage, read_source
from support import REPO_ROOT
from support.openai_server import Fault

FIXTURES = Path(__file__).parent / "fixtures" / "draft"
FIXTURE_SOURCES = [FIXTURES / name for name in ("port-logistics-report.txt", "company-interviews.md",
                                                 "city-costs.csv")]
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
BRIEF = "華南で物流拠点を選ぶ日系製造業向けに、港湾・通関・コストの3つの特徴を解説する記事"
NOW = datetime(2026, 2, 1, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
MARKER = re.compile(r"^<!-- source: (.+) -->$")


def _draft(llm_site, *args: str, sources=FIXTURE_SOURCES, brief: str = BRIEF):
    options = ["draft", "--config", str(llm_site.root / "publisher.toml"), "--brief", brief]
    for source in sources:
        options += ["--source", str(source)]
    return CliRunner().invoke(main, [*options, *args])


def _split(path: Path) -> tuple[dict, str]:
    _, header, body = path.read_text("utf-8").split("---\n", 2)
    return yaml.safe_load(header), body


def _drafted(llm_site) -> Path:
    found = [p for p in (llm_site.root / "articles").glob("*/ja.md") if p.parent.name != "guide"]
    assert len(found) == 1, found
    return found[0]


def assert_house_style(body: str, *, series: bool) -> None:
    paragraphs = [p for p in body.strip().split("\n\n")]
    numbers = [int(m) for m in re.findall(r"^## (\d+)\. \S", body, re.MULTILINE)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3
    assert re.search(r"^①\S", body, re.MULTILINE) and re.search(r"^②\S", body, re.MULTILINE)
    assert "↓" in paragraphs
    assert re.search(r"^> \*\*\S+とは、\*\* \S", body, re.MULTILINE)
    assert paragraphs[-1].startswith("■ ")
    if series:
        heading = re.search(r"^### 【(\S+?)❶】(\S.*)\n\n(.+)$", body, re.MULTILINE)
        assert heading, "no 【…❶】 sub-block"
        assert re.fullmatch(r"\(.+\)", heading.group(3)), heading.group(3)
        if "❷】" in body:
            assert body.index("❶】") < body.index("❷】")


def assert_markers_resolve(folder: Path, body: str) -> int:
    """Every marker's anchors resolve, and the paragraph it follows is in one of the passages it cites."""
    docs = [read_source(p, f"sources/{p.name}") for p in sorted((folder / "sources").iterdir())]
    lines = body.split("\n")
    count = 0
    for number, line in enumerate(lines):
        match = MARKER.match(line)
        if not match:
            continue
        count += 1
        passages = [find_passage(docs, anchor) for anchor in match.group(1).split(", ")]
        assert all(passages), line
        paragraph = lines[number - 1]
        said = re.sub(r"^(?:[①-⑳]|- |> \*\*.*?\*\* )", "", paragraph).replace("\\", "").strip()
        joined = " ".join(" ".join(p.text.split()) for p in passages)
        assert said[:30] in joined or said.startswith(("都市:", "都市")), (paragraph, match.group(1))
        assert lines[number - 1].strip(), "a marker must directly follow its paragraph"
    return count


def test_a_draft_from_fixture_sources_is_in_the_house_style_with_real_markers(llm_site) -> None:
    result = _draft(llm_site, "--code", "中国G96")
    assert result.exit_code == 0, result.output
    path = _drafted(llm_site)
    assert path.parent.name.startswith("chugoku-g96-")
    fields, body = _split(path)
    assert fields["status"] == "draft" and fields["ai"] == {"text": True} and fields["code"] == "中国G96"
    assert fields["sources"] == ["sources/port-logistics-report.txt", "sources/company-interviews.md",
                                 "sources/city-costs.csv"]
    assert fields["title"] and fields["summary"] and fields["tags"] and fields["date"]
    for source in FIXTURE_SOURCES:
        assert (path.parent / "sources" / source.name).read_bytes() == source.read_bytes()
    assert_house_style(body, series=True)
    assert assert_markers_resolve(path.parent, body) >= 6
    # Progress per step, on stderr (mixed into CliRunner's output).
    for step in ("reading sources...", "outline...", "section 2/", ": selecting passages...", ": writing...",
                 "summary...", "fact check..."):
        assert step in result.output, step
    assert "wrote articles/" in result.output or "wrote " in result.output
    assert "source markers" in result.output
    assert re.search(r"fact check: \d+ figure\(s\) checked, all of them found in the sources", result.output)
    # Each request said what it is; sections only got passages, never a whole source.
    tasks = [json.loads(r["messages"][1]["content"])["task"] for r in llm_site.server.requests]
    assert tasks[0] == "draft_outline" and tasks[-1] == "draft_closing"
    assert tasks.count("draft_section") == len(re.findall(r"^## \d+\.", body, re.MULTILINE))
    assert max(llm_site.server.request_sizes) <= llm_site.settings().context_tokens


def test_the_fact_check_at_the_end_flags_a_figure_the_sources_do_not_have(llm_site) -> None:
    toml = llm_site.root / "publisher.toml"
    toml.write_text(toml.read_text("utf-8").replace("concurrency = 2", "concurrency = 1"), "utf-8")
    llm_site.server.faults.extend([Fault("ok"), Fault("change_number")])  # section 1: 2025年 becomes 2026年
    result = _draft(llm_site, "--slug", "invented")
    assert result.exit_code == 0, result.output  # the draft is written; the writer checks the figure
    path = llm_site.root / "articles" / "invented" / "ja.md"
    flagged = re.search(r"articles/invented/ja\.md:(\d+): factcheck: warning: .*", result.output)
    assert flagged, result.output
    assert re.search(r"fact check: \d+ figure\(s\) checked, 1 in none of the sources", result.output)
    line = path.read_text("utf-8").split("\n")[int(flagged.group(1)) - 1]
    assert "2026年" in line and "2026" in flagged.group(0)


def test_the_drafted_article_passes_check_and_builds_without_its_markers(llm_site, tmp_path) -> None:
    from publisher.site.build import BuildOptions, build_site

    assert _draft(llm_site, "--slug", "port-logistics").exit_code == 0
    check = CliRunner().invoke(main, ["check", "--config", str(llm_site.root / "publisher.toml")])
    assert check.exit_code == 0, check.output
    assert not [p for p in load_site(llm_site.config()).problems
                if "port-logistics" in str(p.path) and p.severity == "error"]
    config = llm_site.config()
    config = dataclasses.replace(config, pdf=dataclasses.replace(config.pdf, enabled=False))
    report = build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out", include_drafts=True))
    page = (report.out_dir / "ja" / "port-logistics" / "index.html").read_text("utf-8")
    assert 'class="callout callout-term"' in page and 'class="flow"' in page and 'class="point"' in page
    assert "<!--" not in page and "sources/" not in page and "source:" not in page
    assert "本記事の基本文章は AI 生成を用いて作成しています。" in page
    names = {source.name for source in FIXTURE_SOURCES}
    assert not [p for p in report.out_dir.rglob("*") if p.name in names or p.name == "sources"]


def test_long_sources_are_cut_by_ranking_so_no_request_exceeds_the_budget(llm_site, tmp_path) -> None:
    long_source = tmp_path / "long-regional-survey.txt"
    long_source.write_text(_long_survey(), "utf-8")
    assert len(long_source.read_bytes()) > 200_000
    toml = llm_site.root / "publisher.toml"
    toml.write_text(toml.read_text("utf-8").replace("[llm]\n", "[llm]\ncontext_tokens = 6000\n"), "utf-8")
    result = _draft(llm_site, "--slug", "long-survey", "--words", "4000",
                    sources=[long_source, FIXTURE_SOURCES[0]], brief="地方都市の産業クラスターの特徴を整理する記事")
    assert result.exit_code == 0, result.output
    server = llm_site.server
    assert max(server.request_sizes) <= 6000
    text = long_source.read_text("utf-8")
    sent = [json.loads(r["messages"][1]["content"]) for r in server.requests]
    sections = [s for s in sent if s["task"] == "draft_section"]
    for section in sections:
        from_long = [p for p in section["passages"] if p["source"] == "sources/long-regional-survey.txt"]
        assert 0 < sum(len(p["text"]) for p in from_long) < len(text) // 20
    # The outline saw a digest of every source, not their text.
    outline = sent[0]
    assert outline["task"] == "draft_outline"
    assert {s["name"] for s in outline["sources"]} == {"sources/long-regional-survey.txt",
                                                        "sources/port-logistics-report.txt"}
    _, body = _split(llm_site.root / "articles" / "long-survey" / "ja.md")
    assert assert_markers_resolve(llm_site.root / "articles" / "long-survey", body) > 0


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present on this machine")
def test_a_draft_from_the_seed_sources(llm_site) -> None:
    seeds = [SEEDS / "source-regional-industry-report.txt", SEEDS / "source-industrial-policy-slides.txt",
             SEEDS / "source-guangdong-clusters-table.txt"]
    result = _draft(llm_site, "--slug", "seed-draft", "--code", "中国G97", sources=seeds,
                    brief="広東省の産業クラスター政策の特徴を、日系企業の拠点選びの視点で解説する記事")
    assert result.exit_code == 0, result.output
    path = llm_site.root / "articles" / "seed-draft" / "ja.md"
    fields, body = _split(path)
    assert fields["sources"] == [f"sources/{p.name}" for p in seeds]
    assert_house_style(body, series=True)
    assert assert_markers_resolve(path.parent, body) >= 6
    assert max(llm_site.server.request_sizes) <= llm_site.settings().context_tokens
    report_text = (SEEDS / "source-regional-industry-report.txt").read_text("utf-8")
    for request in llm_site.server.requests:
        assert len(request["messages"][1]["content"]) < len(report_text) // 3


def test_an_existing_article_is_never_overwritten_and_force_keeps_a_backup(llm_site) -> None:
    existing = llm_site.root / "articles" / "port-logistics"
    existing.mkdir()
    (existing / "ja.md").write_text("---\ntitle: 人の書いた記事\ndate: 2026-01-05\n---\n\n本文。\n", "utf-8")
    (existing / "zh.md").write_text("---\ntitle: 人写的文章\n---\n\n正文。\n", "utf-8")
    refused = _draft(llm_site, "--slug", "port-logistics")
    assert refused.exit_code == 1
    assert "articles/port-logistics/ already exists" in refused.output and "--force" in refused.output
    assert not llm_site.server.requests  # refused before asking the model anything
    assert (existing / "ja.md").read_text("utf-8").startswith("---\ntitle: 人の書いた記事")

    forced = _draft(llm_site, "--slug", "port-logistics", "--force")
    assert forced.exit_code == 0, forced.output
    backups = list((llm_site.root / "articles" / ".draft-backup").iterdir())
    assert len(backups) == 1 and backups[0].name.startswith("port-logistics-")
    assert (backups[0] / "ja.md").read_text("utf-8").startswith("---\ntitle: 人の書いた記事")
    assert (backups[0] / "zh.md").is_file()
    assert "previous article is kept in" in forced.output
    fields, _ = _split(existing / "ja.md")
    assert fields["status"] == "draft" and not (existing / "zh.md").exists()
    # The backup folder is not an article.
    assert "draft-backup" not in " ".join(a.slug for a in load_site(llm_site.config()).site.articles)


def test_a_slug_taken_after_drafting_keeps_the_answers_for_the_next_run(llm_site) -> None:
    settings = llm_site.settings()
    options = DraftOptions(brief=BRIEF, sources=tuple(FIXTURE_SOURCES), now=NOW)
    first = draft_article(llm_site.config(), settings, options)
    sent = len(llm_site.server.requests)
    with pytest.raises(DraftError, match="already exists.*kept in .publisher/drafts/.*another --slug"):
        draft_article(llm_site.config(), settings, options)
    assert len(llm_site.server.requests) == 2 * sent
    again = draft_article(llm_site.config(), settings, dataclasses.replace(options, slug="second-copy"))
    assert len(llm_site.server.requests) == 2 * sent  # nothing asked again
    assert again.path.read_text("utf-8") == first.path.read_text("utf-8")
    assert not list((settings.state_dir / "drafts").iterdir())  # the answers are dropped once written


def test_a_failure_half_way_writes_nothing_and_the_retry_sends_only_what_failed(llm_site) -> None:
    settings = llm_site.settings(concurrency=1, max_retries=0)
    options = DraftOptions(brief=BRIEF, sources=tuple(FIXTURE_SOURCES), now=NOW, slug="half-way")
    llm_site.server.faults.extend([Fault("ok"), Fault("ok"), Fault("500")])
    with pytest.raises(DraftError) as failure:
        draft_article(llm_site.config(), settings, options)
    message = str(failure.value)
    assert "drafting stopped at section 2/" in message and "HTTP 500" in message
    assert "Nothing was written" in message and "run the same command again to continue" in message
    articles = llm_site.root / "articles"
    assert sorted(p.name for p in articles.iterdir()) == ["guide"]  # no folder, no staging leftovers
    first_run = len(llm_site.server.requests)
    report = draft_article(llm_site.config(), settings, options)
    assert report.path.is_file()
    retried = [json.loads(r["messages"][1]["content"]) for r in llm_site.server.requests[first_run:]]
    assert [(r["task"], r.get("section", {}).get("number")) for r in retried] == [
        ("draft_section", 2), ("draft_closing", None)]


def test_bad_sources_and_a_too_small_budget_are_clear_errors(llm_site, tmp_path) -> None:
    missing = _draft(llm_site, sources=[tmp_path / "nope.txt"])
    assert missing.exit_code == 1 and "nope.txt: no such file" in missing.output
    word = tmp_path / "notes.docx"
    word.write_bytes(b"PK\x03\x04")
    unsupported = _draft(llm_site, sources=[word])
    assert unsupported.exit_code == 1 and "must be .txt, .md, .pdf or .csv" in unsupported.output
    toml = llm_site.root / "publisher.toml"
    toml.write_text(toml.read_text("utf-8").replace("[llm]\n", "[llm]\ncontext_tokens = 2000\n"), "utf-8")
    small = _draft(llm_site, "--words", "12000")
    assert small.exit_code == 1 and "raise llm.context_tokens" in small.output
    for result in (missing, unsupported, small):
        assert "Traceback" not in result.output
    assert not llm_site.server.requests
    assert sorted(p.name for p in (llm_site.root / "articles").iterdir()) == ["guide"]


def test_the_ranking_prefers_passages_sharing_rare_terms() -> None:
    from publisher.authoring.draft import _index
    from publisher.sources import Passage

    passages = [Passage("sources/a.txt", n, n, text, f"L{n}") for n, text in enumerate([
        "深圳港のコンテナ取扱量は増えた。", "東莞の工業用地は安い。", "保税区の通関は電子化された。",
        "東莞の家具産業は輸出が多い。"], start=1)]
    ranked = [item.passage.start for _score, item in rank_passages("東莞 工業用地 賃料", _index(passages))]
    assert ranked[:2] == [2, 4]
    assert "工業" in terms_of("工業用地") and "の" not in terms_of("港の") and "tEU" not in terms_of("TEU")


def _long_survey() -> str:
    """A long made-up survey (over 200 KB) with numbered chapters, figures and page furniture."""
    cities = ["合肥", "成都", "西安", "長沙", "鄭州", "武漢", "重慶", "青島", "寧波", "蘇州"]
    industries = ["半導体", "新エネルギー車", "ディスプレイ", "ロボット", "医薬品", "電池", "物流", "ソフトウェア"]
    lines = []
    for n in range(1, 520):
        city, industry = cities[n % len(cities)], industries[n % len(industries)]
        lines += [f"第{n}節 {city}の{industry}産業クラスター", "",
                  f"{city}市の{industry}関連企業は{120 + n * 7:,}社で、{2015 + n % 10}年から{n % 9 + 2}倍に増えた。"
                  f"市の重点分野として、研究開発拠点が{n % 17 + 3}カ所整備されている。",
                  f"域内総生産に占める{industry}の比率は{(n * 13) % 40 + 5}.{n % 10}%で、雇用は約{n % 50 + 1}万人に達する。"
                  f"地元の大学と企業の共同研究は年{n % 30 + 10}件にのぼり、人材の定着が課題とされる。", "",
                  f"- {n} -", ""]
    return "\n".join(lines)


def test_a_draft_from_a_pdf_report_and_notes_cites_pdf_pages(llm_site, tmp_path) -> None:
    """The issue's own example: `--source report.pdf --source notes.md`; markers cite the PDF by page."""
    from support.sources_pdf import make_report_pdf

    report = make_report_pdf(tmp_path / "report.pdf")
    result = _draft(llm_site, "--slug", "from-pdf", sources=[report, FIXTURES / "company-interviews.md"])
    assert result.exit_code == 0, result.output
    path = llm_site.root / "articles" / "from-pdf" / "ja.md"
    fields, body = _split(path)
    assert fields["sources"] == ["sources/report.pdf", "sources/company-interviews.md"]
    assert (path.parent / "sources" / "report.pdf").read_bytes() == report.read_bytes()
    assert_house_style(body, series=False)
    assert assert_markers_resolve(path.parent, body) >= 3
    assert re.search(r"^<!-- source: .*sources/report\.pdf#p\.\d", body, re.MULTILINE), body
    # Nothing of the PDF's page furniture made it into the article.
    assert "中部産業調査 2025年版" not in body and not re.search(r"\b\d / 3\b", body)
