"""business_use 0004: the five accounts of clause 6.1 become entries of the register of official accounts
with the codes requests already hold, so every old request still names its account; a code no longer known
gets an entry of its own, retired, rather than losing its request's account."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from business_use.models import BusinessUseRequest, Kind, OfficialAccount, State
from business_use.selectors import with_account_names

BEFORE = [("business_use", "0003_case_citations_and_ended_authorisations")]
AFTER = [("business_use", "0004_registers_of_accounts_and_approved_sites")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_old_requests_keep_their_accounts(staff):
    migrate(BEFORE)
    old = {
        code: BusinessUseRequest.objects.create(
            kind=Kind.OFFICIAL_POST,
            requester=staff,
            state=State.WITH_SUPERVISOR,
            account=code,
            content="News.",
        ).pk
        for code in ("focus_facebook", "services4me_twitter", "focus_myspace")
    }

    migrate(AFTER)

    requests = with_account_names(BusinessUseRequest.objects.filter(pk__in=old.values()))
    assert {request.account: request.account_name() for request in requests} == {
        "focus_facebook": "focus Facebook",
        "services4me_twitter": "Services4Me Twitter",
        "focus_myspace": "focus_myspace",
    }
    assert (
        BusinessUseRequest.objects.get(pk=old["services4me_twitter"]).account_name() == "Services4Me Twitter"
    )
    in_use = set(OfficialAccount.objects.in_use().values_list("code", flat=True))
    assert in_use == {
        "focus_facebook",
        "focus_twitter",
        "focus_blog",
        "services4me_facebook",
        "services4me_twitter",
    }
    assert not OfficialAccount.objects.get(code="focus_myspace").in_use
