"""Checks of the files an article refers to or holds: hero, tags, sources, images in the body,
raw HTML, and every file of its folder (nothing from outside the site is ever published).

Split from `loader.py`, which calls these while it reads each article.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from ..config import SiteConfig
from ..errors import Problem, printable
from ..i18n import _
from ..limits import MAX_TEXT_BYTES, bad_name_reason, inside
from .frontmatter import RawDocument

if TYPE_CHECKING:
    from .loader import _Fields

#: Files of an article folder that are published with it (images); anything
#: else there (Markdown, lock files, notes) stays private.
MEDIA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"})
#: Longest tag, in characters: each tag names a folder (`/ja/tags/<tag>/`).
MAX_TAG = 50
#: Largest image an article folder may hold (bytes).
MAX_IMAGE_BYTES = 64 * 1024 * 1024


def _check_hero(fields: _Fields, reference: str, folder: Path) -> None:
    """`hero:` is the file name of an image in the article folder: no path, no URL."""
    if _is_external(reference) or "/" in reference or "\\" in reference or reference in (".", ".."):
        fields.error("hero", _("{reference!r} is not a file name; `hero` names an image in {folder}/ "
                               "(e.g. `hero: hero.png`): copy the image there and write its name").format(
            reference=reference, folder=folder.name))
        return
    if Path(reference).suffix.lower() not in MEDIA_SUFFIXES:
        fields.error("hero", _("{reference!r} is not an image; use a .png, .jpg, .webp, .gif, .avif or .svg "
                               "file in {folder}/").format(reference=reference, folder=folder.name))
        return
    target = folder / reference
    if not inside(target, folder):
        fields.error("hero", _("{reference!r} points outside the article folder; put the image in {folder}/").format(
            reference=reference, folder=folder.name))
    elif not target.is_file():
        fields.error("hero", _("the image {reference!r} is not in {folder}/; add the file or fix the name").format(
            reference=reference, folder=folder.name))


def _check_tags(fields: _Fields) -> tuple[str, ...]:
    """Tags name folders of the site (`/ja/tags/<tag>/`): short enough for a file name."""
    tags = fields.text_list("tags")
    for tag in tags:
        if len(tag) > MAX_TAG:
            fields.error("tags", _("the tag {start!r}... is {length} characters long; a tag names a page of "
                                   "the site, so keep it to {limit} characters at most").format(
                start=tag[:20], length=len(tag), limit=MAX_TAG))
    return tags


def _check_folder_files(folder: Path, config: SiteConfig, problems: list[Problem]) -> bool:
    """Every file of an article folder: a name that can be published, and nothing from outside the site
    (a symlink to a file elsewhere on the machine is refused, not published). False: leave the article out."""
    if not inside(folder, config.content_dir):
        problems.append(Problem(folder, None, "folder",
                                _("the article folder is a link to {target}, outside {content}/; move the article "
                                  "into {content}/ instead of linking to it").format(
                                    target=printable(str(folder.resolve())), content=config.content_dir.name)))
        return False
    ok = True
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        problems.append(Problem(folder, None, "folder", _("cannot read the folder ({reason}); check its permissions").format(
            reason=exc.strerror)))
        return False
    for entry in entries:
        path = Path(entry.path)
        reason = bad_name_reason(entry.name)
        if reason:
            problems.append(Problem(path, None, "file", _("the file name {reason}; rename the file").format(reason=reason)))
            ok = False
            continue
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and not inside(path, config.root):
            problems.append(Problem(path, None, "file",
                                    _("is a link to a file outside the site, which is never published; "
                                      "copy the file into the article folder instead of linking to it")))
            ok = False
            continue
        suffix = path.suffix.lower()
        if suffix in MEDIA_SUFFIXES or suffix == ".md":
            try:
                info = path.stat()
            except OSError:
                problems.append(Problem(path, None, "file", _("is a broken link or cannot be read; fix or remove it")))
                ok = False
                continue
            limit = MAX_TEXT_BYTES if suffix == ".md" else MAX_IMAGE_BYTES
            if not stat.S_ISREG(info.st_mode):
                problems.append(Problem(path, None, "file", _("is not a regular file (a device, a pipe or a folder); "
                                                              "replace it with the file itself or rename it")))
                ok = False
            elif info.st_size > limit:
                problems.append(Problem(path, None, "file", _("is {size:,} bytes, more than the {limit:,} allowed; make it "
                                                              "smaller").format(size=info.st_size, limit=limit)))
                ok = False
    return ok


_SOURCE_TYPES = (".txt", ".text", ".md", ".markdown", ".pdf", ".csv")


def _check_sources(fields: _Fields, folder: Path) -> tuple[str, ...]:
    """`sources:` lists files in the article folder (normally `sources/`) of a type the fact check reads."""
    items = fields.text_list("sources")
    for item in items:
        line = _item_line(fields.raw, "sources", item)
        problem = None
        if _is_external(item):
            problem = _("{item!r} is not a file in the article folder; copy the source into {folder}/sources/").format(
                item=item, folder=folder.name)
        elif not item.lower().endswith(_SOURCE_TYPES):
            problem = _("{item!r}: sources must be .txt, .md, .pdf or .csv files; convert it and list the "
                        "converted file").format(item=item)
        else:
            target = (folder / item).resolve()
            if not target.is_relative_to(folder.resolve()):
                problem = _("{item!r} points outside the article folder; copy it into {folder}/sources/").format(
                    item=item, folder=folder.name)
            elif not target.is_file():
                problem = _("the source file {item!r} is not in {folder}/; add it (e.g. to {folder}/sources/) or "
                            "fix the path (paths are relative to the article folder)").format(
                    item=item, folder=folder.name)
        if problem:
            fields.failed = True
            fields.problems.append(Problem(fields.raw.path, line, "sources", problem))
    return items


def _item_line(raw: RawDocument, name: str, item: str) -> int:
    """The line of the list item `item` under field `name` (the field's line when it cannot be told apart)."""
    start = raw.field_lines.get(name, raw.frontmatter_line)
    try:
        lines = raw.path.read_text("utf-8").split("\n")[start - 1: raw.body_line - 1]
    except (OSError, UnicodeDecodeError):
        return start
    for offset, text in enumerate(lines):
        if offset and re.match(r"^[^\s#-]", text):
            break  # the next field
        if item in text:
            return start + offset
    return start


def _is_external(reference: str) -> bool:
    parts = urlsplit(reference)
    return bool(parts.scheme or parts.netloc) or reference.startswith("/")


_IMAGE_SCANNER = MarkdownIt("commonmark").enable("table")


#: Only bodies that may hold an image, a level-1 heading or HTML need the (slow) scan.
_MAY_NEED_SCAN = re.compile(r"!\[|^ {0,3}#(?:[ \t]|$)|^ {0,3}=+[ \t]*$|<[A-Za-z/?!]", re.MULTILINE)


def _raw_html_warning(snippet: str) -> str:
    return _("raw HTML ({snippet}) is shown as text, not as markup: write it in Markdown or remove it "
             "(or set `raw_html = \"allow\"` under [markdown] in publisher.toml if every writer is trusted)").format(
        snippet=snippet)


def _check_body(raw: RawDocument, folder: Path, problems: list[Problem], raw_html: bool = False) -> None:
    """Images the body references must exist; a `#` title in the body is a mistake; raw HTML
    is shown as text unless the site allows it (a warning at its line)."""
    if not _MAY_NEED_SCAN.search(raw.body):
        return
    for block in _IMAGE_SCANNER.parse(raw.body):
        line = raw.body_line + (block.map[0] if block.map else 0)
        if block.type == "heading_open" and block.tag == "h1":
            problems.append(Problem(raw.path, line, "body",
                                    _("a `#` heading in the body: the title comes from the frontmatter; "
                                      "use `##` for sections"), "warning"))
        if not raw_html and block.type == "html_block" and _strip_comments(block.content).strip():
            problems.append(Problem(raw.path, line, "body", _raw_html_warning(
                _snippet(_strip_comments(block.content))), "warning"))
        if not raw_html and block.children:
            tags = [c.content for c in block.children if c.type == "html_inline" and not c.content.startswith("<!--")]
            if tags:
                problems.append(Problem(raw.path, line, "body", _raw_html_warning(_snippet(tags[0])),
                                        "warning"))
        for child in _walk(block.children or []):
            if child.type != "image":
                continue
            src = str(child.attrs.get("src", ""))
            if not src or _is_external(src):
                continue
            target = folder / src.split("#")[0].split("?")[0]
            if not inside(target, folder):
                problems.append(Problem(raw.path, line, "image",
                                        _("{src!r} points outside the article folder; copy the image into "
                                          "{folder}/").format(src=src, folder=folder.name)))
            elif not target.is_file():
                problems.append(Problem(raw.path, line, "image",
                                        _("the image {src!r} is not in {folder}/; add the file or fix the "
                                          "name").format(src=src, folder=folder.name)))


def _strip_comments(html: str) -> str:
    return re.sub(r"<!--.*?(?:-->|\Z)", "", html, flags=re.DOTALL)


def _snippet(html: str) -> str:
    text = " ".join(html.split())
    return f"`{text[:40]}…`" if len(text) > 40 else f"`{text}`"


def _walk(tokens: list) -> Any:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)
