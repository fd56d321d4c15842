#!/usr/bin/env bash
# Runs the test suite: ./scripts/test.sh [pytest arguments...]
# Installs whatever is missing first (scripts/setup.sh --no-build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh --no-build
exec .venv/bin/pytest "$@"
