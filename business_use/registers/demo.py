"""Demo entries of the registers for seed_demo: the official accounts with their handles and posters, and
approved professional sites with their conditions, one made from the answer to a 6.6 question. Safe to run
twice."""

import datetime

from django.utils import timezone

from ..models import Account, BusinessUseRequest, Kind, State, Topic
from . import services
from .models import ApprovedSite, OfficialAccount

# code: (name, platform, handle, link)
ACCOUNTS = {
    Account.FOCUS_FACEBOOK: (
        "focus Facebook",
        "Facebook",
        "@focuscare",
        "https://facebook.example/focuscare",
    ),
    Account.FOCUS_TWITTER: (
        "focus X (Twitter)",
        "X (Twitter)",
        "@focus_care",
        "https://x.example/focus_care",
    ),
    Account.FOCUS_BLOG: ("focus blog", "Blog", "", "https://focus.example/blog"),
    Account.SERVICES4ME_FACEBOOK: (
        "Services4Me Facebook",
        "Facebook",
        "@Services4Me",
        "https://facebook.example/services4me",
    ),
    Account.SERVICES4ME_TWITTER: (
        "Services4Me X (Twitter)",
        "X (Twitter)",
        "@Services4Me_",
        "https://x.example/services4me_",
    ),
}

SITES = [
    {
        "name": "LinkedIn",
        "link": "https://www.linkedin.com",
        "purpose": "Professional networking: sharing focus's published news and vacancies, and following "
        "other care providers and commissioners.",
        "conditions": "Use your own professional profile; you may say you work for focus, but you do not "
        "speak for it. Share focus news only once the communications team has published it. Never write "
        "about the people we support or their families. Recommendations and referrals are made only "
        "through the communications team (6.5).",
        "days_ago": 200,
    },
    {
        "name": "Skills for Care forums and registered manager networks",
        "link": "https://www.skillsforcare.org.uk",
        "purpose": "To share best practice and seek advice from other registered managers and care staff "
        "(6.4).",
        "conditions": "With your supervisor's authorisation for the time spent (6.4). Anonymise every "
        "example: no names, places or details that could identify anyone we support or a colleague. Do not "
        "post focus policies or documents that are not already public.",
        "days_ago": 120,
    },
    {
        "name": "Microsoft Teams communities (focus tenant)",
        "link": "",
        "purpose": "Communities of practice within focus: team leaders, supported living, community support.",
        "conditions": "focus accounts only. External guests only with the communications team's agreement. "
        "Personal information about the people we support stays in the care records, never in a "
        "community's posts or chat. Files are kept in the community's SharePoint library.",
        "days_ago": 60,
    },
]


def ensure_the_accounts_of_6_1():
    """The five accounts migration 0003 starts the register with, as it makes them: a database emptied since
    (manage.py flush, a transactional test) has lost them, and the demo requests need them."""
    for account in Account:
        service, platform = account.label.split(" ", 1)
        OfficialAccount.objects.get_or_create(
            code=account.value,
            defaults={"name": account.label, "platform": platform.capitalize(), "service": service},
        )


def _demo_accounts(comms):
    for code, (name, platform, handle, link) in ACCOUNTS.items():
        account = OfficialAccount.objects.filter(code=code).first()
        if account is not None and account.in_use:
            services.official_account_change(
                account=account,
                by=comms,
                name=name,
                platform=platform,
                handle=handle,
                link=link,
                service=account.service,
                posters=[comms],
            )
    services.official_account_add(
        by=comms,
        name="focus LinkedIn",
        service="focus",
        platform="LinkedIn",
        handle="focus-care",
        link="https://linkedin.example/company/focus-care",
        posters=[comms],
    )
    pilot = services.official_account_add(
        by=comms,
        name="focus Instagram (pilot)",
        service="focus",
        platform="Instagram",
        handle="@focus.care",
        link="https://instagram.example/focus.care",
        posters=[comms],
    )
    services.official_account_retire(
        account=pilot, by=comms, note="The pilot ended: the pictures now go on focus Facebook."
    )


def _demo_sites(infosec):
    today = timezone.localdate()
    for site in SITES:
        approved_on = today - datetime.timedelta(days=site["days_ago"])
        fields = {name: value for name, value in site.items() if name != "days_ago"}
        services.approved_site_add(
            by=infosec,
            approved_on=approved_on,
            review_on=approved_on + datetime.timedelta(days=365),
            **fields,
        )
    withdrawn = services.approved_site_add(
        by=infosec,
        name="Care Workers Chat (public Facebook group)",
        link="https://facebook.example/groups/careworkerschat",
        purpose="Peer support for support workers.",
        conditions="Read only; do not post about work.",
        approved_on=today - datetime.timedelta(days=300),
    )
    services.approved_site_withdraw(
        site=withdrawn,
        by=infosec,
        note="The group is public and members have shared photographs of the people they support.",
    )
    # The answered 6.6 question about FutureNHS becomes its register entry, in one step.
    answered = BusinessUseRequest.objects.filter(
        kind=Kind.ADVICE, topic=Topic.ACCEPTABLE_SITES, state=State.ANSWERED, site__startswith="FutureNHS"
    ).first()
    if answered is not None:
        services.approved_site_add(
            by=infosec,
            from_request=answered,
            name="FutureNHS workspaces",
            link="https://future.nhs.uk",
            purpose=answered.content,
            conditions=answered.decision_text,
            review_on=today + datetime.timedelta(days=180),
        )


def create_demo_registers(*, people):
    if ApprovedSite.objects.exists():
        return
    _demo_accounts(people["comms"])
    _demo_sites(people["infosec"])
