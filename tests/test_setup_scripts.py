"""The set-up and test scripts are in working order (cheap checks only)."""

from __future__ import annotations

import os
import subprocess

import pytest

from support import REPO_ROOT

SCRIPTS = ["scripts/setup.sh", "scripts/test.sh", ".ci/run"]


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_is_executable_bash(script: str) -> None:
    path = REPO_ROOT / script
    assert os.access(path, os.X_OK), f"{script} is not executable (chmod +x {script})"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n"), f"{script}: wrong shebang"
    assert "set -euo pipefail" in text, f"{script}: missing `set -euo pipefail`"
    subprocess.run(["bash", "-n", str(path)], check=True)


def test_setup_help_and_bad_option() -> None:
    setup = REPO_ROOT / "scripts" / "setup.sh"
    shown = subprocess.run([str(setup), "--help"], capture_output=True, text=True, cwd="/")
    assert shown.returncode == 0 and "--no-build" in shown.stdout, shown
    bad = subprocess.run([str(setup), "--bogus"], capture_output=True, text=True, cwd="/")
    assert bad.returncode == 2 and "unknown option" in bad.stderr, bad


def test_tools_are_pinned() -> None:
    import json

    package = json.loads((REPO_ROOT / "package.json").read_text(encoding="utf-8"))
    assert package.get("private") is True
    for name, version in package.get("devDependencies", {}).items():
        assert version[:1].isdigit(), f"package.json: pin {name} to an exact version, not {version!r}"
    assert (REPO_ROOT / "package-lock.json").is_file(), "package-lock.json is missing (run npm install)"
