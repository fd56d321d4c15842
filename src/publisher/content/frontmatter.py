"""Reading and writing one Markdown file's frontmatter.

Reading: bytes -> frontmatter mapping with line numbers + body.
python-frontmatter finds the `---` block; PyYAML's node tree gives each
field's line, so every message can point at `ja.md:7`. Dates and times are
left as text here (PyYAML would otherwise raise on `2025-02-30` with no
line), and parsed with precise messages by the loader.

Writing: `document_text` is the one YAML style of every file publisher
creates (`publish new`, `import`, `draft`, `translate`): fields in the order
given, text as written (no `\\u` escapes), lists and small mappings in flow
style (`tags: [a, b]`, `ai: {text: true}`), and one line per value, never
folded, so a field is one line in diffs and in messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from ..errors import Problem
from ..limits import UnsafeFile, read_bounded
from ..i18n import _


#: libyaml's parser where PyYAML was built with it (about five times faster).
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextTimestampLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps YAML timestamps as the text the writer typed."""


_TextTimestampLoader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node),
)


#: Wide enough that PyYAML never folds a value onto a second line.
_NO_FOLDING = 10_000


def dump_yaml(value: Any, *, flow: bool | None = None) -> str:
    """`value` as YAML in the house style; `flow` as PyYAML's `default_flow_style` (None: flow style for
    collections of plain values only)."""
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=_NO_FOLDING)


def frontmatter_text(fields: Mapping[str, Any], hints: str = "") -> str:
    """The frontmatter block: `---`, the fields, `hints` (YAML comment lines, as given), `---` (no line end
    after the closing `---`)."""
    # One field a line, whatever the others are: lists and tables of plain values in flow style
    # (`tags: [物流, 上海]`), so a scalar-only header is never one `{title: …, date: …}` line.
    lines = "".join(dump_yaml({key: value}, flow=None if isinstance(value, (list, dict)) else False)
                    for key, value in fields.items())
    return f"---\n{lines}{hints}---"


def document_text(fields: Mapping[str, Any], body: str, hints: str = "") -> str:
    """A whole Markdown file: the frontmatter block (with `hints`), an empty line, then `body` as given."""
    return f"{frontmatter_text(fields, hints)}\n\n{body}"


@dataclass(frozen=True)
class RawDocument:
    """A Markdown file split into frontmatter and body, before validation."""

    path: Path
    fields: dict[str, Any]
    """Frontmatter values (timestamps still as strings)."""
    field_lines: dict[str, int]
    """1-based line of each top-level frontmatter key in the file."""
    body: str
    body_line: int
    """1-based line where the body starts."""
    frontmatter_line: int
    """1-based line of the opening `---` (1), for problems about the block itself."""


