"""Fixtures of the source tests: a real PDF with the defects of extracted text (see `support.sources_pdf`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.sources_pdf import make_report_pdf


@pytest.fixture(scope="session")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_report_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf")
