#!/usr/bin/env bash
# Runs the import contracts (lint-imports), then the test suite: ./scripts/test.sh [pytest arguments...]
# Installs whatever is missing first (scripts/setup.sh --no-build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh --no-build
# The import contracts first (pyproject.toml, [tool.importlinter]): a cycle or a wrong-way import fails here.
.venv/bin/lint-imports
exec .venv/bin/pytest "$@"
