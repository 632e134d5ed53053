"""The deployment grows past one machine: two web servers sharing PostgreSQL, Redis and an S3-compatible
store serve one session and one evidence file (benchmarks/two_machines.py, which this runs).

On demand only: pytest -m scaleout. It needs PostgreSQL (TWO_MACHINES_ADMIN_URL, a connection that may
create databases; postgres@127.0.0.1 by default) and Redis (TWO_MACHINES_REDIS_URL, database 9 by default,
emptied before and after), and takes a minute or two.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.scaleout
def test_a_session_and_an_evidence_file_work_across_two_web_servers():
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "benchmarks/two_machines.py"], cwd=ROOT, capture_output=True, text=True, timeout=900
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "PROVED" in result.stdout
    # Six with caddy on PATH (the step through the TLS proxy), five without.
    assert result.stdout.count("✓") >= 5, result.stdout
