"""Helpers shared by the test suite (imported as `support`).

tests/conftest.py puts tests/ on sys.path, so test modules anywhere under
tests/ can `from support.vnu import check_html` and so on.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
"""The repository root (where pyproject.toml and publisher.toml are)."""

SETUP_HINT = "run ./scripts/setup.sh (it installs the Debian packages, .venv and node_modules)"
