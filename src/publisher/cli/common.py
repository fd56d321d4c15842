"""What every `publish` command shares: finding the config, turning library
errors into messages and exit codes (1: problems in the input, 2: usage), and
progress displays."""

from __future__ import annotations

import contextlib
import functools
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

import click

from ..config import SiteConfig, find_config, load_config
from ..errors import ProblemsError, PublisherError, shown_path
from ..i18n import _


def load(config_path: Path | None) -> SiteConfig:
    return load_config(config_path or find_config(Path.cwd()))


def byte_size(count: float) -> str:
    """`count` bytes for people: 512 B, 1.5 KB, 46.5 MB."""
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count} B"


def build_contributors(progress: Callable[[str, int, int], None] | None = None, *, search: bool = True) -> tuple:
    """The features that join every site build (`BuildOptions.contributors`): the PDFs, reporting to the
    build's `progress`, and the search index (`search=False`: none, for the preview server's quick rebuilds)."""
    from ..pdf.contributor import PdfContributor
    from ..search import SearchContributor

    return (PdfContributor(progress),) + ((SearchContributor(),) if search else ())


def reports_errors(command: Callable) -> Callable:
    """Library errors become messages on stderr and exit 1, never tracebacks."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ProblemsError as exc:
            for problem in exc.problems:
                click.echo(problem.format(Path.cwd()), err=True)
            click.echo(_("error: {message}").format(message=exc), err=True)
            sys.exit(1)
        except PublisherError as exc:
            click.echo(_("error: {message}").format(message=exc), err=True)
            sys.exit(1)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if exc.filename:
                click.echo(_("error: {path}: {reason}; check that the folder exists, is writable and the disk "
                             "has room").format(path=exc.filename, reason=reason), err=True)
            else:
                click.echo(_("error: {reason}; check that the folder exists, is writable and the disk has "
                             "room").format(reason=reason), err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo(_("interrupted; nothing was changed"), err=True)
            sys.exit(130)

    return wrapper


config_option = click.option(
    "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
    help="publisher.toml to use (default: the nearest one from the current folder up).",
)



class ProgressLine:
    """`PDFs 3/12` on one self-rewriting stderr line, only on a terminal, and only once the build has run
    for `delay` seconds (a quick build shows nothing); at most ten updates a second, the last of a phase
    always. Every long phase reports to it: articles, images, pages and the PDFs (the slow part)."""

    def __init__(self, enabled: bool, *, stream=None, delay: float = 0.5, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.shown = False
        self.clock = clock
        self.started = clock()
        self.delay = delay
        self.last = float("-inf")

    def __call__(self, step: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay or (now - self.last < 0.1 and done != total):
            return
        self.last = now
        click.echo(f"\r{_progress_label(step)} {done}/{total}\x1b[K", file=self.stream, nl=False)
        self.shown = True

    def __enter__(self) -> "ProgressLine":
        return self

    def __exit__(self, *exc) -> None:
        if self.shown:
            click.echo("\r\x1b[K", file=self.stream, nl=False)



def _progress_label(step: str) -> str:
    """The label of a build step (`articles`, `images`, `pages`) in the message language."""
    labels = {"articles": _("articles"), "images": _("images"), "pages": _("pages"), "PDFs": _("PDFs"),
              "search": _("search index")}
    return labels.get(step, step)


def shown(path: Path) -> str:
    """`path` relative to the current folder when inside it: `errors.shown_path`, the one helper, named
    short for the many messages here."""
    return shown_path(path, Path.cwd())



@contextlib.contextmanager
def counting_bar(label: str, *, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, driven by the library's `progress(done, total)` calls (the total can
    grow as work is found); when not `enabled`, the calls do nothing."""
    if not enabled:
        yield lambda done, total: None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        yield progress
