"""A Redis of a test's own, which the test stops and starts again: a broker outage for real.

It listens on a free loopback port (never the shared Redis's), keeps nothing on disk, and is stopped at the
end of the test whatever happened. CI installs redis-server (.ci/run); without it the test fails, naming it.
"""

import shutil
import socket
import subprocess
import time

import redis

WAIT = 10  # seconds for redis-server to start or stop


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def answers(self):
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2, socket_timeout=0.2).ping()
        except redis.RedisError:
            return False

    def start(self):
        server = shutil.which("redis-server")
        assert server, "redis-server is not installed (apt-get install redis-server)"
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed arguments
            [server, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + WAIT
        while not self.answers():
            assert time.monotonic() < deadline, f"redis-server did not answer on port {self.port}"
            time.sleep(0.05)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(WAIT)
            self.process = None
