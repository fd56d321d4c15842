"""One error base class, and the `Problem` record that `publish check` prints.

Every message says what is wrong *and* how to fix it. Library code raises
`PublisherError` (or a subclass); the CLI turns it into a message and an exit
code, never a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .i18n import _


class PublisherError(Exception):
    """Base class of every error the CLI reports as a message."""


class ProblemsError(PublisherError):
    """Several located problems at once; `problems` lists them all."""

    def __init__(self, problems: tuple["Problem", ...], message: str | None = None):
        self.problems = tuple(problems)
        super().__init__(message or _("{count} problem(s) found").format(count=len(self.problems)))

    def __reduce__(self):
        """Rebuilt with its problems when it crosses a process boundary (raised in a build's worker)."""
        return self.__class__, (self.problems, str(self))


class ConfigError(ProblemsError):
    """`publisher.toml` is missing or invalid."""


class BuildRefused(ProblemsError):
    """`publish build` will not build a site whose content has errors."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located as precisely as we can."""

    path: Path
    """The file the problem is in (relative to the site root when printed)."""
    line: int | None
    """1-based line of the offending field or text, or None when the whole file is at fault."""
    field: str
    """The frontmatter field, config key or other element at fault (e.g. `date`, `site.timezone`)."""
    message: str
    """What is wrong and how to fix it, as one sentence or two."""
    severity: Literal["error", "warning", "info"] = "error"
    """Errors stop a build; warnings are printed and the build goes on; information is only printed."""

    def format(self, root: Path | None = None) -> str:
        """`path:line: field: message` (the form editors and CI annotate)."""
        path = printable(shown_path(self.path, root))
        where = f"{path}:{self.line}" if self.line else f"{path}"
        field, message = printable(self.field), printable(self.message)
        if self.severity == "warning":
            return _("{where}: {field}: warning: {message}").format(where=where, field=field, message=message)
        if self.severity == "info":
            return _("{where}: {field}: info: {message}").format(where=where, field=field, message=message)
        return f"{where}: {field}: {message}"


def printable(text: str) -> str:
    """`text` safe to print as one line: bytes that were not UTF-8 and control characters escaped
    (a folder name with a newline must not split a message in two)."""
    if text.isprintable() and text.isascii():
        return text
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (kept by surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 32 or code == 127 or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def shown_path(path: Path, root: Path | None = None) -> str:
    """`path` as a person reads it in a message: relative to `root` (the site or the current folder)
    when it lies inside it, else as it is."""
    if root is not None:
        base = root.resolve()
        for candidate in (Path(os.path.abspath(path)), path.resolve()):  # a symlink is named, not its target
            try:
                return str(candidate.relative_to(base))
            except ValueError:
                pass
    return str(path)
