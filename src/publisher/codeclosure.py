"""The hash of the publisher source files one kind of output depends on.

`cache.code_version()` hashes every source file, so any upgrade of publisher makes every cached output
stale. For pages that is cheap; for the outputs that take long to make again it is not: at 1,000
articles the PDFs take about a quarter of an hour, the social cards and image variants half a minute
of CPU. Their cache keys use `code_version_of(feature)` instead: the files the feature's modules
import, followed down from its package through every import statement (imports inside functions
included, as import-linter counts them). An upgrade that changes only the search, the preview or the
deploy code, say, keeps every PDF.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_PACKAGE = __name__.rpartition(".")[0]


@lru_cache(maxsize=None)
def code_version_of(*roots: str) -> str:
    """Hash of the source files the modules or packages `roots` (`publisher.pdf`) import, theirs included."""
    package_dir = _PACKAGE_DIR
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(imported_files(roots, package_dir)):
        data = path.read_bytes()
        h.update(f"{path.relative_to(package_dir).as_posix()}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def imported_files(roots: tuple[str, ...], package_dir: Path) -> set[Path]:
    """The source files of `roots` (a package stands for all its modules) and of every module of the
    package in `package_dir` they import, directly or not, with the `__init__.py` of each package on
    the way (importing a module runs them)."""
    package = package_dir.name
    todo: list[str] = []
    for root in roots:
        path = _source(root, package_dir)
        if path is None:
            raise ValueError(f"{root} is not a module of {package}")
        todo.append(root)
        if path.name == "__init__.py":
            todo += [_module_name(child, package_dir) for child in path.parent.rglob("*.py")]
    seen: set[str] = set()
    files: set[Path] = set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = _source(module, package_dir)
        if path is None:
            continue
        files.add(path)
        parts = module.split(".")
        todo += [".".join(parts[:end]) for end in range(1, len(parts))]
        todo += _imports(path, module, package)
    return files


_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+(?P<base>\.*[\w.]*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n#]*)"
    rb"|import[ \t]+(?P<modules>[^\n#]*))", re.M)
"""Import statements, at any indentation (imports inside functions count). Read with a pattern, not
parsed: 0.1 s a build less for the PDFs' 57 files. A statement the pattern reads that is not one (in a
string) can only add a file to a closure, never leave one out; a test checks it finds every import
Python's parser finds in publisher."""


def _imports(path: Path, module: str, package: str) -> list[str]:
    """The names `path` imports from `package`, as modules or as `module.attribute` (either may be a module)."""
    here = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: list[str] = []
    for match in _IMPORT.finditer(path.read_bytes()):
        if match["modules"] is not None:
            names += [item.split()[0] for item in match["modules"].decode().split(",") if item.strip()]
            continue
        base = match["base"].decode()
        level = len(base) - len(base.lstrip("."))
        if level:
            base_parts = here.split(".")[:len(here.split(".")) - level + 1]
            base = ".".join(base_parts + ([base[level:]] if base[level:] else []))
        names.append(base)
        listed = match["names"].decode().strip("()").replace("\\", " ")
        names += [f"{base}.{item.split()[0]}" for item in listed.split(",") if item.strip()]
    return [name for name in names if name == package or name.startswith(package + ".")]


def _source(module: str, package_dir: Path) -> Path | None:
    """The file of `module` (`publisher.pdf.render`), or None when it names no module of the package."""
    relative = module.split(".")[1:]
    folder = package_dir.joinpath(*relative)
    if (folder / "__init__.py").is_file():
        return folder / "__init__.py"
    if relative and folder.with_suffix(".py").is_file():
        return folder.with_suffix(".py")
    return None


def _module_name(path: Path, package_dir: Path) -> str:
    parts = list(path.relative_to(package_dir).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package_dir.name, *parts])
