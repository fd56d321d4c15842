"""Finding `publisher.toml`, pointing at a line of it, and the glossary words the typography keeps whole:
the file work of the configuration, apart from the schema in `site.py`."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import ConfigError
from ..i18n import _
from ..limits import UnsafeFile, inside, read_bounded

CONFIG_FILENAME = "publisher.toml"


def find_config(start: Path) -> Path:
    """The `publisher.toml` in `start` or the nearest folder above it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILENAME
        if candidate.is_file():
            return candidate
    raise ConfigError(
        (),
        _("no {file} in {start} or any folder above it: run publish from the site's folder or "
          "pass --config PATH").format(file=CONFIG_FILENAME, start=start),
    )


def line_of(text: str, section: str | None, key: str | None) -> int | None:
    """Best-effort line number of `key` inside `[section]`, for messages (also those of [llm], read on demand)."""
    lines = text.splitlines()
    in_section = section is None
    header = re.compile(r"^\s*\[\s*" + re.escape(section) + r"\s*\]\s*(#.*)?$") if section else None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            if header is not None and header.match(line):
                if key is None:
                    return number
                in_section = True
                continue
            if in_section and section is not None:
                in_section = False
            continue
        if in_section and key is not None and re.match(r"^" + re.escape(key) + r"\s*=", stripped):
            return number
    return None


def glossary_words(path: Path, code: str) -> list[str]:
    """This language's column of `glossary.csv` (terms are never broken across lines); the translation
    commands validate the file, so a file they would reject gives no words here rather than an error."""
    if not path.exists() or not inside(path, path.parent):  # nothing from outside the site is published
        return []
    try:
        text = read_bounded(path).decode("utf-8")
        return [row[code].strip() for row in csv.DictReader(io.StringIO(text, newline=""))
                if (row.get(code) or "").strip()]
    except (OSError, UnsafeFile, UnicodeDecodeError, csv.Error, KeyError):
        return []
