"""Keep BudouX phrases together in print, where `word-break: keep-all` is ignored.

The web pages mark phrase boundaries with `<wbr>` inside
`<span class="phrases">` (see `publisher.typography`). WeasyPrint breaks CJK
text between any two characters whatever `word-break` says, so for print each
phrase becomes its own `<span class="phrase">` (the print stylesheet gives it
`white-space: nowrap`); lines then break only between phrases. Nothing is
added to the text: no word joiners, no spaces, so `pdftotext` reads back the
heading exactly as written.
"""

from __future__ import annotations

from html.parser import HTMLParser

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})
_OPEN_PHRASE = '<span class="phrase">'


def keep_phrases(html: str) -> str:
    """`html` with the text of every `.phrases` span cut into unbreakable `.phrase` spans.

    A boundary may fall inside an inline element (`<span class="marker">【成長事<wbr>例❶】</span>`):
    the element is closed before the boundary and reopened after it, so the
    markup stays well nested.
    """
    splitter = _PhraseSplitter()
    splitter.feed(html)
    splitter.close()
    return "".join(splitter.out)


class _PhraseSplitter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.depth = 0
        """Open elements inside the current `.phrases` span (0: not inside one)."""
        self.inside = False
        self.open: list[tuple[str, str]] = []
        """(tag, start tag text) of elements opened inside the phrases span, to close and reopen at a boundary."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text = self.get_starttag_text() or f"<{tag}>"
        if not self.inside:
            classes = (dict(attrs).get("class") or "").split()
            self.out.append(text)
            if tag == "span" and "phrases" in classes:
                self.inside = True
                self.open = []
                self.out.append(_OPEN_PHRASE)
            return
        if tag == "wbr":
            closes = "".join(f"</{name}>" for name, _ in reversed(self.open))
            reopens = "".join(start for _, start in self.open)
            self.out.append(f"{closes}</span><wbr>{_OPEN_PHRASE}{reopens}")
            return
        self.out.append(text)
        if tag not in _VOID:
            self.open.append((tag, text))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inside and tag == "wbr":
            self.handle_starttag(tag, attrs)
        else:
            self.out.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if self.inside:
            if self.open and self.open[-1][0] == tag:
                self.open.pop()
            elif tag == "span" and not self.open:
                self.out.append("</span></span>")
                self.inside = False
                return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")
