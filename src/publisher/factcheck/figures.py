"""Figures in Japanese and Chinese text, normalised so that differently written equal figures compare equal.

`9.6万社`, `96,000社` and `９万６千社` are all 96000; `12.5％` and `12.5%` are 12.5; `2025年12月5日`,
`2025.12.05` and `2025/12/5` are the date 2025-12-05; `令和7年` is 2025; `’15年` is 2015. A prefix such as
`約` or `およそ` (or a suffix such as `程度`, `超`, `余り`) marks a figure as approximate: it then matches any
source figure that rounds to it (`約2,400億円` matches `2,374億円`). A range (`3〜5万社`, `2000-2019年`) is
one figure with two values; the unit of the second end applies to the first (`3〜5万` is 30000 to 50000).
Kanji numerals (`三`, `二十`) are not read: business articles write figures in digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: One character for one, so offsets in the folded text are offsets in the original.
_FOLD = str.maketrans("０１２３４５６７８９，．％－〜～：／", "0123456789,.%-~~:/")

MULTIPLIERS = {"兆": Decimal(10) ** 12, "億": Decimal(10) ** 8, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4,
                "萬": Decimal(10) ** 4, "千": Decimal(1000), "百万": Decimal(10) ** 6, "千万": Decimal(10) ** 7}
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
_APPROX_BEFORE = ("約", "およそ", "凡そ", "ほぼ", "概ね", "おおむね", "约", "大约", "近", "将近", "approximately",
                  "about", "around", "roughly")
_APPROX_AFTER = ("程度", "前後", "余り", "あまり", "近く", "超", "強", "弱", "余", "多", "左右", "以上", "以下", "未満")

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = r"(?:百万|千万|兆|億|亿|万|萬|千)"
_AMOUNT = rf"(?:(?:{_NUMBER}){_MULT})+(?:{_NUMBER})?|(?:{_NUMBER})"
_ERA = r"(?:令和|平成|昭和)(?:\d{1,2}|元)年"
_SHORT_YEAR = r"[’'‘]\d{2}(?!\d)"
_DATE_JA = r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日"
_DATE_DOTS = r"(?<![\d.])\d{4}[./-]\d{1,2}[./-]\d{1,2}(?![\d.])"
_RANGE_SEP = r"\s?[~\-–—]\s?|から|至|到"
_TOKEN = re.compile(
    rf"(?P<date>{_DATE_JA}|{_DATE_DOTS})"
    rf"|(?P<era>{_ERA})"
    rf"|(?P<short>{_SHORT_YEAR})"
    rf"|(?P<first>{_AMOUNT})(?P<first_pct>%)?(?:(?P<sep>{_RANGE_SEP})(?P<second>{_AMOUNT})(?P<second_pct>%)?)?")
_AMOUNT_PART = re.compile(rf"({_NUMBER})({_MULT})?")


@dataclass(frozen=True)
class Figure:
    """One figure found in a text."""

    text: str
    """As written, with its counter or unit (`9.6万社`, `12.5％`, `2025年12月5日`)."""
    start: int
    """Offset of `text` in the text searched."""
    end: int
    """Offset just after it (after the unit)."""
    values: tuple[str, ...]
    """Normalised values: one, or two for a range (`96000`, `12.5`, `2025-12-05`, `2025-12`, `--12-05`)."""
    approximate: bool = False
    """Written with `約`, `およそ`, `程度` ...: matches source figures that round to it."""
    precision: str = "0"
    """For an approximate number: the place of its last significant digit (`約2,400億` -> 10000000000)."""
    unit: str = ""
    """What follows the number (`%`, `社`, `億円`, `年`, `カ所`), for display."""

    @property
    def value(self) -> str:
        """The normalised value; a range as `low~high`."""
        return "~".join(self.values)


def fold(text: str) -> str:
    """Full-width digits and signs to ASCII, one character for one."""
    return text.translate(_FOLD)


def number_text(value: Decimal) -> str:
    """`96000`, `12.5`: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _amount(text: str) -> tuple[Decimal, Decimal] | None:
    """`1兆1,500億` -> (1150000000000, precision 100000000000); None when it is not a number."""
    total = Decimal(0)
    precision = Decimal(1)
    position = 0
    for match in _AMOUNT_PART.finditer(text):
        if match.start() != position:
            return None
        position = match.end()
        digits = match.group(1).replace(",", "")
        try:
            number = Decimal(digits)
        except InvalidOperation:
            return None
        scale = MULTIPLIERS.get(match.group(2) or "", Decimal(1))
        total += number * scale
        if "." in digits:
            places = len(digits.split(".")[1])
            precision = scale / (Decimal(10) ** places)
        else:
            stripped = digits.rstrip("0")
            zeros = len(digits) - len(stripped) if stripped else 0
            precision = scale * (Decimal(10) ** zeros)
    return (total, precision) if position == len(text) else None


