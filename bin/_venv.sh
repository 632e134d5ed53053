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
        echo "Installing $(basename "$requirements") into .venv (a minute or two the first time) ..."
        # pip's own output (a page of it, and warnings about the machine's package indexes) goes to a log.
        run_quietly "$VENV/pip-install.log" "$VENV/bin/python" -m pip install --disable-pip-version-check \
            --progress-bar off -r "$requirements"
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

# Runs a chatty command with its output in LOG, showing only how far it has got: the packages pip has
# resolved and is installing, the migrations applied (in place on a terminal, else a line every 25);
# nothing for a command that says none of these.
# If the command fails, the end of LOG is shown and the script stops.
#
# Usage: run_quietly LOG command...
run_quietly() {
    local log="$1"
    shift
    mkdir -p "$(dirname "$log")"
    if ! "$@" 2>&1 | tee "$log" | _show_progress; then
        echo "error: '$*' failed. The end of $log:" >&2
        tail -n 25 "$log" >&2
        exit 1
    fi
}

_show_progress() {
    local count=0 what="" line
    while IFS= read -r line; do
        case "$line" in
            Collecting* | "Requirement already satisfied"*) what="packages resolved" ;;
            "  Applying "*) what="migrations applied" ;;
            "  No migrations to apply."*)
                echo "  already up to date."
                continue
                ;;
            "Installing collected packages"*)
                _end_count "$what" "$count"
                echo "  installing them (the longest step) ..."
                count=0 what="installed"
                continue
                ;;
            *) continue ;;
        esac
        count=$((count + 1))
        if [ -t 1 ]; then
            printf '\r  %s: %d' "$what" "$count"
        elif [ $((count % 25)) = 0 ]; then
            echo "  $what: $count"
        fi
    done
    _end_count "$what" "$count"
}

_end_count() {
    if [ "$2" -gt 0 ]; then
        [ -t 1 ] && printf '\r'
        echo "  $1: $2"
    elif [ "$1" = installed ]; then
        echo "  done."
    fi
}
