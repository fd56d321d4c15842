"""`codeclosure`: the publisher files an output depends on, for the keys of the PDFs and the cards."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.codeclosure import _imports, code_version_of, imported_files
from support import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "publisher"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


@pytest.fixture
def package(tmp_path: Path) -> Path:
    root = tmp_path / "pkg"
    _write(root, {
        "__init__.py": '"""A package."""\n',
        "a.py": "from .b import x\n\n\ndef later():\n    from .c.d import y  # lazy\n    return y\n",
        "b.py": "x = 1\n",
        "c/__init__.py": "",
        "c/d.py": "import json\ny = json\n",
        "e.py": "import pkg.b as alias, os\n",
        "f.py": "from .g import (\n    h,\n    i,\n)\nfrom . import b\n",
        "g.py": "h = i = 2\n",
        "unused.py": "from .b import x\n",
    })
    return root


def _names(root: Path, files: set[Path]) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in files)


def test_imports_are_followed_down_lazy_ones_and_package_inits_included(package):
    assert _names(package, imported_files(("pkg.a",), package)) == [
        "__init__.py", "a.py", "b.py", "c/__init__.py", "c/d.py"]
    assert _names(package, imported_files(("pkg.e",), package)) == ["__init__.py", "b.py", "e.py"]
    assert _names(package, imported_files(("pkg.f",), package)) == ["__init__.py", "b.py", "f.py", "g.py"]


def test_a_package_stands_for_all_its_modules(package):
    assert _names(package, imported_files(("pkg.c",), package)) == ["__init__.py", "c/__init__.py", "c/d.py"]


def test_a_name_that_is_not_a_module_of_the_package_is_an_error(package):
    with pytest.raises(ValueError, match="pkg.nothing"):
        imported_files(("pkg.nothing",), package)


def test_the_pattern_finds_every_import_pythons_parser_finds_in_publisher():
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        here = module if path.name == "__init__.py" else module.rpartition(".")[0]
        parsed: set[str] = set()
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.Import):
                parsed |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(here.split(".")[:len(here.split(".")) - node.level + 1] + ([base] if base else []))
                parsed.add(base)
                parsed |= {f"{base}.{alias.name}" for alias in node.names}
        parsed = {name for name in parsed if name == "publisher" or name.startswith("publisher.")}
        assert parsed <= set(_imports(path, module, "publisher")), path


def test_the_pdfs_depend_on_the_rendering_code_and_not_on_the_search_preview_or_deploy():
    files = _names(PACKAGE, imported_files(("publisher.pdf",), PACKAGE))
    for needed in ("pdf/render.py", "pdf/fontfiles.py", "markdown/parser.py", "content/loader.py",
                   "config/__init__.py", "typography.py", "site/templates.py", "cache.py"):
        assert needed in files, needed
    assert not [name for name in files if name.startswith(("search/", "preview/", "deploy/", "cli/", "translation/"))]
    assert "site/build.py" not in files and "site/cards.py" not in files
    assert code_version_of("publisher.pdf") != code_version_of("publisher.site.cards")


def test_every_module_loaded_to_make_a_pdf_is_in_its_closure():
    """Whatever import statement the pattern could miss, the modules a real PDF render loads are there."""
    script = (
        "import json, sys\nfrom pathlib import Path\n"
        "from datetime import datetime, timezone\n"
        "from publisher.config import load_config\n"
        "from publisher.content import load_site\n"
        "from publisher.pdf.render import render_article_pdf\n"
        f"config = load_config(Path({str(REPO_ROOT / 'publisher.toml')!r}))\n"
        "site = load_site(config).site\n"
        "article = site.articles[0]\n"
        "render_article_pdf(config, site, article, article.documents[0].lang,"
        " now=datetime(2026, 1, 10, tzinfo=timezone.utc))\n"
        "print(json.dumps(sorted(name for name in sys.modules if name.split('.')[0] == 'publisher')))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    closure = imported_files(("publisher.pdf",), PACKAGE)
    for name in loaded:
        relative = Path(*name.split(".")[1:])
        candidates = {PACKAGE / relative / "__init__.py", (PACKAGE / relative).with_suffix(".py")}
        assert candidates & closure, f"{name} is loaded to make a PDF but not in the PDFs' code version"
