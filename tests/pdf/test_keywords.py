"""A tag edit gives the cached PDFs new keywords instead of a new layout (`pdf/keywords.py`): the new PDF is
the old one's bytes plus an incremental update, its Keywords (Info dictionary and, when tagged, XMP) are
those a fresh render gives; a print template that shows the tags, or any other change, lays the PDF out
again; the layout key leaves the `tags` field out, and nothing else."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NOW, config_text_with_pdf, pdftotext
from support.factory import article, make_site, translation

BODY = "## 1. 見出し\n\n①最初の要点。地方の政策を読む。\n\n次の段落。\n"


def _site(tmp_path, tagged: bool = False):
    text = config_text_with_pdf(f"tagged = {'true' if tagged else 'false'}\n")
    return make_site(tmp_path / "site", {
        "one": {"ja.md": article("一つ目の記事", BODY, tags="[営業, 政策]"),
                "zh.md": translation("第一篇文章", "## 1. 标题\n\n①第一点。\n", tags="[营业, 政策]")},
        "two": {"ja.md": article("二つ目の記事", BODY, tags="[税務]")},
    }, config=text)


def _build(config_path):
    from publisher.config import load_config
    from publisher.content import load_site
    from publisher.pdf.batch import build_pdfs, cache_folder
    from publisher.pdf.render import make_job

    config = load_config(config_path)
    site = load_site(config).site
    jobs = [make_job(config, site, a, lang, now=NOW) for a in site.articles for lang in ("ja", "zh")
            if a.is_live(lang, NOW)]
    return build_pdfs(config, jobs, cache_folder(config), workers=2)


def _set_tags(config_path, slug: str, lang: str, tags: str | None) -> None:
    path = config_path.parent / "articles" / slug / f"{lang}.md"
    text = re.sub(r"(?m)^tags: .*\n", "", path.read_text("utf-8"))
    if tags is not None:
        text = text.replace("\nstatus:", f"\ntags: {tags}\nstatus:", 1)
    path.write_text(text, encoding="utf-8")


def _pdf_keywords(path) -> tuple[str | None, str | None]:
    """The Keywords of the Info dictionary and of the XMP metadata (None: not there, or no XMP)."""
    reader = pypdf.PdfReader(path)
    xmp = reader.xmp_metadata
    return (reader.metadata.get("/Keywords"), xmp.pdf_keywords if xmp is not None else None)


def _fresh(config_path, slug: str, lang: str, tmp_path) -> pypdf.PdfReader:
    from publisher.config import load_config
    from publisher.content import load_site
    from publisher.pdf.render import render_article_pdf

    config = load_config(config_path)
    site = load_site(config).site
    path = tmp_path / f"fresh.{slug}.{lang}.pdf"
    path.write_bytes(render_article_pdf(config, site, site.article(slug), lang, now=NOW))
    return path


@pytest.mark.parametrize("tagged", [False, True], ids=["untagged", "tagged"])
def test_a_tag_edit_stamps_the_new_keywords_on_the_cached_layout(tmp_path, tagged):
    config_path = _site(tmp_path, tagged)
    first = _build(config_path)
    before = {key: path.read_bytes() for key, path in first.files.items()}
    assert _pdf_keywords(first.files[("one", "ja")]) == ("営業, 政策", "営業, 政策" if tagged else None)

    _set_tags(config_path, "one", "ja", "[営業, 実務 & <税>]")
    _set_tags(config_path, "one", "zh", None)  # a translation's tags removed: no Keywords at all
    second = _build(config_path)

    assert second.rendered == (), "no PDF laid out again: only keywords changed"
    for key in (("one", "ja"), ("one", "zh")):
        new = second.files[key]
        assert new != first.files[key] and not first.files[key].exists(), "the old entry is replaced"
        assert new.read_bytes().startswith(before[key]) and len(new.read_bytes()) > len(before[key])
        fresh = _fresh(config_path, *key, tmp_path)
        assert _pdf_keywords(new) == _pdf_keywords(fresh), "the same keywords as a PDF rendered anew"
        assert pdftotext(new) == pdftotext(fresh)
        stamped, rendered = pypdf.PdfReader(new).metadata, pypdf.PdfReader(fresh).metadata
        assert {k: v for k, v in stamped.items()} == {k: v for k, v in rendered.items()}
    assert _pdf_keywords(second.files[("one", "ja")]) == ("営業, 実務 & <税>", "営業, 実務 & <税>" if tagged else None)
    assert _pdf_keywords(second.files[("one", "zh")]) == (None, None)
    assert second.files[("two", "ja")].read_bytes() == before[("two", "ja")]
    assert len(list(second.files[("one", "ja")].parent.glob("one.ja.*.pdf"))) == 1

    third = _build(config_path)
    assert third.rendered == () and third.files == second.files, "the stamped PDFs are the cache's now"


def test_a_print_template_that_shows_the_tags_lays_the_pdf_out_again(tmp_path):
    config_path = _site(tmp_path)
    template = config_path.parent / "templates/print/article.html"
    text = template.read_text("utf-8")
    template.write_text(text.replace("<article class=\"article\">",
                                     "<article class=\"article\">\n<p>{{ page.tags | join(' / ') }}</p>", 1),
                        encoding="utf-8")
    _build(config_path)
    _set_tags(config_path, "one", "ja", "[営業, 実務]")
    second = _build(config_path)
    assert second.rendered == (("one", "ja"),)
    assert "営業 / 実務" in pdftotext(second.files[("one", "ja")])


def test_a_body_and_tag_edit_lays_the_pdf_out_again(tmp_path):
    config_path = _site(tmp_path)
    first = _build(config_path)
    old = first.files[("one", "ja")].read_bytes()
    _set_tags(config_path, "one", "ja", "[営業]")
    source = config_path.parent / "articles/one/ja.md"
    source.write_text(source.read_text("utf-8").replace("次の段落。", "書き直した段落。"), encoding="utf-8")
    second = _build(config_path)
    assert second.rendered == (("one", "ja"),)
    assert not second.files[("one", "ja")].read_bytes().startswith(old[:-200])
    assert "書き直した段落" in pdftotext(second.files[("one", "ja")])
    assert _pdf_keywords(second.files[("one", "ja")])[0] == "営業"


def test_a_damaged_cached_pdf_is_laid_out_again(tmp_path):
    config_path = _site(tmp_path)
    first = _build(config_path)
    first.files[("one", "ja")].write_bytes(b"%PDF-1.7\nnot really\n")
    _set_tags(config_path, "one", "ja", "[営業]")
    second = _build(config_path)
    assert second.rendered == (("one", "ja"),)
    assert _pdf_keywords(second.files[("one", "ja")])[0] == "営業"


# The layout key: the Markdown file without its `tags` field, and nothing more taken out.

_values = st.one_of(st.text(max_size=60), st.integers(), st.booleans(), st.none(),
                    st.lists(st.text(max_size=20), max_size=3))
_fields = st.dictionaries(st.text(st.characters(categories=["Ll", "Lo", "Nd"]), min_size=1, max_size=10)
                          .filter(lambda key: key != "tags"), _values, max_size=5)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=_fields, tags=st.lists(st.text(max_size=40), max_size=4), where=st.integers(0, 5),
       flow=st.booleans(), body=st.text(max_size=80))
def test_only_the_tags_field_is_left_out_of_the_layout_key(fields, tags, where, flow, body):
    from publisher.pdf.keywords import _ANCHOR, without_tags_field

    lines = [yaml.safe_dump({key: value}, allow_unicode=True) for key, value in fields.items()]
    tags_field = yaml.safe_dump({"tags": tags}, allow_unicode=True, default_flow_style=flow, width=30)
    if flow:
        tags_field = tags_field.strip()[1:-1] + "\n"  # `tags: [a, b]`, wrapped at 30 columns as the dump wraps it

    def document(fields: list[str]) -> bytes:
        return ("---\n" + "".join(fields) + "---\n\n" + body).encode()

    whole = document(lines[:where] + [tags_field] + lines[where:])
    if _ANCHOR.search(tags_field.encode()):  # what might be an anchor (`&name`): kept, whatever it is
        assert without_tags_field(whole) == whole
    else:
        assert without_tags_field(whole) == document(lines)


@settings(max_examples=100, deadline=None)
@given(fields=_fields, other=_values, body=st.text(max_size=40))
def test_any_other_field_stays_in_the_layout_key(fields, other, body):
    from publisher.pdf.keywords import without_tags_field

    def document(values: dict) -> bytes:
        return ("---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False) + "---\n" + body).encode()

    changed = {**fields, "zz": other}
    for values in (fields, changed):
        if values:
            assert without_tags_field(document(values)) == document(values)


def test_a_tags_field_with_an_anchor_stays_in_the_layout_key():
    from publisher.pdf.keywords import without_tags_field

    data = "---\ntitle: t\ntags: &t [a]\nsummary: *t\n---\n本文\n".encode()
    assert without_tags_field(data) == data


# The keywords: what WeasyPrint itself writes for the page's meta elements.

_keyword_text = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=30)


@pytest.fixture(scope="module")
def tagged_pdf(tmp_path_factory):
    import weasyprint

    html = ('<html lang="ja"><head><title>題</title><meta name="keywords" content="古い, 言葉"></head>'
            '<body><h1>見出し</h1><p>本文。</p></body></html>')
    path = tmp_path_factory.mktemp("kw") / "tagged.pdf"
    path.write_bytes(weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contents=st.lists(_keyword_text, max_size=3))
def test_the_keywords_are_those_weasyprint_writes(contents, tagged_pdf, tmp_path):
    """For any `<meta name="keywords">` contents: the keywords read from the page are the ones WeasyPrint
    writes, and stamped on a tagged PDF they read back the same from the Info dictionary and the XMP."""
    import weasyprint
    from markupsafe import escape

    from publisher.pdf.keywords import _keywords, _Metas, restamp

    metas = "".join(f'<meta name="keywords" content="{escape(content)}">' for content in contents)
    html = f"<html><head><title>t</title>{metas}</head><body><p>x</p></body></html>"
    made = pypdf.PdfReader(io.BytesIO(weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")))
    expected = made.metadata.get("/Keywords")
    assert _keywords(_Metas(html)) == expected
    assert made.xmp_metadata.pdf_keywords == expected

    target = tmp_path / "stamped.pdf"
    assert restamp(tagged_pdf, target, expected)
    assert _pdf_keywords(target) == (expected, expected)
