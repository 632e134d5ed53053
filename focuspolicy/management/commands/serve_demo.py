"""The development server as bin/demo runs it: once it listens, its last lines are where to open it and
how to sign in, instead of Django's own banner (the date, the version and a warning)."""

from django.core.management.commands.runserver import Command as RunserverCommand

from .seed_demo import sign_in_lines


class Command(RunserverCommand):
    help = "Run the development server and say, last, where it is and which demo accounts to sign in with."

    def on_bind(self, server_port):
        host = f"[{self.addr}]" if self._raw_ipv6 else ("0.0.0.0" if self.addr == "0" else self.addr)  # noqa: S104
        self.stdout.write("\n" + "\n".join(sign_in_lines(f"{self.protocol}://{host}:{server_port}/")))
