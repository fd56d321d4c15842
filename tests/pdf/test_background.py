"""The few PDFs of an edit are rendered in the background while the build writes and indexes the pages
(`RenderingPdfs`, `Contribution.unfinished`, `site/staged.py`): the pages then link to the PDFs the output
holds, with their sizes; the search index is the one the finished pages give; a PDF that cannot be made is
a warning and its page links to none; a killed or interrupted build leaves no process behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import NOW, config_text_with_pdf
from support.factory import article, make_site, translation
from support.pagefind_index import canonical_index

from publisher.site.options import AfterWrite, Contribution

BODY = "## 1. 見出し\n\n①最初の要点。\n\n次の段落。\n"
DEEP = "本文。\n\n" + "<div>" * 3000 + "深すぎる入れ子" + "</div>" * 3000 + "\n"
"""Raw HTML nested deeper than WeasyPrint can lay out: that page's PDF cannot be made."""
SIZE = re.compile(rb' <span class="pdf-size">\([^)]*\)</span>')


def _site(tmp_path: Path, articles: dict | None = None) -> Path:
    text = config_text_with_pdf("") + '\n[markdown]\nraw_html = "allow"\n'
    return make_site(tmp_path / "site", articles or {
        "one": {"ja.md": article("一つ目の記事", BODY, tags="[営業, 政策]"),
                "zh.md": translation("第一篇文章", "## 1. 标题\n\n①第一点。\n", tags="[营业, 政策]")},
        "two": {"ja.md": article("二つ目の記事", BODY)},
    }, config=text)


def _build(config_path: Path, out: Path, *more):
    from publisher.config import load_config
    from publisher.pdf.contributor import PdfContributor
    from publisher.site.build import BuildOptions, build_site

    return build_site(load_config(config_path),
                      BuildOptions(now=NOW, out_dir=out, contributors=(PdfContributor(), *more)))


def _edit(config_path: Path, slug: str = "two", text: str = "\n追記した段落。\n") -> None:
    source = config_path.parent / "articles" / slug / "ja.md"
    source.write_text(source.read_text("utf-8") + text, encoding="utf-8")


def _links(out: Path) -> dict[str, str | None]:
    """Each PDF an article page links to (output path) -> the size the page shows beside the link."""
    links = {}
    for page in out.rglob("index.html"):
        html = page.read_text("utf-8")
        for href, size in re.findall(r'<a href="([^"/]+\.pdf)" type="application/pdf">.*?</svg><span>PDF</span>'
                                     r'(?: <span class="pdf-size">\(([^)]*)\)</span>)?</a>', html):
            links[(page.parent / href).relative_to(out).as_posix()] = size or None
    return links


def _check_links(out: Path) -> None:
    """Every PDF in the output is linked from its page, every link has its PDF, with its size beside it."""
    from publisher.site.sizes import file_size_text

    links = _links(out)
    assert sorted(links) == sorted(path.relative_to(out).as_posix() for path in out.rglob("*.pdf"))
    for pdf, size in links.items():
        assert (out / pdf).read_bytes().startswith(b"%PDF-")
        assert size == file_size_text((out / pdf).stat().st_size), pdf


def test_an_edit_renders_its_pdf_in_the_background_and_its_page_shows_the_new_size(tmp_path):
    from publisher.config import load_config
    from publisher.content import load_site
    from publisher.pdf.contributor import PdfContributor
    from publisher.site.build import BuildOptions

    config_path = _site(tmp_path)
    out = tmp_path / "out"
    _build(config_path, out)
    _check_links(out)
    assert sorted(_links(out)) == ["ja/one/one.pdf", "ja/two/two.pdf", "zh/one/one.pdf"]
    before = (out / "ja/two/two.pdf").stat().st_size

    # What the contributor hands the build for an edit: the edited page's PDF, still being rendered.
    _edit(config_path, text="\n" + "追記した段落。" * 300 + "\n")
    config = load_config(config_path)
    made = PdfContributor()(config, load_site(config).site, BuildOptions(now=NOW))
    assert made.unfinished is not None and made.unfinished.article_pdfs == {("two", "ja")}
    assert not made.article_pdfs[("two", "ja")].exists()
    finished = made.unfinished.wait()
    assert finished.article_pdfs == made.article_pdfs and finished.warnings == ()
    assert finished.article_pdfs[("two", "ja")].read_bytes().startswith(b"%PDF-")

    # The build: that PDF was made just now, so edit again; its page is written with the new PDF's size.
    _edit(config_path, text="\n" + "もう一度追記した段落。" * 300 + "\n")
    report = _build(config_path, out)
    assert (out / "ja/two/two.pdf").stat().st_size != before
    _check_links(out)
    assert report.pages_written >= 1 and not [w for w in report.warnings if w.field == "pdf"]


