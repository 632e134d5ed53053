"""bin/demo: says how far it has got, keeps the commands' chatter in log files, and ends, once the server
listens, with the demo accounts and the address (which follows PORT).

bin/demo itself runs here against a stand-in .venv whose python plays pip and manage.py (a real install and
migration take minutes); the real server's last lines are checked on their own, below.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from focuspolicy.management.commands.seed_demo import DEMO_PASSWORD, PEOPLE

ROOT = Path(__file__).resolve().parent.parent

# Prints as much as the real commands do, warnings included.
STAND_IN_PYTHON = """#!/usr/bin/env bash
echo "$*" >>"$(dirname "$0")/../calls"
if [ -n "${FAIL:-}" ] && [[ "$*" == *"$FAIL"* ]]; then echo "Something broke in $FAIL."; exit 3; fi
case "$*" in
    "-m pip install"*)
        echo "WARNING: Location 'file:///opt/pypi-more/simple/django/' is ignored" >&2
        for n in $(seq 50); do echo "Collecting package$n==1.0"; done
        for n in $(seq 10); do echo "Requirement already satisfied: other$n==1.0"; done
        echo "Installing collected packages: package1, package2"
        echo "Successfully installed package1 package2" ;;
    "manage.py migrate"*)
        echo "Operations to perform:"
        for n in $(seq 30); do echo "  Applying app.00$n... OK"; done ;;
    "manage.py seed_demo"*)
        for n in $(seq 800); do echo "Subject: focuspolicy: an e-mail to someone ($n)"; done
        echo "Demo data ready: 10 accounts (password focus-demo-2026)." ;;
    "manage.py serve_demo"*)
        echo "Watching for file changes with StatReloader" >&2
        echo "focuspolicy is running at http://${@: -1}/ ($SITE_URL)" ;;
    *) echo "unexpected: $*" >&2; exit 2 ;;
esac
"""


def run_demo(tmp_path, **environment):
    """bin/demo in a copy of the project made of its scripts and requirements, with the stand-in python."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "bin", project / "bin")
    for requirements in ROOT.glob("requirements*.txt"):
        shutil.copy(requirements, project)
    python = project / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(STAND_IN_PYTHON)
    python.chmod(0o755)
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    result = subprocess.run(  # noqa: S603 - our own script
        [shutil.which("bash"), project / "bin" / "demo"],
        cwd=project,
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result, project


def test_demo_shows_progress_keeps_the_chatter_in_logs_and_ends_with_the_address(tmp_path):
    result, project = run_demo(tmp_path, PORT="8123")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Installing requirements.txt into .venv")
    assert lines[1:4] == ["  packages resolved: 25", "  packages resolved: 50", "  packages resolved: 60"]
    assert lines[4:6] == ["  installing them (the longest step) ...", "  done."]
    assert "  migrations applied: 30" in lines
    assert "  Demo data ready: 10 accounts (password focus-demo-2026)." in lines
    assert lines[-1] == "focuspolicy is running at http://127.0.0.1:8123/ (http://127.0.0.1:8123)"
    assert len(lines) < 20 and "Location" not in result.stdout + result.stderr
    assert "Subject:" not in result.stdout and "Applying" not in result.stdout
    assert (project / "var/demo/seed_demo.log").read_text().count("Subject:") == 800
    assert "Location 'file:///opt/pypi-more" in (project / ".venv/pip-install.log").read_text()
    calls = (project / ".venv/calls").read_text().splitlines()
    assert [call.split()[:2] for call in calls] == [
        ["-m", "pip"],
        ["manage.py", "migrate"],
        ["manage.py", "seed_demo"],
        ["manage.py", "serve_demo"],
    ]

    # A second run has nothing to install, and the address follows HOST and PORT.
    again, _ = run_demo(tmp_path / "again", HOST="0.0.0.0", PORT="9000")  # noqa: S104
    assert again.stdout.splitlines()[-1].startswith("focuspolicy is running at http://0.0.0.0:9000/")


def test_a_failing_step_stops_the_demo_and_shows_the_end_of_its_log(tmp_path):
    result, project = run_demo(tmp_path, FAIL="migrate")

    assert result.returncode == 1
    assert "error: 'python manage.py migrate --noinput' failed" in result.stderr
    assert "Something broke in migrate." in result.stderr
    assert (project / ".venv/calls").read_text().splitlines()[-1].startswith("manage.py migrate")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_demo_server_ends_its_start_up_with_the_accounts_and_the_address(tmp_path):
    port = free_port()
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="focuspolicy.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        PYTHONUNBUFFERED="1",
    )
    server = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "manage.py", "serve_demo", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        lines = []
        while not (lines and lines[-1].startswith("focuspolicy is running")) and time.monotonic() < deadline:
            lines.append(server.stdout.readline().rstrip("\n"))
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # it listens
    finally:
        server.terminate()
        server.wait(timeout=10)
    rest = server.stdout.read()

    assert lines[-1] == f"focuspolicy is running at http://127.0.0.1:{port}/ (stop it with CONTROL-C)"
    block = lines[-2 - len(PEOPLE) :]
    assert block[0] == f"Sign in with the password {DEMO_PASSWORD} as:"
    assert [line.split()[0] for line in block[1:-1]] == list(PEOPLE)
    assert "  governance     Head of Business and Governance" in block
    assert "Django version" not in "\n".join(lines) and "AXES" not in "\n".join(lines)
    assert rest.strip() == ""  # nothing after it
