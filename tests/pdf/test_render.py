"""The PDF of a sample article: fonts, metadata, outline, links, layout and extracted text."""

from __future__ import annotations

import re
import subprocess
from datetime import timezone
from html.parser import HTMLParser

import pypdf
import pytest

from conftest import CITY, CJK, CLUSTERS, page_count, pdffonts, pdftotext, sample_config, squeeze

LANGS = ("ja", "zh")


def _document(slug: str, lang: str):
    from publisher.content import load_site

    config = sample_config()
    article = load_site(config).site.article(slug)
    return config, article, article.document(lang)


@pytest.mark.parametrize("lang, face, other", [("ja", "CJK-JP", "CJK-SC"), ("zh", "CJK-SC", "CJK-JP")])
@pytest.mark.parametrize("size", ["A4", "phone"])
def test_each_language_uses_its_own_noto_faces_embedded_as_subsets(sample_pdfs, lang, face, other, size):
    fonts = pdffonts(sample_pdfs[(CITY, lang, size)])
    names = [font["name"] for font in fonts]
    assert fonts, "no fonts in the PDF"
    assert all(face in name for name in names), f"{lang}: every font should be a Noto {face} face: {names}"
    assert not any(other in name for name in names), f"{lang}: the {other} face must not be used: {names}"
    assert any("Serif" in name for name in names) and any("Sans" in name for name in names), names
    for font in fonts:
        assert font["emb"] == "yes" and font["sub"] == "yes" and font["uni"] == "yes", font
        assert re.match(r"^[A-Z]{6}\+", font["name"]), f"not a subset: {font['name']}"


@pytest.mark.parametrize("lang", LANGS)
def test_metadata_title_author_language_dates(sample_pdfs, lang):
    config, article, document = _document(CITY, lang)
    reader = pypdf.PdfReader(sample_pdfs[(CITY, lang, "A4")])
    meta = reader.metadata
    assert meta.title == document.title
    assert meta.author == config.organization
    assert meta.subject == document.summary
    assert meta.keywords == ", ".join(document.tags)
    assert reader.trailer["/Root"]["/Lang"] == config.language(lang).html_lang
    released = article.publish_at.astimezone(timezone.utc)
    assert meta.creation_date.astimezone(timezone.utc) == released
    assert meta.modification_date.astimezone(timezone.utc) == released


@pytest.mark.parametrize("lang", LANGS)
def test_outline_follows_the_headings(sample_pdfs, lang):
    _, _, document = _document(CITY, lang)
    reader = pypdf.PdfReader(sample_pdfs[(CITY, lang, "A4")])
    outline = reader.outline
    assert len(outline) >= 1 and outline[0].title == document.title
    sections = [line[3:] for line in document.body.splitlines() if line.startswith("## ")]
    subblocks = [line[4:] for line in document.body.splitlines() if line.startswith("### ")]
    children = outline[1]  # the title's children: the ## sections, each followed by its ### list
    top = [item.title for item in children if not isinstance(item, list)]
    assert top == sections
    nested = [item.title for group in children if isinstance(group, list) for item in group]
    assert nested == subblocks
    # Each bookmark leads to the page its heading is on.
    for item in children:
        if not isinstance(item, list):
            page = reader.get_destination_page_number(item) + 1
            assert squeeze(item.title) in squeeze(pdftotext(sample_pdfs[(CITY, lang, "A4")], page))


@pytest.mark.parametrize("lang", LANGS)
def test_links_are_clickable(sample_pdfs, lang):
    config, _, _ = _document(CITY, lang)
    reader = pypdf.PdfReader(sample_pdfs[(CITY, lang, "A4")])
    uris, internal = set(), 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if action is not None and "/URI" in action:
                uris.add(action["/URI"])
            elif "/Dest" in annotation or (action is not None and "/D" in action):
                internal += 1
    assert f"{config.base_url}{lang}/{CITY}/" in uris, uris
    assert config.contact_url in uris and config.feedback_url in uris
    assert f"{config.base_url}{lang}/{CLUSTERS}/" in uris, "the related article's link is missing"
    assert internal >= 2, "footnote references should link to the notes"


