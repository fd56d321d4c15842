"""`[pdf] tagged = true`: a tagged PDF made with WeasyPrint's PDF/UA-1 variant.

What is checked here (no PDF/UA validator such as veraPDF is available on
Debian): the document is marked as tagged, has a structure tree with headings,
paragraphs, lists, a table with header cells, links and a figure whose alt
text is the article's hero_alt; the language is set; the viewer shows the
document title; XMP metadata is present; every font is embedded.
"""

from __future__ import annotations

import re
from collections import Counter

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject

from conftest import CLUSTERS, NOW, pdffonts, sample_config


def test_tagged_pdf_has_a_structure_tree(tmp_path):
    from publisher.content import load_site
    from publisher.pdf.render import render_article_pdf

    config = sample_config(tagged=True)
    site = load_site(config).site
    article = site.article(CLUSTERS)
    path = tmp_path / "tagged.pdf"
    path.write_bytes(render_article_pdf(config, site, article, "ja", now=NOW))

    root = pypdf.PdfReader(path).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == "ja"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert "/Metadata" in root
    kinds, alts = Counter(), []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, DictionaryObject):
            if "/S" in node:
                kinds[node["/S"]] += 1
                if node["/S"] == "/Figure":
                    alts.append(node.get("/Alt"))
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"]["/K"])
    for kind in ("/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Link", "/Figure"):
        assert kinds[kind] >= 1, f"no {kind} in the structure tree: {dict(kinds)}"
    body_alts = re.findall(r"!\[([^\]]*)\]\(", article.source.body)
    assert alts == [article.source.hero_alt, *body_alts]  # every figure carries its alt text
    assert all(font["emb"] == "yes" for font in pdffonts(path))
