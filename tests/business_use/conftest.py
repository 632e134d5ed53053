"""Business use requests for tests, made and moved through business_use.services as people would.

`make_request(kind, state)` gives a request from `staff` (whose supervisor is `supervisor`) that has
been through the moves that take that kind to that state, each made by the person allowed to.
"""

import datetime

import pytest

from business_use import services
from business_use.models import Account, Kind, OfficialAccount, Purpose, State, Topic
from business_use.registers import services as registers

FIELDS = {
    Kind.OFFICIAL_POST: {
        "account": Account.FOCUS_FACEBOOK,
        "content": "Our team ran a coffee morning for carers' week.",
        "links": "https://focus.example/news/1",
    },
    Kind.PROFESSIONAL_SITE: {
        "site": "Community Care forum",
        "purpose": Purpose.SEEK_ADVICE,
        "from_date": datetime.date(2026, 12, 1),
        "to_date": datetime.date(2026, 12, 31),
        "content": "Ask how other services run handovers.",
    },
    Kind.RECOMMENDATION: {
        "recommended_for": "Riverside Advocacy",
        "site": "LinkedIn",
        "content": "We recommend Riverside Advocacy.",
    },
    Kind.ADVICE: {"topic": Topic.ACCEPTABLE_SITES, "content": "May I use a professional forum for nurses?"},
}

# Who makes each move in these tests: a relation in business_use.models, or "adviser" for a Head of
# Service answering which sites are acceptable.
MOVE_DETAILS = {"text": "Recorded for the test.", "published_where": "focus Facebook"}

# The moves that take a new request of each kind to each state it can reach, with who makes them.
PATHS = {
    Kind.OFFICIAL_POST: {
        State.WITH_SUPERVISOR: [],
        State.CHANGES_REQUESTED: [("request_changes", "approver")],
        State.WITH_COMMUNICATIONS: [("approve_content", "approver")],
        State.PUBLISHED: [("approve_content", "approver"), ("publish", "communications")],
        State.DECLINED: [("supervisor_decline", "approver")],
        State.WITHDRAWN: [("withdraw", "requester")],
    },
    Kind.PROFESSIONAL_SITE: {
        State.WITH_SUPERVISOR: [],
        State.CHANGES_REQUESTED: [("request_changes", "approver")],
        State.AUTHORISED: [("authorise", "approver")],
        State.DECLINED: [("supervisor_decline", "approver")],
        State.WITHDRAWN: [("withdraw", "requester")],
    },
    Kind.RECOMMENDATION: {
        State.WITH_COMMUNICATIONS: [],
        State.MADE: [("make", "communications")],
        State.DECLINED: [("communications_decline", "communications")],
        State.WITHDRAWN: [("withdraw", "requester")],
    },
    Kind.ADVICE: {
        State.WITH_COMMUNICATIONS: [],
        State.ANSWERED: [("answer", "communications")],
        State.WITHDRAWN: [("withdraw", "requester")],
    },
}

KIND_STATES = [(kind, state) for kind, states in PATHS.items() for state in states]


@pytest.fixture
def actors(staff, supervisor, comms, head_of_service):
    return {"requester": staff, "approver": supervisor, "communications": comms, "adviser": head_of_service}


def request_made(actors, kind, state=None, **fields):
    """A request from actors["requester"], moved to `state` by the people in `actors`."""
    request = services.business_use_submit(
        requester=actors["requester"], kind=kind, **{**FIELDS[kind], **fields}
    )
    for move, who in PATHS[kind][state or services.KINDS[kind].first_state]:
        request = services.business_use_move(request=request, by=actors[who], move=move, **MOVE_DETAILS)
    return request


@pytest.fixture(scope="session")
def build_request():
    """request_made, for fixtures wider than one test (which cannot use make_request)."""
    return request_made


@pytest.fixture
def make_request(actors):
    def _make(kind, state=None, **fields):
        return request_made(actors, kind, state, **fields)

    return _make


@pytest.fixture
def register(comms, infosec):
    """Both registers with an entry in use and one no longer, each made by its keeper."""
    account = OfficialAccount.objects.get(code=Account.FOCUS_FACEBOOK)
    retired = registers.official_account_add(
        by=comms, name="focus Instagram", service="focus", platform="Instagram"
    )
    registers.official_account_retire(account=retired, by=comms)
    site = registers.approved_site_add(
        by=infosec, name="LinkedIn", purpose="Professional networking.", conditions="Own profile only."
    )
    withdrawn = registers.approved_site_add(
        by=infosec, name="A public group", purpose="Peer support.", conditions="Read only."
    )
    registers.approved_site_withdraw(site=withdrawn, by=infosec)
    return {"account": account, "retired_account": retired, "site": site, "withdrawn_site": withdrawn}
