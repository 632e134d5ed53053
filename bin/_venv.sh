# Sourced by bin/demo and bin/test: make sure the project virtualenv exists and has a requirements file
# installed. Not meant to be run directly.
#
# Usage: ensure_venv requirements.txt
# Sets ROOT (the repository root) and puts .venv/bin first on PATH.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

_fail() {
    echo "error: $*" >&2
    exit 1
}

_create_venv() {
    local python="${PYTHON:-python3}"
    command -v "$python" >/dev/null 2>&1 || _fail "$python not found; install Python 3.11 or newer."
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || _fail "focuspolicy needs Python 3.11 or newer ($python is $("$python" -V 2>&1))."
    echo "Creating virtualenv in $VENV ..."
    if ! "$python" -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        # Debian ships venv's pip bootstrap separately, in python3-venv.
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            echo "Installing python3-venv with apt-get ..."
            DEBIAN_FRONTEND=noninteractive apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            "$python" -m venv "$VENV" || _fail "could not create $VENV"
        else
            _fail "could not create $VENV with '$python -m venv'. On Debian/Ubuntu: sudo apt-get install python3-venv"
        fi
    fi
}

ensure_venv() {
    local requirements="$ROOT/$1"
    [ -x "$VENV/bin/python" ] || _create_venv
    # Reinstall only when the requirements files changed since the last successful install.
    local stamp="$VENV/.installed-$(basename "$requirements" .txt)"
    local digest
    digest="$(cat "$ROOT"/requirements*.txt | sha256sum | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
        echo "Installing $(basename "$requirements") ..."
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
        echo "$digest" >"$stamp"
    fi
    export VIRTUAL_ENV="$VENV"
    export PATH="$VENV/bin:$PATH"
}

# WeasyPrint (the PDF letters and review packs) needs Pango and a font from the system.
ensure_pdf_libraries() {
    if ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Pango with apt-get (PDF downloads need it) ..."
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
            >/dev/null
    else
        echo "warning: PDF downloads need Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" >&2
    fi
}