def test_a_tag_edit_stamps_the_keywords_in_the_background_and_the_page_shows_the_new_size(tmp_path):
    """The PDFs of a tag edit are made from their cached layouts (`pdf/keywords.py`) by the background process,
    off the build's path (pypdf's import and the template check, about 0.4 s, beside the pages)."""
    import pypdf

    from publisher.config import load_config
    from publisher.content import load_site
    from publisher.pdf.contributor import PdfContributor
    from publisher.site.build import BuildOptions

    config_path = _site(tmp_path)
    out = tmp_path / "out"
    _build(config_path, out)
    before = {pdf: (out / pdf).read_bytes() for pdf in ("ja/one/one.pdf", "zh/one/one.pdf")}
    for lang, tags in (("ja", "[営業, 政策, 実務]"), ("zh", "[营业]")):
        source = config_path.parent / "articles/one" / f"{lang}.md"
        source.write_text(re.sub(r"(?m)^tags: .*$", f"tags: {tags}", source.read_text("utf-8")), encoding="utf-8")

    config = load_config(config_path)
    made = PdfContributor()(config, load_site(config).site, BuildOptions(now=NOW))
    assert made.unfinished is not None and made.unfinished.article_pdfs == {("one", "ja"), ("one", "zh")}
    made.unfinished.cancel()

    _build(config_path, out)
    _check_links(out)
    for pdf, old in before.items():
        new = (out / pdf).read_bytes()
        assert new.startswith(old) and len(new) > len(old), f"{pdf}: not laid out again, keywords appended"
    assert pypdf.PdfReader(out / "ja/one/one.pdf").metadata["/Keywords"] == "営業, 政策, 実務"
    assert pypdf.PdfReader(out / "zh/one/one.pdf").metadata["/Keywords"] == "营业"


class _Recorder:
    """A contributor with an `after_write` step that records the edited page as it read it, and writes one
    file a call (`recorded/<n>.txt`)."""

    name = "recorder"

    def __init__(self, reads=None):
        self.seen: list[bytes] = []
        if reads is not None:
            self.reads = reads

    def __call__(self, config, site, options):
        return Contribution()

    def after_write(self, config, written, options):
        self.seen.append((written.folder / "ja/two/index.html").read_bytes())
        return AfterWrite(files={f"recorded/{len(self.seen)}.txt": b"made"})


@pytest.mark.parametrize("reads, runs", [
    (None, 2),  # a step that does not say what it reads is run again on the finished pages
    (lambda path, html: SIZE.sub(b"", html), 1),  # one that does not read the size: run once
    (lambda path, html: html, 2),  # one that reads the whole page: run again
])
def test_a_step_that_read_a_page_before_its_pdf_was_made_runs_again_only_if_it_reads_the_size(tmp_path, reads, runs):
    config_path = _site(tmp_path)
    out = tmp_path / "out"
    _build(config_path, out)
    _edit(config_path)
    recorder = _Recorder(reads)
    _build(config_path, out, recorder)
    assert len(recorder.seen) == runs
    assert not SIZE.search(recorder.seen[0]), "the first run saw the page before its PDF was made"
    if runs == 2:
        assert SIZE.search(recorder.seen[1]), "the second run saw the finished page"
    assert sorted(p.name for p in (out / "recorded").iterdir()) == [f"{runs}.txt"], \
        "what the first run wrote is withdrawn when the step runs again"
    _check_links(out)


@pytest.mark.parametrize("size_indexed", [False, True])
def test_the_search_index_is_the_one_the_finished_pages_give(tmp_path, size_indexed):
    """With the PDF link outside what Pagefind reads (the templates' `data-pagefind-ignore`), Pagefind runs
    once; a template that puts it inside has the pages indexed again with their sizes."""
    from publisher.search.contributor import SearchContributor

    config_path = _site(tmp_path)
    if size_indexed:
        template = config_path.parent / "templates/article.html"
        html = template.read_text("utf-8")
        assert '<p class="article-pdf" data-pagefind-ignore>' in html
        template.write_text(html.replace('<p class="article-pdf" data-pagefind-ignore>', '<p class="article-pdf">'),
                            encoding="utf-8")
    out = tmp_path / "out"
    _build(config_path, out, SearchContributor())
    _edit(config_path, text="\n追記した段落に新語の蟹工場を書く。\n")
    _build(config_path, out, SearchContributor())
    _check_links(out)
    # The reference: the same pages, PDFs already made (no page written before its PDF), indexed afresh.
    reference = tmp_path / "reference"
    _build(config_path, reference, SearchContributor())
    assert (reference / "ja/two/index.html").read_bytes() == (out / "ja/two/index.html").read_bytes()
    index = canonical_index(out)
    assert index == canonical_index(reference)
    words = set(index["ja"]["words"])
    assert any("蟹" in word for word in words)
    assert ("kb" in words) == size_indexed


