"""Progress of `publish build` on a terminal covers the PDFs (the slow part); nothing when not a terminal."""

from __future__ import annotations

import io
from pathlib import Path

from support.fixture_site import NOW, copy_fixture

from publisher.cli.common import ProgressLine, build_contributors
from publisher.config import load_config
from publisher.site.build import BuildOptions, build_site


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_pdf_rendering_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    config = load_config(copy_fixture(tmp_path, pdf=True))
    terminal = Terminal()
    with ProgressLine(enabled=True, stream=terminal, delay=0) as progress:
        build_site(config, BuildOptions(now=NOW, out_dir=tmp_path / "out", jobs=1,
                                        contributors=build_contributors(progress)), progress=progress)
    shown = terminal.getvalue()
    assert "\rPDFs 3/3\x1b[K" in shown  # alpha ja, alpha zh, beta ja
    assert shown.endswith("\r\x1b[K")  # the line is cleared before the summary


def test_nothing_when_not_a_terminal_or_quiet(tmp_path: Path) -> None:
    for stream, enabled in ((io.StringIO(), True), (Terminal(), False)):
        with ProgressLine(enabled=enabled, stream=stream, delay=0) as progress:
            progress("PDFs", 1, 3)
            progress("PDFs", 3, 3)
        assert stream.getvalue() == ""


def test_a_quick_build_shows_nothing_and_updates_are_throttled() -> None:
    ticks = iter([0.0, 0.1, 0.6, 0.65, 0.8, 0.85])
    terminal = Terminal()
    progress = ProgressLine(enabled=True, stream=terminal, clock=lambda: next(ticks))  # started at 0.0
    progress("articles", 1, 10)   # 0.1 s: too early
    progress("articles", 2, 10)   # 0.6 s: shown
    progress("articles", 3, 10)   # 0.65 s: within 0.1 s of the last, skipped
    progress("articles", 4, 10)   # 0.8 s: shown
    progress("articles", 10, 10)  # the last of a phase: always shown
    assert terminal.getvalue() == "\rarticles 2/10\x1b[K\rarticles 4/10\x1b[K\rarticles 10/10\x1b[K"
