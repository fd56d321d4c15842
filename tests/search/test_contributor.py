"""The search contributor's part in every build: the Pagefind version it names (in every build's input digest),
read without `importlib.metadata`, and nothing of the indexing loaded by a build that has nothing to do."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from publisher.search.contributor import PAGEFIND_PACKAGE, pagefind_version
from support.fixture_site import copy_fixture

NO_OP = """
import json, sys
from publisher.cli import main
sys.argv = ["publish", "build", "--config", sys.argv[1], "--out", sys.argv[2], "--now", "2026-01-10T12:00+09:00"]
try:
    main()
except SystemExit as stop:
    code = stop.code
print(json.dumps({"code": code, "loaded": [name for name in ("importlib.metadata", "publisher.search.bundle",
                                                            "cbor2", "publisher.markdown") if name in sys.modules]}))
"""


def test_the_version_is_the_installed_distributions():
    assert pagefind_version() == metadata.version(PAGEFIND_PACKAGE) == metadata.version("pagefind-bin-extended")


def test_a_build_with_nothing_to_do_loads_nothing_of_the_indexing(tmp_path: Path):
    """The scheduled job's usual build: the indexing modules and `importlib.metadata` (about 0.06 s of
    imports, a quarter of such a build at 1,000 articles) stay unloaded."""
    config_path, out = copy_fixture(tmp_path), tmp_path / "out"

    def build() -> dict:
        run = subprocess.run([sys.executable, "-c", NO_OP, str(config_path), str(out)], capture_output=True,
                             text=True, check=True)
        return json.loads(run.stdout.splitlines()[-1])

    first = build()
    assert first["code"] in (0, None) and "publisher.search.bundle" in first["loaded"]  # it indexed
    again = build()
    assert again["code"] in (0, None) and again["loaded"] == []
