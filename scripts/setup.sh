#!/usr/bin/env bash
# Installs everything the project needs and builds the sample site.
#
#   ./scripts/setup.sh             # install what is missing, then build dist/
#   ./scripts/setup.sh --no-build  # install only (used by scripts/test.sh)
#
# Safe to run again: each step is skipped when it is already done, so a
# second run takes a second or two.
#   - Debian packages (chromium, fonts-noto-cjk, Pango and poppler-utils for
#     PDFs, rsync for deploys, a Java runtime for the Nu HTML checker, Node.js/npm) are
#     installed only when missing.
#   - .venv is created once; `pip install -e '.[test]'` runs again only when
#     pyproject.toml changes (stamp in .stamps/).
#   - `npm ci` runs again only when package.json or package-lock.json changes
#     (stamp in .stamps/).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

BUILD=1
for arg in "$@"; do
    case "$arg" in
        --no-build) BUILD=0 ;;
        -h|--help)
            sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "setup.sh: unknown option: $arg (try --help)" >&2
            exit 2
            ;;
    esac
done

STAMPS="$ROOT/.stamps"
mkdir -p "$STAMPS"

step() { printf '==> %s\n' "$*"; }

# Runs a command with its output kept in a log; prints the log only on failure.
quietly() {
    local name="$1"; shift
    local log="$STAMPS/$name.log"
    if ! "$@" >"$log" 2>&1; then
        echo "setup.sh: step '$name' failed: $*" >&2
        echo "----- last lines of $log -----" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
}

hash_of() { { cat "$@" 2>/dev/null || true; } | sha256sum | cut -d' ' -f1; }

# --- Debian packages --------------------------------------------------------

deb_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

java_ok() {
    # The Nu checker needs Java 11 or newer; any runtime on PATH will do.
    command -v java >/dev/null 2>&1 || return 1
    local v
    v="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
    [[ -n "$v" && "$v" -ge 11 ]]
}

missing=()
deb_installed chromium || missing+=(chromium)
deb_installed fonts-noto-cjk || missing+=(fonts-noto-cjk)
# PDFs: WeasyPrint's pip wheel needs Pango (with HarfBuzz subsetting and
# fontconfig) from the system; poppler-utils gives pdffonts/pdftotext/pdftoppm
# to the PDF tests.
for pkg in fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils; do
    deb_installed "$pkg" || missing+=("$pkg")
done
# `publish deploy` to servers runs the rsync program (and its tests rsync to a folder).
deb_installed rsync || missing+=(rsync)
if ! deb_installed default-jre-headless && ! java_ok; then
    missing+=(default-jre-headless)
fi
# Debian's own python3 needs python3-venv for `python3 -m venv` (pyenv builds have it).
if ! command -v python3 >/dev/null 2>&1; then
    missing+=(python3 python3-venv)
elif [[ ! -x .venv/bin/python ]] && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    missing+=(python3-venv)
fi
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
    SUDO=()
    if [[ "$(id -u)" -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            SUDO=(sudo)
        else
            echo "setup.sh: need root (or sudo) to install: ${missing[*]}" >&2
            exit 1
        fi
    fi
    step "Installing Debian packages: ${missing[*]}"
    # Wait for another apt/dpkg run (unattended upgrades, a background
    # install) instead of failing on its lock.
    APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q
         -o DPkg::Lock::Timeout=900)
    quietly apt-update "${APT[@]}" update
    quietly apt-install "${APT[@]}" install -y --no-install-recommends "${missing[@]}"
else
    step "Debian packages: already installed"
fi

# --- Python virtual environment ----------------------------------------------

PY_STAMP="$STAMPS/pip-install"
if [[ ! -x .venv/bin/python ]]; then
    step "Creating .venv ($(python3 --version 2>&1))"
    quietly venv python3 -m venv .venv
    rm -f "$PY_STAMP"
fi

py_hash="$(hash_of pyproject.toml) $(readlink -f .venv/bin/python)"
if [[ "$(cat "$PY_STAMP" 2>/dev/null)" == "$py_hash" && -x .venv/bin/pytest && -x .venv/bin/publish ]]; then
    step "Python packages: up to date"
else
    step "Installing Python packages: pip install -e '.[test]'"
    quietly pip-install .venv/bin/python -m pip install --disable-pip-version-check -e '.[test]'
    printf '%s\n' "$py_hash" >"$PY_STAMP"
fi

# --- Node tools (Nu HTML checker, Lighthouse) ---------------------------------

NPM_STAMP="$STAMPS/npm-install"
npm_hash="$(hash_of package.json package-lock.json)"
if [[ "$(cat "$NPM_STAMP" 2>/dev/null)" == "$npm_hash" && -f node_modules/vnu-jar/build/dist/vnu.jar \
      && -f node_modules/lighthouse/cli/index.js ]]; then
    step "Node tools: up to date"
else
    # --ignore-scripts: vnu-jar's postinstall would download a Java runtime;
    # we use Debian's instead, and the jar itself ships in the package.
    # Lighthouse needs no install scripts; it drives Debian's chromium.
    if [[ -f package-lock.json ]]; then
        step "Installing Node tools: npm ci"
        quietly npm-install npm ci --ignore-scripts --no-audit --no-fund
    else
        step "Installing Node tools: npm install"
        quietly npm-install npm install --ignore-scripts --no-audit --no-fund
    fi
    printf '%s\n' "$npm_hash" >"$NPM_STAMP"
fi

# --- Sample site --------------------------------------------------------------

if ((BUILD)); then
    step "Building the sample site: .venv/bin/publish build"
    .venv/bin/publish build
    echo "Site built in dist/. Open it: .venv/bin/python -m http.server -d dist -b 127.0.0.1 8000, then http://127.0.0.1:8000/"
    echo "Preview with drafts, scheduled pages and the dashboard: .venv/bin/publish preview, then http://127.0.0.1:8000/_preview/"
else
    step "Setup done (site not built: --no-build)"
fi
