"""Change a few frontmatter fields of a Markdown file without rewriting the rest of it.

Writers format their headers by hand (comments, key order, flow or block
lists, quoting). Dumping the whole header again with PyYAML would throw all
of that away, so only the lines of the keys being set are replaced, in
place; new keys go after the previous key being set (so `hero_alt` lands
under `hero`), else at the end of the header. The result is parsed again
and must give exactly the old fields with the new values, or nothing is
returned (and so nothing is written).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..errors import PublisherError
from .frontmatter import dump_yaml
from ..i18n import _

_BOUNDARY = re.compile(r"^-{3,}\s*$")
_FILLER = re.compile(r"^\s*(#.*)?$")


def set_fields(text: str, updates: Mapping[str, Any], path: Path) -> str:
    """`text` (a whole Markdown file) with the top-level frontmatter `updates` set, everything else as it was.

    A mapping value (such as `ai`) replaces the key's whole value; pass the
    merged mapping to keep its other keys. Raises `PublisherError` naming
    `path` when the header cannot be edited safely.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text[len(bom):].splitlines(keepends=True)
    if not lines or not _BOUNDARY.match(lines[0]):
        raise PublisherError(_("{path}: the file has no frontmatter (`---` on the first line); fix the file "
                               "first").format(path=path))
    close = next((i for i in range(1, len(lines)) if _BOUNDARY.match(lines[i])), None)
    if close is None:
        raise PublisherError(_("{path}: the frontmatter is not closed by a `---` line; fix the file first").format(
                                 path=path))
    header = lines[1:close]
    old_fields = _parse(header, path)
    node = yaml.compose("".join(header), Loader=yaml.SafeLoader)
    spans = _spans(node.value if node is not None else [], len(header), header)

    replaced: dict[int, tuple[int, list[str]]] = {}  # start line -> (end line, new lines)
    inserted: dict[int, list[str]] = {}  # insert before this line -> new lines
    anchor: int | None = None
    for key, value in updates.items():
        if key not in spans:
            position = anchor if anchor is not None else len(header)
            inserted.setdefault(position, []).extend(_dump(key, value, block_style=False))
            anchor = position
            continue
        start, end, value_node = spans[key]
        anchor = end
        old_value = old_fields.get(key)
        if (isinstance(value_node, yaml.MappingNode) and not value_node.flow_style and value_node.value
                and isinstance(value, dict) and value and isinstance(old_value, dict)):
            _edit_nested(header, value_node, end, old_value, value, replaced, inserted)
            continue
        block = isinstance(value_node, (yaml.MappingNode, yaml.SequenceNode)) and not value_node.flow_style
        replaced[start] = (end, _dump(key, value, block_style=block))

    new_header: list[str] = []
    line = 0
    while line <= len(header):
        new_header.extend(inserted.get(line, []))
        if line == len(header):
            break
        if line in replaced:
            end, new_lines = replaced[line]
            new_header.extend(new_lines)
            line = end
        else:
            new_header.append(header[line])
            line += 1
    if new_header and not new_header[-1].endswith("\n"):
        new_header[-1] += "\n"

    expected = {**old_fields, **{k: _roundtrip(v) for k, v in updates.items()}}
    if _parse(new_header, path) != expected:
        raise PublisherError(_("{path}: the frontmatter could not be changed safely (its layout is unusual); "
                               "set {items} by hand").format(path=path, items=', '.join(updates)))
    return bom + lines[0] + "".join(new_header) + "".join(lines[close:])


def _spans(entries: list, limit: int, header: list[str]) -> dict[str, tuple[int, int, yaml.Node]]:
    """Each key's lines `[start, end)`; comments and blank lines before the next key are not part of it."""
    spans: dict[str, tuple[int, int, yaml.Node]] = {}
    for index, (key_node, value_node) in enumerate(entries):
        start = key_node.start_mark.line
        end = entries[index + 1][0].start_mark.line if index + 1 < len(entries) else limit
        while end > start + 1 and _FILLER.match(header[end - 1]):
            end -= 1
        spans[str(key_node.value)] = (start, end, value_node)
    return spans


def _edit_nested(header: list[str], mapping: yaml.MappingNode, end: int, old: dict[str, Any], new: dict[str, Any],
                 replaced: dict[int, tuple[int, list[str]]], inserted: dict[int, list[str]]) -> None:
    """Set keys inside a block mapping (`ai:` + indented lines) line by line, keeping its comments."""
    spans = _spans(mapping.value, end, header)
    indent = " " * mapping.value[0][0].start_mark.column
    last = max(span_end for _start, span_end, _node in spans.values())
    for key, value in new.items():
        if key in spans:
            if key in old and old[key] == _roundtrip(value):
                continue
            start, span_end, node = spans[key]
            block = isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style
            replaced[start] = (span_end, [indent + line for line in _dump(key, value, block_style=block)])
        else:
            inserted.setdefault(last, []).extend(indent + line for line in _dump(key, value, block_style=False))
    for key, (start, span_end, _node) in spans.items():
        if key not in new:
            replaced[start] = (span_end, [])


def _dump(key: str, value: Any, *, block_style: bool) -> list[str]:
    """`key: value` lines; a list or mapping in flow style (`[a, b]`, `{text: true}`) unless it was in block style."""
    if isinstance(value, (dict, list)) and value and not block_style:
        inner = dump_yaml(value, flow=True)
        key_text = dump_yaml({key: None}, flow=False).split(":")[0]
        return [f"{key_text}: {inner.strip()}\n"]
    dumped = dump_yaml({key: value}, flow=False)
    return dumped.splitlines(keepends=True)


def _roundtrip(value: Any) -> Any:
    return yaml.safe_load(yaml.safe_dump(value, allow_unicode=True))


def _parse(header: list[str], path: Path) -> dict[str, Any]:
    try:
        fields = yaml.safe_load("".join(header))
    except yaml.YAMLError as exc:
        raise PublisherError(_("{path}: the frontmatter is not valid YAML ({reason}); run `publish "
                               "check` and fix it first").format(path=path, reason=str(exc).splitlines()[0])) from None
    if fields is None:
        return {}
    if not isinstance(fields, dict):
        raise PublisherError(_("{path}: the frontmatter must be `field: value` lines; fix it first").format(
                                 path=path))
    return fields
