"""The import contracts of pyproject.toml ([tool.importlinter]) hold: no cycle, no wrong-way import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support import REPO_ROOT


def test_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    assert lint_imports.is_file(), f"{lint_imports} is missing; run ./scripts/setup.sh (import-linter, test extra)"
    # Check this checkout's source, whichever copy of the package the environment has installed.
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO_ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=REPO_ROOT, env=environment,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"lint-imports found broken contracts:\n{result.stdout}\n{result.stderr}"