def test_a_pdf_that_cannot_be_made_is_a_warning_and_its_page_links_to_none(tmp_path):
    config_path = _site(tmp_path, {"deep": {"ja.md": article("深い記事", BODY)},
                                   "fine": {"ja.md": article("普通の記事", BODY)}})
    out = tmp_path / "out"
    _build(config_path, out)
    assert sorted(_links(out)) == ["ja/deep/deep.pdf", "ja/fine/fine.pdf"]

    (config_path.parent / "articles/deep/ja.md").write_text(article("深い記事", DEEP), encoding="utf-8")
    report = _build(config_path, out)
    problems = [w for w in report.warnings if w.field == "pdf"]
    assert [(w.path, w.severity) for w in problems] == [(config_path.parent / "articles/deep/ja.md", "warning")]
    assert "nested too deeply" in problems[0].message
    assert sorted(_links(out)) == ["ja/fine/fine.pdf"] and not (out / "ja/deep/deep.pdf").exists()
    _check_links(out)

    again = _build(config_path, out)  # nothing changed: the same warning, from the previous build's record
    assert again.nothing_changed and [w.path for w in again.warnings if w.field == "pdf"] == [problems[0].path]

    (config_path.parent / "articles/deep/ja.md").write_text(article("深い記事", BODY + "直した。\n"), encoding="utf-8")
    fixed = _build(config_path, out)
    assert not [w for w in fixed.warnings if w.field == "pdf"]
    assert sorted(_links(out)) == ["ja/deep/deep.pdf", "ja/fine/fine.pdf"]
    _check_links(out)


def test_a_site_wide_failure_in_the_background_stops_the_build_and_leaves_the_site_as_it_was(tmp_path):
    """The print template gone: every PDF would fail the same way, so the build stops with the error the
    background process raised (the PDF's own message), and the output is the previous build's."""
    from publisher.errors import PublisherError

    config_path = _site(tmp_path)
    out = tmp_path / "out"
    _build(config_path, out)
    before = (out / "ja/two/index.html").read_bytes()
    (config_path.parent / "templates/print/article.html").unlink()
    _edit(config_path)
    with pytest.raises(PublisherError) as caught:
        _build(config_path, out)
    assert "article.html" in str(caught.value) and "print" in str(caught.value)
    assert (out / "ja/two/index.html").read_bytes() == before
    _check_links(out)


def _session(sid: int) -> list[int]:
    """The processes of session `sid` still running (zombies left out)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _gone(sid: int) -> bool:
    deadline = time.monotonic() + 30
    while _session(sid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _session(sid)


def _start_rendering(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    """`publish build` of a site whose twelve PDFs are rendered in the background, once they are."""
    config_path = _site(tmp_path, {f"a{number:02d}": {"ja.md": article(f"記事{number}", BODY * 20)}
                                   for number in range(12)})
    publish = [str(Path(sys.executable).with_name("publish"))]
    build = subprocess.Popen([*publish, "build", "--config", str(config_path), "--out", str(tmp_path / "out"),
                              "--now", "2026-01-10T12:00"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(_session(build.pid)) < 2 and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert build.poll() is None, "the build finished before it could be stopped"
    return build, config_path


def test_a_killed_build_leaves_no_pdf_process_behind(tmp_path):
    build, config_path = _start_rendering(tmp_path)
    time.sleep(0.5)
    os.kill(build.pid, signal.SIGKILL)
    build.communicate(timeout=60)
    assert _gone(build.pid), f"left running: {_session(build.pid)}"
    leftovers = [p for p in (config_path.parent / ".publisher/cache/pdf").glob("*.pdf")
                 if not p.read_bytes().startswith(b"%PDF-")]
    assert leftovers == [], "no half-written PDF under a PDF's name"


def test_ctrl_c_stops_the_pdf_workers_too(tmp_path):
    build, _config_path = _start_rendering(tmp_path)
    time.sleep(0.5)
    os.killpg(build.pid, signal.SIGINT)  # what a terminal sends to the whole foreground group
    stdout, stderr = build.communicate(timeout=120)
    assert build.returncode == 130, stderr
    assert "Traceback" not in stdout + stderr
    assert _gone(build.pid), f"left running: {_session(build.pid)}"
    assert not (tmp_path / "out").exists(), "nothing was written"
