"""The PDFs' font files cut to the glyphs used (`publisher.pdf.fontfiles`).

The same sample articles are rendered with and without the cut and read back by two real
PDF readers: poppler (pdftoppm, pdftotext, pdffonts) and PDFium (pypdfium2, the engine of
Chrome's and Android's PDF viewers). A glyph looked up wrongly would draw another character
and show as a large difference; the only difference allowed is PDFium's anti-aliasing of a
bare CFF font against the same outlines wrapped in OpenType (at most a few grey levels).
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pypdf
import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ImageChops

from conftest import CITY, CLUSTERS, NOW, page_count, pdffonts, pdftotext, sample_config

LARGEST_GREY_DIFFERENCE = 48
"""PDFium draws bare CFF and OpenType-wrapped CFF with slightly different anti-aliasing (up to
about 20 of 255 grey levels seen); a wrong glyph differs by far more (200 and over)."""


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, Path]]:
    """(slug, lang) -> (PDF as WeasyPrint writes it, PDF with its font files cut)."""
    from publisher.content import load_site
    from publisher.pdf.render import PdfRenderer, make_job

    folder = tmp_path_factory.mktemp("fontfiles")
    config = sample_config()
    site = load_site(config).site
    whole, cut = PdfRenderer(config, compact_fonts=False), PdfRenderer(config)
    made = {}
    for slug in (CITY, CLUSTERS):
        for lang in ("ja", "zh"):
            job = make_job(config, site, site.article(slug), lang, now=NOW)
            paths = folder / f"{slug}.{lang}.whole.pdf", folder / f"{slug}.{lang}.cut.pdf"
            paths[0].write_bytes(whole.render(job))
            paths[1].write_bytes(cut.render(job))
            made[(slug, lang)] = paths
    return made


CASES = [(CITY, "ja"), (CITY, "zh"), (CLUSTERS, "ja"), (CLUSTERS, "zh")]


@pytest.mark.parametrize("slug, lang", CASES)
def test_poppler_draws_every_page_the_same(both_ways, tmp_path, slug, lang):
    whole, cut = both_ways[(slug, lang)]
    assert page_count(whole) == page_count(cut)
    images = {}
    for name, path in (("whole", whole), ("cut", cut)):
        subprocess.run(["pdftoppm", "-r", "72", "-png", str(path), str(tmp_path / name)], check=True)
        images[name] = sorted(tmp_path.glob(f"{name}-*.png"))
    assert len(images["whole"]) == page_count(whole)
    for before, after in zip(images["whole"], images["cut"]):
        assert before.read_bytes() == after.read_bytes(), f"{slug} {lang}: {before.name} differs"


@pytest.mark.parametrize("slug, lang", CASES)
def test_pdfium_draws_every_page_with_the_same_glyphs(both_ways, slug, lang):
    import pypdfium2 as pdfium

    whole, cut = (pdfium.PdfDocument(path) for path in both_ways[(slug, lang)])
    assert len(whole) == len(cut)
    for number in range(len(whole)):
        before = whole[number].render(scale=1.5).to_pil().convert("L")
        after = cut[number].render(scale=1.5).to_pil().convert("L")
        histogram = ImageChops.difference(before, after).histogram()
        largest = max(level for level, count in enumerate(histogram) if count)
        assert largest <= LARGEST_GREY_DIFFERENCE, f"{slug} {lang} page {number + 1}: grey levels differ by {largest}"
        text_before = whole[number].get_textpage().get_text_range()
        assert text_before and text_before == cut[number].get_textpage().get_text_range()


@pytest.mark.parametrize("slug, lang", CASES)
def test_the_cut_pdf_is_a_fraction_of_the_size_with_the_same_text_and_fonts(both_ways, slug, lang):
    whole, cut = both_ways[(slug, lang)]
    assert cut.stat().st_size * 3 < whole.stat().st_size, (cut.stat().st_size, whole.stat().st_size)
    assert pdftotext(cut) == pdftotext(whole)
    assert [font["name"] for font in pdffonts(cut)] == [font["name"] for font in pdffonts(whole)]
    for font in pdffonts(cut):
        assert font["emb"] == "yes" and font["sub"] == "yes" and font["uni"] == "yes", font
    types = subprocess.run(["pdffonts", str(cut)], capture_output=True, text=True, check=True).stdout
    assert "CID Type 0C (OT)" not in types and "CID Type 0C" in types


def _font_files(path: Path) -> list[bytes]:
    """The FontFile3 streams of a PDF, each once."""
    reader, seen, files = pypdf.PdfReader(path), set(), []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            reference = descriptor.raw_get("/FontFile3")
            if reference.idnum not in seen:
                seen.add(reference.idnum)
                files.append(descriptor["/FontFile3"].get_data())
    return files


class EmbeddedFont:
    """A font file as WeasyPrint embeds it (every glyph's place kept), read by fontTools."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.font = TTFont(io.BytesIO(data))
        charstrings = self.font["CFF "].cff.topDictIndex[0].CharStrings
        self.drawn = [cid for cid, name in enumerate(self.font.getGlyphOrder()) if cid and _outline(charstrings, name)]
        """The CIDs it has outlines for."""

    def __repr__(self) -> str:  # Hypothesis prints the arguments of a failing example
        return f"EmbeddedFont({len(self.data)} bytes, {len(self.drawn)} glyphs drawn)"


@pytest.fixture(scope="module")
def weasyprint_font(both_ways) -> EmbeddedFont:
    """The Japanese body face of the long sample article."""
    return EmbeddedFont(max(_font_files(both_ways[(CITY, "ja")][0]), key=len))


def _outline(charstrings, name: str) -> list:
    pen = RecordingPen()
    charstrings[name].draw(pen)
    return pen.value


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_set_of_glyphs_keeps_each_cid_and_its_outline(weasyprint_font, data):
    from publisher.pdf.fontfiles import cid_keyed_subset

    chosen = data.draw(st.sets(st.sampled_from(weasyprint_font.drawn), min_size=1, max_size=40))
    cff = cid_keyed_subset(weasyprint_font.data, chosen)
    assert cff is not None
    fontset = CFFFontSet()
    fontset.decompile(io.BytesIO(cff), TTFont())
    top = fontset.topDictIndex[0]
    names = top.charset
    assert names == [".notdef", *(f"cid{cid:05d}" for cid in sorted(chosen))]
    original = weasyprint_font.font["CFF "].cff.topDictIndex[0].CharStrings
    for name in names[1:]:
        assert _outline(top.CharStrings, name) == _outline(original, name), name


def _name_keyed_cff_font() -> bytes:
    """A tiny OpenType font whose CFF is name-keyed (no ROS): its glyphs are found by position."""
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({ord("A"): "A"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0)), pen.lineTo((500, 700)), pen.lineTo((0, 700)), pen.closePath()
    drawn = pen.getCharString()
    builder.setupCFF("Tiny", {"FullName": "Tiny"}, {".notdef": drawn, "A": drawn}, {})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "A": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def test_fonts_whose_glyphs_are_found_by_position_are_left_alone(weasyprint_font):
    from fontTools import subset as fonttools_subset

    from publisher.pdf.fontfiles import cid_keyed_subset

    # A CID-keyed font whose CIDs are not the glyphs' positions: cut by fontTools without keeping places.
    options = fonttools_subset.Options(retain_gids=False, ignore_missing_glyphs=True, notdef_outline=True)
    subsetter = fonttools_subset.Subsetter(options)
    subsetter.populate(gids=[0, *weasyprint_font.drawn[10:15]])
    packed = TTFont(io.BytesIO(weasyprint_font.data))
    subsetter.subset(packed)
    out = io.BytesIO()
    packed.save(out)
    assert packed.getGlyphOrder()[1] != "cid00001"
    assert cid_keyed_subset(out.getvalue(), {1, 2, 3}) is None

    name_keyed = _name_keyed_cff_font()
    assert name_keyed[:4] == b"OTTO"
    assert cid_keyed_subset(name_keyed, {1}) is None
    truetype = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").read_bytes()
    assert cid_keyed_subset(truetype, {1, 2, 3}) is None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.sets(st.integers(0, 70_000), max_size=5))
