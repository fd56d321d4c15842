"""Reading a source file (`.txt`, `.md`, `.pdf`, `.csv`) into a cleaned `SourceDocument`."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

from ..i18n import _
from .cleaning import CleanLine, RawLine, clean_pages
from .model import SourceDocument, SourceError

KINDS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".pdf": "pdf", ".csv": "csv"}


def read_source(path: Path, name: str | None = None) -> SourceDocument:
    """Read and clean `path`; `name` is how articles refer to it (default: the file name)."""
    path = Path(path)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        what = path.suffix or _("a file without an extension")
        raise SourceError(_("{path}: sources must be .txt, .md, .pdf or .csv files, not {what}; save it in "
                            "one of those formats").format(path=path, what=what))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(_("{path}: no such file; check the path").format(path=path)) from None
    except IsADirectoryError:
        raise SourceError(_("{path} is a folder; give the source file itself").format(path=path)) from None
    except OSError as exc:
        raise SourceError(_("{path}: cannot read it ({strerror}); check its permissions").format(
                              path=path, strerror=exc.strerror)) from None
    if kind == "pdf":
        lines = _pdf_lines(path, data)
    else:
        text = _decode(path, data)
        if kind == "csv":
            lines = _csv_lines(path, text)
        elif kind == "md":
            lines = _markdown_lines(text)
        else:
            lines = _text_lines(text)
    while lines and not lines[-1].text:
        lines.pop()
    if not any(line.text.strip() for line in lines):
        hint = (_("it may be scanned images with no text layer; run OCR on it or give a text version")
                if kind == "pdf" else _("give a file with text in it"))
        raise SourceError(_("{path}: no text found; {hint}").format(path=path, hint=hint))
    return SourceDocument(path=path, name=name or path.name, kind=kind, text="\n".join(line.text for line in lines),
                          lines=tuple(line.first for line in lines), ends=tuple(line.last for line in lines))


def _decode(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(_("{path}:{line}: the file is not UTF-8 (byte {byte:#04x}); re-save it as UTF-8 "
                            "(in most editors: Save As, encoding UTF-8)").format(
                              path=path, line=line, byte=data[exc.start])) from None
    if "\x00" in text:
        raise SourceError(_("{path}: this looks like a binary file, not text; give a .txt, .md, .pdf or .csv "
                            "source").format(path=path))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text_lines(text: str) -> list[CleanLine]:
    """Plain text, cleaned as extracted text; form feeds (`\\f`) separate pages when there are any."""
    pages: list[list[RawLine]] = [[]]
    for number, line in enumerate(text.split("\n"), start=1):
        parts = line.split("\f")
        for i, part in enumerate(parts):
            if i:
                pages.append([])
            pages[-1].append(RawLine(part, number))
    return clean_pages(pages, paginated=len(pages) > 1)


def _markdown_lines(text: str) -> list[CleanLine]:
    """Markdown is written, not extracted: kept line for line, runs of blank lines collapsed."""
    out: list[CleanLine] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip()
        if not line.strip() and (not out or not out[-1].text):
            continue
        out.append(CleanLine(line, number, number))
    return out


def _csv_lines(path: Path, text: str) -> list[CleanLine]:
    """The header row, then each row as `column: value | column: value`, so figures keep their labels."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    out: list[CleanLine] = []
    header: list[str] | None = None
    try:
        first_line = 1
        for row in reader:
            line = first_line
            first_line = reader.line_num + 1
            cells = [" ".join(cell.split()) for cell in row]
            if not any(cells):
                continue
            if header is None:
                header = [cell or f"column {i + 1}" for i, cell in enumerate(cells)]
                out.append(CleanLine(" | ".join(header), line, reader.line_num))
                continue
            pairs = [f"{header[i] if i < len(header) else f'column {i + 1}'}: {cell}"
                     for i, cell in enumerate(cells) if cell]
            out.append(CleanLine(" | ".join(pairs), line, reader.line_num))
    except csv.Error as exc:
        raise SourceError(_("{path}:{line}: not valid CSV ({exc}); check the quotes on that line").format(
                              path=path, line=reader.line_num, exc=exc)) from None
    return out


def _pdf_lines(path: Path, data: bytes) -> list[CleanLine]:
    """Text of each page with pypdf, then cleaned; each line knows its page."""
    import pypdf
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd PDFs are not the writer's business
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError(_("{path}: the PDF is password-protected; save an unprotected copy and use that").format(
                                  path=path))
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            pages.append([RawLine(line, number) for line in text.replace("\r\n", "\n").split("\n")])
    except SourceError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise SourceError(_("{path}: cannot read the PDF ({kind}: {exc}); check that it opens in a PDF "
                            "viewer, or export the text to a .txt file and use that").format(
                              path=path, kind=type(exc).__name__, exc=exc)) from None
    except Exception as exc:  # pypdf raises assorted errors on damaged files
        if "pypdf" not in type(exc).__module__ and type(exc).__module__ != "builtins":
            raise
        raise SourceError(_("{path}: cannot read the PDF ({kind}); check that it opens in a PDF viewer, or "
                            "export the text to a .txt file and use that").format(
                              path=path, kind=type(exc).__name__)) from None
    return clean_pages(pages, paginated=True)