def _date_values(text: str) -> tuple[str, ...]:
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if "年" in text or len(numbers) == 3 and numbers[0] > 31:
        if len(numbers) == 3:
            return (f"{numbers[0]:04d}-{numbers[1]:02d}-{numbers[2]:02d}",)
        return (f"{numbers[0]:04d}-{numbers[1]:02d}",)
    return (f"--{numbers[0]:02d}-{numbers[1]:02d}",)


def extract_figures(text: str) -> list[Figure]:
    """Every figure in `text`, in order."""
    folded = fold(text)
    figures: list[Figure] = []
    for match in _TOKEN.finditer(folded):
        start, end = match.span()
        if match.group("date"):
            values = _date_values(match.group("date"))
            figures.append(Figure(text[start:end], start, end, values, unit="date"))
            continue
        if match.group("era"):
            era = match.group("era")
            year = era[2:-1]
            values = (str(_ERAS[era[:2]] + (1 if year == "元" else int(year))),)
            figures.append(Figure(text[start:end], start, end, values, unit="年"))
            continue
        if match.group("short"):
            two = int(match.group("short")[1:])
            figures.append(Figure(text[start:end], start, end, (str((2000 if two <= 40 else 1900) + two),), unit="年"))
            continue
        if _ignored(folded, match):
            continue
        first = _amount(match.group("first"))
        if first is None:
            continue
        second = _amount(match.group("second")) if match.group("second") else None
        if match.group("sep") and second is None:
            end = match.end("first_pct") if match.group("first_pct") else match.end("first")
        if second is not None and _year_pair(match) is None and not _plausible_range(first[0], second[0]):
            second, end = None, (match.end("first_pct") if match.group("first_pct") else match.end("first"))
        if second is not None:
            second_mult = re.search(rf"{_MULT}$", match.group("second"))
            if second_mult and not re.search(_MULT, match.group("first")):
                scale = MULTIPLIERS[second_mult.group(0)]
                first = (first[0] * scale, first[1] * scale)
        values = tuple(number_text(v[0]) for v in ((first, second) if second is not None else (first,)))
        approximate = _is_approximate(folded, start, end)
        unit = "%" if folded[end - 1] == "%" else _unit_after(folded, end)
        shown_end = end if unit == "%" else end + len(unit)
        figures.append(Figure(text[start:shown_end], start, shown_end, values, approximate,
                              number_text(first[1]), unit))
    return figures


def _year_pair(match: re.Match[str]) -> tuple[int, int] | None:
    a, b = match.group("first"), match.group("second")
    if re.fullmatch(r"\d{4}", a) and re.fullmatch(r"\d{4}", b) and int(b) > int(a):
        return int(a), int(b)
    return None


def _plausible_range(low: Decimal, high: Decimal) -> bool:
    """`3-5`, `10~20`: a range goes up; `2025-12` is a year and a month, and is not read as one."""
    return high > low


_ORDINAL_AFTER = r"に|章|節|部|条|項|の|回|位|次|期|世代|代|号|弾|版|届|批|款"


def _ignored(folded: str, match: re.Match[str]) -> bool:
    """Numbers that are names, not figures: `G96`, `COVID-19`, `5G`, `3D`, `第1に`, `2つの`."""
    start, end = match.span()
    before = folded[start - 1] if start else ""
    after = folded[end:end + 2]
    if before.isascii() and before.isalpha():
        return True
    if before == "-" and start >= 2 and folded[start - 2].isascii() and folded[start - 2].isalpha():
        return True
    if re.match(r"[A-Z](?![A-Za-z])", after) and re.fullmatch(r"\d{1,2}", match.group(0)):
        return True  # 5G, 3D, 4K
    value = match.group(0)
    if before == "第" and re.match(_ORDINAL_AFTER, folded[end:end + 2]):
        return True  # 第3世代, 第14次, 第2期: a name or a rank, not a quantity
    if re.fullmatch(r"\d", value) or re.fullmatch(r"10", value):
        if after[:1] in ("つ", "个", "個") :
            return True
    return False


def _is_approximate(folded: str, start: int, end: int) -> bool:
    before = folded[max(0, start - 14):start].rstrip()
    after = folded[end:end + 6]
    after = re.sub(r"^[^\s、。,.]{0,3}?(?=程度|前後|余り|あまり|近く|超|強|弱|余|多|左右|以上|以下|未満)", "", after)
    return before.endswith(_APPROX_BEFORE) or after.startswith(_APPROX_AFTER)


def _unit_after(folded: str, end: int) -> str:
    match = re.match(r"[かヵヶケ](?:月|所|国|年|国語)|[^\s\d、。,.()（）「」:;・/|~\-–—ぁ-ゖ]{0,3}", folded[end:])
    return match.group(0) if match else ""
