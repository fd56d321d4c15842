"""An exported page's lines -> `ParsedPage`: header, body, and the notices as flags.

The page is: site furniture (breadcrumbs, the ranking list), the header line
`【中国G93】 <title>2025.12.05`, the body, then the feedback prompt, the
standing notices and the contact block. Everything before the header and
after the body is dropped; the notices that matter become frontmatter flags.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..errors import Problem, PublisherError
from ..i18n import _
from .body import parse_body
from .html import IMAGE_MARK
from .model import Notices, ParsedPage, SourceLine

_CODE = r"(?P<code>[^【】\s]+?[A-Za-z]\d{2,})"
_DATE = r"(?P<year>\d{4})\s*[.．/／年-]\s*(?P<month>\d{1,2})\s*[.．/／月-]\s*(?P<day>\d{1,2})日?"
HEADER = re.compile(rf"^【{_CODE}】\s*(?P<title>.+?)\s*{_DATE}$")
HEADER_WITHOUT_DATE = re.compile(rf"^【{_CODE}】\s*(?P<title>.+)$")
DATE_LINE = re.compile(rf"^{_DATE}$")
RANKING_ENTRY = re.compile(r"^(?:-\s*)?\d{1,2}\s*【[^【】]+】")
_CHROME_WORDS = ("トップ", "ホーム", "お役立ち情報", "人気情報ランキング", "ランキング", "HOME", "TOP")

FEEDBACK = re.compile(r"ご意見.*(お聞かせ|お寄せ)|ご意見を反映")
_NOTICE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("feedback prompt", FEEDBACK),
    ("AI image notice", re.compile(r"画像.*(によって|により|で)(作成|生成)")),
    ("AI text notice", re.compile(r"AI.*(生成|作成)|(生成|作成).*AI")),
    ("pseudonym notice", re.compile(r"仮称|仮名")),
    ("phone reading notice", re.compile(r"スマホ|スマートフォン|フォントサイズ")),
    ("copyright notice", re.compile(r"著作権|無断転載|複製")),
    ("contact block", re.compile(r"お問い?合わせ|お見積|サービス内容")),
)
_SENTENCE_END = ("。", "！", "？", "!", "?")
_IMAGE_MODEL = re.compile(r"画像は?\s*(?P<model>.+?)\s*(?:によって|により|で)(?:作成|生成)")


class NotAnExport(PublisherError):
    """The file has no `【code】 title YYYY.MM.DD` header: not a page of the site."""


def parse_page(path: Path, lines: list[SourceLine]) -> ParsedPage:
    """Split the page into furniture, header, body and notices; raise `NotAnExport` without a header."""
    unplaced: list[Problem] = []
    dropped: list[str] = []
    start, code, title, day = _find_header(path, lines)
    _drop_furniture(path, lines[:start], dropped, unplaced)
    body_start = start + 1 if HEADER.match(lines[start].text) else start + 2
    footer_start = _find_footer(lines, body_start)
    blocks, body_unplaced = parse_body(path, lines[body_start:footer_start])
    unplaced += body_unplaced
    notices = _read_notices(path, lines[footer_start:], dropped, unplaced)
    return ParsedPage(path=path, code=code, title=title, date=day, blocks=tuple(blocks), notices=notices,
                      dropped=tuple(dropped), unplaced=tuple(unplaced))


def _find_header(path: Path, lines: list[SourceLine]) -> tuple[int, str, str, date]:
    for index, line in enumerate(lines):
        match = HEADER.match(line.text)
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        if not match and HEADER_WITHOUT_DATE.match(line.text) and DATE_LINE.match(following):
            match = HEADER.match(f"{line.text} {following}")
        if not match:
            continue
        try:
            day = date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            raise NotAnExport(_("{path}:{line}: the header's date {year}.{month}.{day} is not a "
                                "real date; fix it in the file and import it again").format(
                                  path=path, line=line.number, year=match['year'],
                                  month=match['month'], day=match['day'])) from None
        return index, match["code"], match["title"].strip(), day
    raise NotAnExport(_("{path}: no header line `【中国G93】 <title> 2025.12.05` (code in 【】, title, date) was "
                        "found; is this an exported article page? Export the article page itself, not a list "
                        "page").format(path=path))


def _drop_furniture(path: Path, lines: list[SourceLine], dropped: list[str], unplaced: list[Problem]) -> None:
    """Breadcrumbs and the ranking list are dropped; anything else before the header is reported."""
    ranking = breadcrumbs = 0
    for line in lines:
        text = line.text
        if not text or text.startswith(IMAGE_MARK):
            continue
        if RANKING_ENTRY.match(text):
            ranking += 1
        elif text.startswith("-") or any(word in text and len(text) <= len(word) + 4 for word in _CHROME_WORDS):
            breadcrumbs += 1
        else:
            unplaced.append(Problem(path, line.number, "import",
                                    _("{text!r} comes before the header and is not breadcrumbs or the "
                                      "ranking; it was left out").format(text=text), "warning"))
    if breadcrumbs:
        dropped.append("breadcrumbs")
    if ranking:
        dropped.append(_("ranking ({count} entries)").format(count=ranking))


def _find_footer(lines: list[SourceLine], start: int) -> int:
    """Where the body ends: the feedback prompt, else the first standing notice, else the end."""
    for index in range(start, len(lines)):
        if FEEDBACK.search(lines[index].text):
            return index
    for index in range(start, len(lines)):
        text = lines[index].text
        if text.startswith("※") and _notice_kind(text) not in (None, "feedback prompt"):
            return index
    return len(lines)


def _notice_kind(text: str) -> str | None:
    for kind, pattern in _NOTICE_KINDS:
        if pattern.search(text):
            return kind
    return None


def _cut_mid_sentence(group: tuple[str | None, int, list[str]]) -> bool:
    """A notice whose last line stops mid-sentence (not a `A / B / C` menu line) continues on the next line."""
    kind, _count, parts = group
    last = parts[-1]
    return (kind is not None or parts[0].startswith("※")) and not last.endswith(_SENTENCE_END) and " / " not in last


def _read_notices(path: Path, lines: list[SourceLine], dropped: list[str], unplaced: list[Problem]) -> Notices:
    """Group the lines after the body into notices (a `※` notice cut mid-sentence runs on); keep the flags."""
    groups: list[tuple[str | None, int, list[str]]] = []
    for line in lines:
        text = line.text
        if not text or text.startswith(IMAGE_MARK):
            continue
        kind = _notice_kind(text)
        if kind is None and groups and _cut_mid_sentence(groups[-1]):
            groups[-1][2].append(text)  # a notice cut for the phone goes on
        else:
            groups.append((kind, line.number, [text]))
    ai_text, ai_image, pseudonyms = False, None, False
    for kind, number, parts in groups:
        text = "".join(parts)
        if kind is None:
            kind = _notice_kind(text)
        if kind is None:
            unplaced.append(Problem(path, number, "import",
                                    _("{text!r} after the body is not a notice the importer knows; it was "
                                      "left out (add it to the body by hand if it belongs to the article)").format(
                                        text=text[:60]), "warning"))
            continue
        if kind == "AI image notice":
            model = _IMAGE_MODEL.search(text)
            ai_image = model["model"].strip(" 「」\"'") if model else None
            if not ai_image:
                unplaced.append(Problem(path, number, "import", _("the AI image notice names no model; set "
                                                                  "`ai: {image: \"<model>\"}` by hand"), "warning"))
        elif kind == "AI text notice":
            ai_text = True
        elif kind == "pseudonym notice":
            pseudonyms = True
        if kind not in dropped:
            dropped.append(kind)
    return Notices(ai_text=ai_text, ai_image=ai_image, pseudonyms=pseudonyms)
