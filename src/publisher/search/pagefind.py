"""Running Pagefind's extended build (PyPI `pagefind[extended]`: a binary in a wheel) over a written site.

The extended build is the one that splits Japanese and Chinese text into
words; the plain one would index a CJK paragraph as one long word. The binary
is the one the installed package ships (`pagefind_bin_extended`), never one
found on PATH. Pagefind reads a `pagefind.yml` from its working folder and
`PAGEFIND_*` variables from the environment: it runs in an empty folder of
its own without them, so nothing outside the site decides what is indexed.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable

from ..errors import PublisherError
from ..i18n import _
from ..parallel import die_with_parent, interrupts_held

BUNDLE_FOLDER = "pagefind"
"""Where the index and Pagefind's UI go in the output (`/pagefind/`)."""

_TIMEOUT_SECONDS = 600


def pagefind_binary() -> Path:
    """The extended Pagefind binary of the installed `pagefind-bin-extended` package."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise PublisherError(_("the site search needs Pagefind's extended build, which is not installed; "
                               "install it with `pip install 'pagefind[extended]'`")) from None
    try:
        return Path(get_executable())
    except (FileNotFoundError, OSError) as exc:
        raise PublisherError(_("the installed Pagefind package has no usable program ({reason}); reinstall it "
                               "with `pip install --force-reinstall 'pagefind[extended]'`").format(
                                 reason=exc)) from None


WORK_PREFIX = "publisher-search-"
"""Pagefind's working folder, empty: it reads a `pagefind.yml` there, and none may decide what is indexed."""


def pagefind_environment() -> dict[str, str]:
    """This process's environment without the `PAGEFIND_*` variables, which Pagefind would read as options."""
    return {key: value for key, value in os.environ.items() if not key.upper().startswith("PAGEFIND")}


def index_site(site_dir: Path) -> dict[str, bytes]:
    """Index every HTML page under `site_dir` (which Pagefind only reads); returns the bundle, index and UI,
    by path in the output (`pagefind/pagefind-ui.js`, ...). One index per `<html lang>` of the pages."""
    return _run(site_dir)


def index_pages(site_dir: Path, pages: Iterable[str]) -> dict[str, bytes]:
    """`index_site` for some of the pages of `site_dir` only (paths in it): one language's, so that an edit
    re-indexes that language alone. They are hard-linked into a folder of their own inside `site_dir`
    (same URLs; inside it, so that a killed build leaves nothing behind its staging folder), removed after."""
    folder = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site_dir))
    try:
        made: set[Path] = set()
        for page in pages:
            target = folder / page
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            try:
                os.link(site_dir / page, target)
            except OSError:
                shutil.copyfile(site_dir / page, target)
        return _run(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(site_dir: Path) -> dict[str, bytes]:
    binary = pagefind_binary()
    environment = pagefind_environment()
    with tempfile.TemporaryDirectory(prefix=WORK_PREFIX) as work:
        bundle = Path(work) / BUNDLE_FOLDER
        command = [str(binary), "--site", str(site_dir), "--output-path", str(bundle), "--silent"]
        try:
            with interrupts_held():  # a fork with a preexec_fn runs Python's fork hooks, where Ctrl-C was lost
                process = subprocess.Popen(command, cwd=work, env=environment, stdin=subprocess.DEVNULL,
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                           errors="replace", preexec_fn=functools.partial(die_with_parent, os.getpid()))
        except OSError as exc:
            raise PublisherError(_("Pagefind ({path}) could not be started: {reason}; reinstall it with "
                                   "`pip install --force-reinstall 'pagefind[extended]'`").format(
                                     path=binary, reason=exc.strerror or exc)) from None
        with process:  # as subprocess.run: killed if this process is interrupted, waited for in any case
            try:
                stdout, stderr = process.communicate(timeout=_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                raise PublisherError(_("Pagefind did not finish indexing the site in {seconds} seconds; the "
                                       "previous site is still in place; build again").format(
                                         seconds=_TIMEOUT_SECONDS)) from None
            except BaseException:
                process.kill()
                raise
        if process.returncode != 0 or not (bundle / "pagefind-ui.js").is_file():
            detail = " ".join((stderr or stdout).split())[-500:] or _("no message")
            raise PublisherError(_("Pagefind could not index the site (exit status {code}): {detail}; the previous "
                                   "site is still in place").format(code=process.returncode, detail=detail))
        files = {f"{BUNDLE_FOLDER}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
                 for path in sorted(bundle.rglob("*")) if path.is_file()}
        if ENTRY_PATH in files:
            files[ENTRY_PATH] = sorted_entry(files[ENTRY_PATH])
        return files


ENTRY_FILE = "pagefind-entry.json"
"""Pagefind's table of the index of each language, which it writes in a different order from run to run."""
ENTRY_PATH = f"{BUNDLE_FOLDER}/{ENTRY_FILE}"
"""That table, by path in the output."""


def sorted_entry(data: bytes) -> bytes:
    """The entry file with its languages in a fixed order, so that the same site gives the same bytes (an
    unchanged site uploads nothing, and a build killed half-way leaves the old or the new site, not a mix)."""
    try:
        entry = json.loads(data)
    except ValueError:
        return data
    if isinstance(entry, dict) and isinstance(entry.get("languages"), dict):
        entry["languages"] = dict(sorted(entry["languages"].items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()


def page_url(path: str) -> str:
    """The URL Pagefind gives the page at `path` in the output (`ja/a/index.html` -> `/ja/a/`)."""
    return "/" + (path[:-len("index.html")] if path == "index.html" or path.endswith("/index.html") else path)
