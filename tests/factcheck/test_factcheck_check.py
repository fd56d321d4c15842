"""check_article: planted figures flagged with their line and closest passage, real ones pass."""

from __future__ import annotations

import shutil

import pytest

from publisher.errors import ProblemsError
from publisher.factcheck import FactcheckReport, check_article
from factcheck.conftest import PLANTED


def flagged(report: FactcheckReport) -> dict[str, int]:
    return {f.figure: f.line for f in report.findings}


def test_planted_figures_are_flagged_with_their_lines(fact_site):
    report = check_article(fact_site.config(), fact_site.load())
    assert flagged(report) == PLANTED
    assert report.path == fact_site.article / "ja.md"
    assert report.lang == "ja" and report.sources == ("sources/report.txt", "sources/cities.csv")


def test_lines_point_at_the_figure_in_the_file(fact_site):
    lines = (fact_site.article / "ja.md").read_text("utf-8").split("\n")
    for finding in check_article(fact_site.config(), fact_site.load()).findings:
        assert finding.figure in lines[finding.line - 1]


def test_closest_passage_is_the_one_about_the_same_thing(fact_site):
    report = check_article(fact_site.config(), fact_site.load())
    by_figure = {f.figure: f for f in report.findings}
    foreigners = by_figure["48%"]
    assert foreigners.closest is not None
    assert foreigners.closest.anchor == "sources/report.txt#L19"
    assert "外国籍" in foreigners.excerpt
    hours = by_figure["2,000時間"]
    assert "1,500時間" in hours.closest.text
    city = by_figure["175"]
    assert city.closest.source == "sources/cities.csv" and "湖西市" in city.excerpt
    assert foreigners.format(fact_site.root) == (
        'articles/hamamatsu/ja.md:23: figure 48% is in none of the sources; closest: sources/report.txt#L19 '
        f'"{foreigners.excerpt}"')


def test_real_figures_written_differently_pass(fact_site):
    """9.6万社 = 96,000社; ２，６９０億円; 4365億円 = 4,365億円; 2025.12.05 = 2025年12月5日; ３カ所; １２．５％;
    2,374億円 = `出荷額（億円）: 2374` in the CSV; 612 from the CSV."""
    report = check_article(fact_site.config(), fact_site.load())
    passed = {"9.6万社", "２，６９０億円", "4365億円", "2025.12.05", "３カ所", "１２．５％", "30件", "2,374億円", "612",
              "1,500時間"}
    assert not passed & set(flagged(report))
    assert report.figures == 16


def test_structural_numbers_are_not_checked(fact_site):
    """Section numbers, list numbering, ①, the code 中国G96, URLs, link targets, inline code, code blocks,
    footnotes and the source markers hold numbers that are not facts."""
    report = check_article(fact_site.config(), fact_site.load())
    values = {f.value for f in report.findings}
    for structural in ("96", "1", "2", "2024", "33", "7777", "19", "5", "13", "15"):
        assert structural not in values


def test_rounded_figures_match_the_exact_source_figure(fact_site):
    path = fact_site.article / "ja.md"
    path.write_text(path.read_text("utf-8").replace("出荷額は２，６９０億円から", "出荷額は約2,700億円から"), "utf-8")
    assert "約2,700億円" not in flagged(check_article(fact_site.config(), fact_site.load()))
    path.write_text(path.read_text("utf-8").replace("約2,700億円", "約2,900億円"), "utf-8")
    assert "2,900億円" in flagged(check_article(fact_site.config(), fact_site.load()))


def test_the_translation_is_checked_against_the_same_sources(fact_site):
    (fact_site.article / "zh.md").write_text(
        "---\ntitle: 滨松零部件产业\n---\n\n滨松周边约有9.6万家企业，2025年12月5日发布新制度。\n\n"
        "研修人员增加了１２．５％，外籍员工占55%。\n", encoding="utf-8")
    article = fact_site.load()
    report = check_article(fact_site.config(), article, lang="zh")
    assert report.path.name == "zh.md" and report.lang == "zh"
    assert flagged(report) == {"55%": 7}


def test_results_are_cached_until_the_article_or_a_source_changes(fact_site):
    config, article = fact_site.config(), fact_site.load()
    first = check_article(config, article)
    (fact_site.article / "sources" / "report.txt").unlink()  # a cached result does not read the sources
    (fact_site.article / "sources" / "report.txt").write_text("別の内容\n", encoding="utf-8")
    changed = check_article(config, article)
    assert len(changed.findings) > len(first.findings)
    assert check_article(config, article) == changed


def test_a_missing_source_names_the_frontmatter_line(fact_site):
    article = fact_site.load()
    (fact_site.article / "sources" / "cities.csv").unlink()
    with pytest.raises(ProblemsError) as caught:
        check_article(fact_site.config(), article)
    (problem,) = caught.value.problems
    assert problem.format(fact_site.root).startswith("articles/hamamatsu/ja.md:8: sources: ")
    assert "cities.csv" in problem.message and "no such file" in problem.message


def test_an_unreadable_source_names_the_frontmatter_line(fact_site):
    article = fact_site.load()
    (fact_site.article / "sources" / "report.txt").write_bytes("出荷額".encode("shift_jis"))
    with pytest.raises(ProblemsError) as caught:
        check_article(fact_site.config(), article)
    (problem,) = caught.value.problems
    assert problem.line == 7 and "not UTF-8" in problem.message


def test_missing_translation_is_a_clear_error(fact_site):
    from publisher.errors import PublisherError

    with pytest.raises(PublisherError, match="has no zh.md; translate it first"):
        check_article(fact_site.config(), fact_site.load(), lang="zh")


def test_problems_are_warnings(fact_site):
    problems = check_article(fact_site.config(), fact_site.load()).problems()
    assert len(problems) == len(PLANTED)
    assert all(p.severity == "warning" and p.field == "factcheck" for p in problems)
    assert problems[0].format(fact_site.root).startswith(
        "articles/hamamatsu/ja.md:23: factcheck: warning: figure 48% is in none of the sources; closest: ")


def test_no_cache_folder_still_works(fact_site):
    import dataclasses

    config = dataclasses.replace(fact_site.config(), cache_dir=None)
    assert flagged(check_article(config, fact_site.load())) == PLANTED
    shutil.rmtree(fact_site.root / ".publisher", ignore_errors=True)