@pytest.mark.parametrize("size, width, height", [("A4", 595.3, 841.9), ("phone", 283.5, 504.6)])
def test_page_size_numbers_and_running_header(sample_pdfs, size, width, height):
    path = sample_pdfs[(CITY, "ja", size)]
    reader = pypdf.PdfReader(path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (width, height)
    total = page_count(path)
    assert total >= 3
    _, article, document = _document(CITY, "ja")
    header = squeeze(f"【{article.code}】{document.title}")
    for number in range(1, total + 1):
        text = pdftotext(path, number)
        assert re.search(rf"(?m)^\s*{number}\s*/\s*{total}\s*$", text), f"page {number}: no '{number} / {total}'"
        if number > 1:
            assert squeeze(text).startswith(header), f"page {number}: running header missing"
    first_lines = [line for line in pdftotext(path, 1).splitlines() if line.strip()]
    assert first_lines[0] == f"【{article.code}】", "page 1 starts with the article header, not a running header"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", [CITY, CLUSTERS])
def test_extracted_text_is_the_article_in_reading_order(sample_pdfs, slug, lang):
    """Every block of the body comes back, in order, with no characters added or lost.

    Read in drawing order (`pdftotext -raw`) so that the cells of a table,
    whose lines sit side by side, come back cell by cell.
    """
    from publisher.markdown import render_markdown

    _, _, document = _document(slug, lang)
    blocks = _blocks(str(render_markdown(document.body, lang=lang).html))
    text = squeeze(pdftotext(sample_pdfs[(slug, lang, "A4")], raw=True))
    position = 0
    for block in blocks:
        found = text.find(block, position)
        assert found >= 0, f"not found (in order) in the PDF text: {block!r}"
        position = found + len(block)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", [CITY, CLUSTERS])
@pytest.mark.parametrize("size", ["A4", "phone"])
def test_no_space_inserted_between_cjk_characters(sample_pdfs, slug, lang, size):
    """A space between two CJK characters must be one the writer typed (Markdown, titles, strings)."""
    from support import REPO_ROOT

    text = _without_tables(pdftotext(sample_pdfs[(slug, lang, size)]), _document(slug, lang)[2].body)
    written = [path.read_text("utf-8") for path in sorted((REPO_ROOT / "articles").glob("*/*.md"))]
    allowed = re.sub(r"[*_]", "", "\n".join(written) + (REPO_ROOT / "publisher.toml").read_text("utf-8"))
    for match in re.finditer(rf"{CJK}[ \u00a0\u3000]+{CJK}", text):
        pair = match.group(0)
        assert re.sub(r"\s+", " ", pair) in allowed, f"space inserted between CJK characters: {pair!r}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", ["A4", "phone"])
def test_no_closing_punctuation_at_a_line_start(sample_pdfs, lang, size):
    for slug in (CITY, CLUSTERS):
        for line in pdftotext(sample_pdfs[(slug, lang, size)]).splitlines():
            assert not re.match(r"^\s*[。、，．」』）】〕!?！？・：；ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ]", line), \
                f"{slug} {lang} {size}: {line!r}"


def test_headings_break_between_phrases_without_added_characters(sample_pdfs):
    """On a phone page the title wraps; each line ends at a BudouX phrase boundary."""
    from publisher.typography import phrases

    for lang in LANGS:
        _, _, document = _document(CITY, lang)
        lines = [line for line in pdftotext(sample_pdfs[(CITY, lang, "phone")], 1).splitlines() if line.strip()]
        start = next(i for i, line in enumerate(lines) if document.title.startswith(line.strip()))
        title_lines, joined = [], ""
        for line in lines[start:]:
            title_lines.append(line.strip())
            joined = " ".join(title_lines) if lang != "ja" else "".join(title_lines)
            if squeeze(joined) == squeeze(document.title):
                break
        assert squeeze(joined) == squeeze(document.title), f"{lang}: title not read back exactly: {title_lines}"
        assert len(title_lines) >= 2, f"{lang}: the title should wrap on a phone page: {title_lines}"
        boundaries, offset = set(), 0
        for phrase in phrases(squeeze(document.title), lang):
            offset += len(phrase)
            boundaries.add(offset)
        offset = 0
        for line in title_lines[:-1]:
            offset += len(squeeze(line))
            assert offset in boundaries, f"{lang}: title broken inside a phrase after {line!r}"


@pytest.mark.parametrize("size", ["A4", "phone"])
def test_table_fits_the_page_and_repeats_its_header(sample_pdfs, size, tmp_path):
    path = sample_pdfs[(CLUSTERS, "ja", size)]
    html = tmp_path / "words.html"
    subprocess.run(["pdftotext", "-bbox", str(path), str(html)], check=True)
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html.read_text("utf-8"), re.S)
    for width, _, words in pages:
        for x_max in re.findall(r'xMax="([\d.]+)"', words):
            assert float(x_max) <= float(width) - 15, f"{size}: text runs past the right margin ({x_max} of {width})"
    body = _document(CLUSTERS, "ja")[2].body
    first_row = next(line for line in body.splitlines() if line.startswith("|"))
    header = squeeze("".join(first_row.strip("|").split("|")))
    pages_with_header = [number for number in range(1, page_count(path) + 1)
                         if header in squeeze(pdftotext(path, number, raw=True))]
    assert pages_with_header, f"{size}: the table's header row {header!r} was not found"
    if size == "phone":
        assert len(pages_with_header) >= 2, "a table broken across pages repeats its header row"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", ["A4", "phone"])
