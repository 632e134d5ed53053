"""The optional virus scan: with CLAMAV_SOCKET or CLAMAV_HOST set, every upload goes to clamd (INSTREAM)
before it is accepted. A virus found is refused and audited; clamd not answering refuses the upload too.
clamd here is a fake one in a thread, speaking the INSTREAM protocol on a Unix socket or a TCP port."""

import socket
import socketserver
import struct
import threading

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import Case, Evidence
from tests.cases.hostile_files import image_bytes
from tests.cases.test_evidence import DESCRIPTION, files_under, raise_data, upload

pytestmark = pytest.mark.django_db

# The EICAR test file, which every scanner reports and which does nothing; put together here so that this
# source file itself is not reported.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Win.Test.EICAR_HDB-1"


class FakeClamd(socketserver.BaseRequestHandler):
    """clamd's INSTREAM: 'zINSTREAM\\0', chunks led by their length, a zero length, then the verdict."""

    def handle(self):
        stream = self.request.makefile("rb")
        command = b""
        while not command.endswith(b"\0"):
            command += stream.read(1)
        data = b""
        while True:
            (length,) = struct.unpack("!L", stream.read(4))
            if not length:
                break
            data += stream.read(length)
        self.server.received.append((command, data))
        verdict = f"{SIGNATURE} FOUND" if EICAR in data else "OK"
        self.request.sendall(f"stream: {verdict}\0".encode())


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class TcpServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True


def serve(server):
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def clamd_socket(settings, tmp_path):
    path = tmp_path / "clamd.sock"
    server = serve(UnixServer(str(path), FakeClamd))
    settings.CLAMAV_SOCKET = str(path)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def clamd_tcp(settings):
    server = serve(TcpServer(("127.0.0.1", 0), FakeClamd))
    settings.CLAMAV_HOST, settings.CLAMAV_PORT = server.server_address
    yield server
    server.shutdown()
    server.server_close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def raise_with(client, person, policy, name, content):
    client.force_login(person)
    return client.post(reverse("cases:raise"), raise_data(policy, evidence=[upload(name, content)]))


@pytest.mark.parametrize("clamd", ["clamd_socket", "clamd_tcp"])
def test_a_clean_file_is_scanned_then_accepted(client, staff, policy, media, request, clamd):
    server = request.getfixturevalue(clamd)
    screenshot = image_bytes("PNG")

    response = raise_with(client, staff, policy, "shot.png", screenshot)

    assert response.status_code == 302
    assert Case.objects.get().evidence.get().original_name == "shot.png"
    assert server.received == [(b"zINSTREAM\0", screenshot)]  # scanned once, though form and service check


@pytest.mark.parametrize("clamd", ["clamd_socket", "clamd_tcp"])
def test_a_virus_is_refused_and_audited(client, staff, policy, media, request, clamd):
    request.getfixturevalue(clamd)

    response = raise_with(client, staff, policy, "invoice.txt", EICAR)

    assert response.status_code == 200
    assert response.context["form"].errors["evidence"] == [
        f"“invoice.txt” was refused: the virus scanner found {SIGNATURE} in it. Nothing was uploaded."
    ]
    assert DESCRIPTION in response.text
    assert not Case.objects.exists()
    assert not Evidence.objects.exists()
    assert files_under(media.parent) == []
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REFUSED)
    assert entry.actor == staff
    assert "invoice.txt" in entry.what and SIGNATURE in entry.what
    assert entry.details == {"file": "invoice.txt", "virus": SIGNATURE}


def test_a_virus_added_to_a_case_is_refused_and_audited(
    client, raise_case, staff, supervisor, media, clamd_socket
):
    case = raise_case(staff)
    client.force_login(supervisor)

    url = reverse("cases:add_evidence", args=[case.reference])

    response = client.post(url, {"files": [upload("scan.txt", EICAR)]}, follow=True)

    assert f"“scan.txt” was refused: the virus scanner found {SIGNATURE} in it." in response.text
    assert not Evidence.objects.exists()
    assert AuditEntry.objects.get(action=AuditEntry.Action.REFUSED).actor == supervisor


@pytest.mark.parametrize("where", ["socket", "port"])
def test_an_unreachable_scanner_refuses_the_upload(client, staff, policy, media, settings, tmp_path, where):
    if where == "socket":
        settings.CLAMAV_SOCKET = str(tmp_path / "no-clamd-here.sock")
    else:
        settings.CLAMAV_HOST, settings.CLAMAV_PORT = "127.0.0.1", free_port()

    response = raise_with(client, staff, policy, "shot.png", image_bytes("PNG"))

    assert response.status_code == 200
    [error] = response.context["form"].errors["evidence"]
    assert error.startswith("“shot.png” could not be checked for viruses: the virus scanner is not answering")
    assert DESCRIPTION in response.text
    assert not Case.objects.exists()
    assert files_under(media.parent) == []


def test_a_scanner_that_answers_with_an_error_refuses_the_upload(
    client, staff, policy, media, settings, tmp_path
):
    class Failing(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.recv(65536)
            self.request.sendall(b"INSTREAM size limit exceeded. ERROR\0")

    path = tmp_path / "failing.sock"
    server = serve(UnixServer(str(path), Failing))
    settings.CLAMAV_SOCKET = str(path)
    try:
        response = raise_with(client, staff, policy, "shot.png", image_bytes("PNG"))
    finally:
        server.shutdown()
        server.server_close()

    assert "could not be checked for viruses" in response.context["form"].errors["evidence"][0]
    assert not Case.objects.exists()


def test_without_a_scanner_configured_nothing_is_sent_anywhere(client, staff, policy, media, settings):
    assert not settings.CLAMAV_SOCKET and not settings.CLAMAV_HOST

    response = raise_with(client, staff, policy, "notes.txt", EICAR)

    assert response.status_code == 302  # plain text, as far as the content checks can tell
