"""The address the audit log records: the connection's, or the one the trusted proxies forwarded
(TRUSTED_PROXY_COUNT), never one the client made up."""

import pytest

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


@pytest.fixture
def case(raise_case, staff):
    return raise_case(staff)


def recorded_address(client, supervisor, case, **headers):
    client.force_login(supervisor)
    assert client.get(case.get_absolute_url(), REMOTE_ADDR=PROXY, **headers).status_code == 200
    return AuditEntry.objects.filter(actor=supervisor, what=f"viewed {case.reference}").get().ip_address


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, supervisor, case):
    assert recorded_address(client, supervisor, case, HTTP_X_FORWARDED_FOR="203.0.113.9") == PROXY


def test_behind_one_proxy_the_address_it_received_the_request_from(client, settings, supervisor, case):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sent a forged first entry; the proxy appended the address it really came from.
    forwarded = "198.51.100.66, 203.0.113.9"
    assert recorded_address(client, supervisor, case, HTTP_X_FORWARDED_FOR=forwarded) == "203.0.113.9"


def test_behind_two_proxies_the_second_address_from_the_end(client, settings, supervisor, case):
    settings.TRUSTED_PROXY_COUNT = 2
    forwarded = "198.51.100.66, 203.0.113.9, 10.0.0.4"
    assert recorded_address(client, supervisor, case, HTTP_X_FORWARDED_FOR=forwarded) == "203.0.113.9"


def test_fewer_addresses_than_proxies_gives_the_left_most(client, settings, supervisor, case):
    settings.TRUSTED_PROXY_COUNT = 2
    assert recorded_address(client, supervisor, case, HTTP_X_FORWARDED_FOR="203.0.113.9") == "203.0.113.9"


def test_no_forwarded_header_gives_the_connection_address(client, settings, supervisor, case):
    settings.TRUSTED_PROXY_COUNT = 1
    assert recorded_address(client, supervisor, case) == PROXY


def test_ipv6_is_recorded(client, settings, supervisor, case):
    settings.TRUSTED_PROXY_COUNT = 1
    assert recorded_address(client, supervisor, case, HTTP_X_FORWARDED_FOR="2001:db8::7") == "2001:db8::7"


def test_a_value_that_is_not_an_address_is_not_recorded(client, settings, supervisor, case):
    settings.TRUSTED_PROXY_COUNT = 1
    assert recorded_address(client, supervisor, case, HTTP_X_FORWARDED_FOR="<script>, nonsense") is None
