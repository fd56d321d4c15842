"""Font files of a PDF cut down to the glyphs it shows (a WeasyPrint finisher).

WeasyPrint subsets each face but keeps every glyph's place (HarfBuzz's
`RETAIN_GIDS`), because its text is written with the face's glyph ids as
CIDs. A Noto CJK face has about 65,000 glyphs, so each embedded subset still
carries 65,000 (mostly empty) entries: 0.3-0.9 MB per face before
compression, four faces per article, about 90 % of a PDF's bytes.

In a CID-keyed CFF font the glyphs are found through the font's charset
(CID -> glyph), not by position (PDF 2.0, 9.7.4.2). In Noto CJK a glyph's CID
is its position, and HarfBuzz's subsetter keeps each glyph's CID in the
charset, so the glyphs the PDF uses can be packed together and every CID
written in the pages still finds its glyph. The font is embedded as bare
CFF (`/CIDFontType0C`), the form where every reader looks glyphs up by CID.
Any other font (TrueType, name-keyed CFF, a charset whose CIDs are not the
positions) is left as WeasyPrint wrote it: there a glyph is found by its
position, and positions must stay.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

#: The charset and CIDs of a CFF font are set by its Top DICT operator `ROS` (12 30).
_ROS = (12, 30)


def compact_font_files(pdf) -> None:
    """Replace each CID-keyed CFF font file in `pdf` (a `pydyf.PDF` before it is written) by a
    subset holding only the glyphs its fonts' `/W` arrays name.

    Used as WeasyPrint's `finisher`: the objects are complete, nothing is written yet.
    """
    objects = {obj.reference: obj for obj in pdf.objects if hasattr(obj, "reference") and obj.number is not None}
    used: dict[bytes, set[int]] = {}
    for obj in objects.values():
        if isinstance(obj, dict) and obj.get("Subtype") == "/CIDFontType0":
            descriptor = objects.get(obj.get("FontDescriptor"))
            file_reference = descriptor.get("FontFile3") if isinstance(descriptor, dict) else None
            if file_reference in objects:
                used.setdefault(file_reference, {0}).update(_cids_of_widths(obj.get("W") or ()))
    for reference, cids in used.items():
        stream = objects[reference]
        if stream.extra.get("Subtype") != "/OpenType":
            continue
        cff = cid_keyed_subset(b"".join(_as_bytes(part) for part in stream.stream), cids)
        if cff is not None:
            stream.stream = [cff]
            stream.extra["Subtype"] = "/CIDFontType0C"


def cid_keyed_subset(opentype: bytes, cids: Iterable[int]) -> bytes | None:
    """The bare CFF table of `opentype` cut to `cids`, or None when that would change which glyph a
    CID shows (the font must then stay as it is).

    The PDF names glyphs by their position in `opentype`; that position is the CID only in a
    CID-keyed CFF whose charset gives every glyph its own position as CID (Noto CJK, Source Han).
    Both are checked on the font given, and the subset's charset is checked to hold exactly the
    CIDs asked for that the font has, each where the PDF will look for it.
    """
    cff = _table(opentype, b"CFF ")
    charset = _cid_charset(cff) if cff is not None else None
    if charset is None:
        return None
    wanted = sorted({cid for cid in cids if 0 < cid < len(charset)})
    if any(charset[cid] != cid for cid in wanted):
        return None
    import uharfbuzz as hb  # imported here: only PDFs need it

    subset_input = hb.SubsetInput()
    for cid in (0, *wanted):
        subset_input.glyph_set.add(cid)
    subset_input.flags = (hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
                          | hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE)
    try:
        subset = hb.subset(hb.Face(hb.Blob(opentype)), subset_input)
    except RuntimeError:  # HarfBuzz could not subset this font
        return None
    data = bytes(subset.reference_table("CFF ").data)
    return data if _cid_charset(data) == [0, *wanted] else None


def _cids_of_widths(widths) -> set[int]:
    """The CIDs a `/W` array gives widths for: `c [w1 w2 ...]` and `c_first c_last w` runs."""
    cids: set[int] = set()
    items = list(widths)
    position = 0
    while position + 1 < len(items):
        first, second = items[position], items[position + 1]
        if isinstance(second, list):
            cids.update(range(int(first), int(first) + len(second)))
            position += 2
        else:
            cids.update(range(int(first), int(second) + 1))
            position += 3
    return cids


def _as_bytes(part) -> bytes:
    return part if isinstance(part, bytes) else str(part).encode()


def _table(opentype: bytes, tag: bytes) -> bytes | None:
    """One table of an OpenType font (`OTTO` header), or None."""
    if len(opentype) < 12 or opentype[:4] != b"OTTO":
        return None
    (count,) = struct.unpack_from(">H", opentype, 4)
    for entry in range(count):
        at = 12 + 16 * entry
        if at + 16 > len(opentype):
            return None
        name, _checksum, offset, length = struct.unpack_from(">4sLLL", opentype, at)
        if name == tag:
            return opentype[offset:offset + length] if offset + length <= len(opentype) else None
    return None


def _cid_charset(cff: bytes) -> list[int] | None:
    """The CID of each glyph of a CID-keyed CFF table (glyph 0 first), or None when the table is
    not CID-keyed or cannot be read."""
    try:
        _names, after_names = _index(cff, cff[2])
        top_dicts, _after = _index(cff, after_names)
        top = _dict(top_dicts[0]) if top_dicts else {}
        if _ROS not in top or (15,) not in top or (17,) not in top:
            return None
        (glyph_count,) = struct.unpack_from(">H", cff, top[(17,)][-1])
        at = top[(15,)][-1]
        if at < 3 or glyph_count == 0:
            return None
        charset, format_ = [0], cff[at]
        at += 1
        if format_ == 0:
            charset += struct.unpack_from(f">{glyph_count - 1}H", cff, at)
        elif format_ in (1, 2):
            while len(charset) < glyph_count:
                first, left = struct.unpack_from(">HB" if format_ == 1 else ">HH", cff, at)
                at += 3 if format_ == 1 else 4
                charset += range(first, first + left + 1)
        else:
            return None
        return charset if len(charset) == glyph_count else None
    except (IndexError, struct.error, ValueError):
        return None


def _index(data: bytes, at: int) -> tuple[list[bytes], int]:
    """A CFF INDEX at `at`: its items and where the data after it starts."""
    (count,) = struct.unpack_from(">H", data, at)
    if count == 0:
        return [], at + 2
    offset_size = data[at + 2]
    if not 1 <= offset_size <= 4:
        raise ValueError("bad INDEX offset size")
    offsets_at = at + 3
    offsets = [int.from_bytes(data[offsets_at + i * offset_size:offsets_at + (i + 1) * offset_size], "big")
               for i in range(count + 1)]
    base = offsets_at + (count + 1) * offset_size - 1
    items = [data[base + offsets[i]:base + offsets[i + 1]] for i in range(count)]
    return items, base + offsets[-1]


def _dict(data: bytes) -> dict[tuple[int, ...], list[int]]:
    """A CFF DICT: operator (`(12, n)` for two-byte ones) -> its integer operands (reals as 0)."""
    found: dict[tuple[int, ...], list[int]] = {}
    operands: list[int] = []
    position = 0
    while position < len(data):
        byte = data[position]
        if byte <= 21:
            operator = (12, data[position + 1]) if byte == 12 else (byte,)
            found[operator], operands = operands, []
            position += 2 if byte == 12 else 1
        elif byte == 28:
            operands.append(struct.unpack_from(">h", data, position + 1)[0])
            position += 3
        elif byte == 29:
            operands.append(struct.unpack_from(">i", data, position + 1)[0])
            position += 5
        elif byte == 30:  # a real number, in nibbles up to an 0xf nibble; no operator used here needs it
            position += 1
            while (data[position] >> 4) != 0x0F and (data[position] & 0x0F) != 0x0F:
                position += 1
            operands.append(0)
            position += 1
        elif 32 <= byte <= 246:
            operands.append(byte - 139)
            position += 1
        elif 247 <= byte <= 250:
            operands.append((byte - 247) * 256 + data[position + 1] + 108)
            position += 2
        elif 251 <= byte <= 254:
            operands.append(-(byte - 251) * 256 - data[position + 1] - 108)
            position += 2
        else:
            raise ValueError("bad DICT byte")
    return found