def test_any_bytes_give_a_subset_or_none_never_an_error(data, cids):
    from publisher.pdf.fontfiles import cid_keyed_subset

    for candidate in (data, b"OTTO" + data):
        result = cid_keyed_subset(candidate, cids)
        assert result is None or isinstance(result, bytes)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_font_file_gives_a_subset_or_none_never_an_error(weasyprint_font, data):
    """Bytes changed anywhere in a real font file, or the file cut short."""
    from publisher.pdf.fontfiles import cid_keyed_subset

    source = weasyprint_font.data
    damaged = bytearray(source)
    for _ in range(data.draw(st.integers(1, 8))):
        damaged[data.draw(st.integers(0, len(source) - 1))] = data.draw(st.integers(0, 255))
    damaged = bytes(damaged[:data.draw(st.integers(12, len(source)))])
    result = cid_keyed_subset(damaged, weasyprint_font.drawn[:30])
    assert result is None or isinstance(result, bytes)


def test_the_pdfs_a_build_makes_have_their_font_files_cut(tmp_path):
    from publisher.content import load_site
    from publisher.pdf.batch import build_pdfs
    from publisher.pdf.render import make_job

    config = sample_config()
    site = load_site(config).site
    jobs = [make_job(config, site, site.article(CLUSTERS), lang, now=NOW) for lang in ("ja", "zh")]
    made = build_pdfs(config, jobs, tmp_path / "cache", 1)
    assert len(made.files) == 2
    for path in made.files.values():
        files = _font_files(path)
        assert files and all(data[:4] != b"OTTO" for data in files), path