def read_document(path: Path) -> tuple[RawDocument | None, list[Problem]]:
    """Read `path`; on failure return None and the problems that say why."""
    try:
        data = read_bounded(path)
    except OSError as exc:
        return None, [Problem(path, None, "file", _("cannot read the file ({strerror}); check its permissions").format(
                                                      strerror=exc.strerror))]
    except UnsafeFile as exc:
        return None, [Problem(path, None, "file", f"{exc}")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, "encoding",
                              _("the file is not UTF-8 (byte {byte:#04x}); re-save it as UTF-8").format(byte=data[exc.start]))]
    if text.startswith("\ufeff"):
        text = text[1:]

    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        return None, [Problem(path, 1, "frontmatter",
                              _("the file has no frontmatter; start it with a `---` line, the fields (at "
                                "least `title:`), and a closing `---` line"))]
    try:
        raw_yaml, body = handler.split(text)
    except ValueError:
        return None, [Problem(path, 1, "frontmatter", _("the frontmatter is not closed; add a `---` line "
                                                        "after the fields"))]

    # `split` drops the newline ending the opening `---` but keeps the one
    # after it, so YAML line 0 is the opening delimiter's line.
    yaml_start = 1
    try:
        node = yaml.compose(raw_yaml, Loader=_TextTimestampLoader)
        fields = yaml.load(raw_yaml, Loader=_TextTimestampLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        return None, [_full_width_colon(path, raw_yaml, yaml_start)
                      or _yaml_problem(path, exc, yaml_start, last_line=yaml_start + raw_yaml.count("\n") - 1)]
    except RecursionError:
        return None, [Problem(path, yaml_start, "frontmatter", _("the frontmatter is nested too deeply (lists or "
                              "mappings inside each other hundreds of times); write plain `field: value` lines"))]
    if fields is None:
        fields = {}
    if not isinstance(fields, dict) or not isinstance(node, (yaml.MappingNode, type(None))):
        return None, [_full_width_colon(path, raw_yaml, yaml_start) or Problem(path, yaml_start, "frontmatter",
                      _("the frontmatter must be `field: value` lines, not a list or a single value"))]
    field_lines: dict[str, int] = {}
    if node is not None:
        for key_node, _value in node.value:
            field_lines.setdefault(str(key_node.value), yaml_start + key_node.start_mark.line)
        twice = _keys_set_twice(path, node, yaml_start)
        if twice:  # YAML would keep the last value silently: `status: draft` above `status: published`
            return None, twice

    body_line = _body_start_line(text)
    leading_newlines = len(body) - len(body.lstrip("\n"))
    body = body[leading_newlines:]
    body_line += leading_newlines
    return RawDocument(
        path=path,
        fields={str(k): v for k, v in fields.items()},
        field_lines=field_lines,
        body=body,
        body_line=body_line,
        frontmatter_line=1,
    ), []


def _keys_set_twice(path: Path, node: yaml.MappingNode, yaml_start: int) -> list[Problem]:
    """A problem at each key set again in the same mapping (at any depth: `ai:` holds one), naming where it
    was set first. A loop, not recursion: YAML allows mappings nested deeper than Python's call stack."""
    problems: list[Problem] = []
    mappings: list[tuple[str, yaml.MappingNode]] = [("", node)]
    while mappings:
        prefix, mapping = mappings.pop()
        first: dict[str, int] = {}
        for key_node, value_node in mapping.value:
            name, line = f"{prefix}{key_node.value}", yaml_start + key_node.start_mark.line
            if name in first:
                problems.append(Problem(path, line, name, _("is set twice (also on line {line}); keep the value "
                                                            "you mean and delete the other line").format(
                                                              line=first[name])))
            first.setdefault(name, line)
            if isinstance(value_node, yaml.MappingNode):
                mappings.append((f"{name}.", value_node))
    return sorted(problems, key=lambda problem: problem.line or 0)


_FULL_WIDTH_KEY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*：\s*(.*)$")


def _full_width_colon(path: Path, raw_yaml: str, yaml_start: int) -> Problem | None:
    """`title：…` (an IME's full-width colon after a key) named as what it is, not as invalid YAML."""
    for index, line in enumerate(raw_yaml.split("\n")):
        match = _FULL_WIDTH_KEY.match(line)
        if match:
            key, value = match.groups()
            return Problem(path, yaml_start + index, key,
                           _("`{key}：` has a full-width colon `：` after the field name; type a half-width colon "
                             "and a space: `{key}: {value}`").format(key=key, value=value))
    return None


def _yaml_problem(path: Path, exc: yaml.YAMLError, yaml_start: int, last_line: int) -> Problem:
    """Point at the line PyYAML blames, and at where the unfinished construct began."""
    mark = getattr(exc, "problem_mark", None)
    line = min(yaml_start + mark.line, last_line) if mark is not None else 1
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    started = ""
    if context and context_mark is not None and yaml_start + context_mark.line != line:
        started = _(", {context} started on line {line}").format(
                      context=context, line=yaml_start + context_mark.line)
    return Problem(path, line, "frontmatter",
                   _("invalid YAML ({reason}{started}); check indentation, colons, brackets and quotes "
                     "(quote values that contain `: ` or start with `[` or `{{`)").format(
                       reason=reason, started=started))


def _body_start_line(text: str) -> int:
    """1-based line just after the closing `---` of the frontmatter."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if frontmatter.YAMLHandler.FM_BOUNDARY.match(lines[index]):
            return index + 2
    return len(lines) + 1