def test_no_heading_left_alone_at_a_page_bottom(sample_pdfs, lang, size):
    path = sample_pdfs[(CITY, lang, size)]
    _, _, document = _document(CITY, lang)
    headings = {squeeze(re.sub(r"^#+\s*", "", line)) for line in document.body.splitlines() if line.startswith("#")}
    total = page_count(path)
    for number in range(1, total):
        lines = [squeeze(line) for line in pdftotext(path, number).splitlines() if line.strip()]
        body_lines = [line for line in lines if not re.fullmatch(r"\d+/\d+", line)]
        last = body_lines[-1]
        assert not any(heading.endswith(last) for heading in headings), \
            f"{lang} {size} page {number} ends with a heading: {last!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_footer_notices_on_the_last_page(sample_pdfs, lang):
    config, article, _ = _document(CITY, lang)
    path = sample_pdfs[(CITY, lang, "A4")]
    strings = config.language(lang)
    last = squeeze(pdftotext(path, page_count(path)))
    assert squeeze(strings.t("notice_ai_text")) in last
    assert squeeze(strings.t("notice_copyright", year=2026, organization=config.organization)) in last
    assert squeeze(strings.t("contact_prompt")) in last
    assert squeeze(strings.t("feedback_prompt")) in last
    assert article.ai_text


@pytest.mark.parametrize("lang", LANGS)
def test_house_style_blocks_and_hero(sample_pdfs, lang):
    path = sample_pdfs[(CITY, lang, "A4")]
    text = pdftotext(path)
    assert re.search(r"(?m)^↓$", text), "the flow marker is printed on its own line"
    assert "【成長物語❶】" in text or "【成长故事❶】" in text or "❶】" in text
    flow_label = sample_config().language(lang).t("flow_label")
    assert flow_label not in text, "the screen-reader label of the flow marker is not printed"
    first_page = pypdf.PdfReader(path).pages[0]
    assert "/XObject" in first_page["/Resources"], "the hero image is drawn on the first page"
    clusters = pdftotext(sample_pdfs[(CLUSTERS, lang, "A4")])
    term = "産業クラスターとは" if lang == "ja" else "产业集群是指"
    assert term in squeeze(clusters), "the term box is printed"


def _without_tables(text: str, body: str) -> str:
    """`text` less the lines of its tables: cells side by side on one line are read with a gap between them.

    The table's text is checked cell by cell in `test_extracted_text_is_the_article_in_reading_order`.
    """
    lines = body.splitlines()
    rows = [i for i, line in enumerate(lines) if line.startswith("|")]
    if not rows:
        return text
    first_cell = lines[rows[0]].strip("|").split("|")[0].strip()
    after = next(line for line in lines[rows[-1] + 1:] if line.strip())
    out, inside = [], False
    for line in text.splitlines():
        if not inside and squeeze(line) and first_cell.startswith(squeeze(line)):
            inside = True
        elif inside and squeeze(after).startswith(squeeze(line)[:8]) and squeeze(line):
            inside = False
        if not inside:
            out.append(line)
    assert len(out) < len(text.splitlines()), "the table was not found in the text"
    return "\n".join(out)


class _BlockText(HTMLParser):
    """The text of each block (p, li, h*, th, td) of rendered body HTML, as the PDF should show it."""

    BLOCKS = {"p", "li", "h2", "h3", "h4", "th", "td", "blockquote"}

    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.hidden or "flow-label" in classes or "footnote-backref" in classes:
            self.hidden += 1 if tag not in ("wbr", "br", "img") else 0
        elif tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if self.hidden:
            self.hidden -= 1
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self.hidden:
            self.current.append(data)

    def _flush(self):
        text = squeeze("".join(self.current))
        if text:
            self.blocks.append(text)
        self.current = []


def _blocks(html: str) -> list[str]:
    parser = _BlockText()
    parser.feed(html)
    parser._flush()
    return parser.blocks


@pytest.mark.parametrize("lang", LANGS)
def test_term_box_has_no_space_after_its_punctuation(sample_pdfs, lang):
    """`> **産業クラスターとは、** 特定…`: the space typed after the bold term is not printed."""
    text = pdftotext(sample_pdfs[(CLUSTERS, lang, "A4")], raw=True)
    assert not re.search(rf"[、，：。][ \u00a0\u3000]+{CJK}", text), "a space after CJK punctuation was printed"
    if lang == "ja":
        assert "産業クラスターとは、特定" in text
