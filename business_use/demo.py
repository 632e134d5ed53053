"""Demo business use requests for seed_demo: one of each kind, in different states. Safe to run twice."""

import datetime

from django.utils import timezone

from . import services
from .models import Account, BusinessUseRequest, Kind, Purpose, Topic
from .registers.demo import ensure_the_accounts_of_6_1


def create_demo_requests(*, people):
    ensure_the_accounts_of_6_1()
    if BusinessUseRequest.objects.exists():
        return
    staff, staff2, supervisor = people["staff"], people["staff2"], people["supervisor"]
    comms = people["comms"]
    today = timezone.localdate()

    # A post approved by the supervisor and published by the communications team (6.1).
    published = services.business_use_submit(
        requester=staff,
        kind=Kind.OFFICIAL_POST,
        account=Account.FOCUS_FACEBOOK,
        content="Our Community Support team raised £1,200 for the local food bank this month. Thank you "
        "to everyone who took part!",
        links="https://focus.example/news/food-bank",
    )
    services.business_use_move(request=published, by=supervisor, move="approve_content")
    services.business_use_move(
        request=published,
        by=comms,
        move="publish",
        published_where="focus Facebook",
        published_link="https://facebook.example/focus/posts/1",
    )

    # A post waiting for the communications team.
    waiting = services.business_use_submit(
        requester=staff,
        kind=Kind.OFFICIAL_POST,
        account=Account.SERVICES4ME_TWITTER,
        content="Services4Me drop-in sessions now run every Thursday afternoon at the library.",
    )
    services.business_use_move(request=waiting, by=supervisor, move="approve_content")

    # A professional forum waiting for the supervisor (6.4).
    services.business_use_submit(
        requester=staff2,
        kind=Kind.PROFESSIONAL_SITE,
        site="Community Care professional forum",
        purpose=Purpose.SHARE_BEST_PRACTICE,
        from_date=today,
        to_date=today + datetime.timedelta(days=30),
        content="Share how we run handovers between support workers.",
    )

    # A post the supervisor asked to change.
    changes = services.business_use_submit(
        requester=staff2,
        kind=Kind.OFFICIAL_POST,
        account=Account.FOCUS_BLOG,
        content="A day in the life of a supported living worker, with photographs of the house.",
    )
    services.business_use_move(
        request=changes,
        by=people["supervisor2"],
        move="request_changes",
        text="Please leave out the photographs of the house: residents could be identified.",
    )

    # A recommendation waiting for the communications team (6.5), and advice already given (6.6).
    services.business_use_submit(
        requester=staff,
        kind=Kind.RECOMMENDATION,
        recommended_for="Riverside Advocacy Service",
        site="LinkedIn",
        content="Riverside Advocacy have supported many of the people we work with; we recommend them.",
    )
    advice = services.business_use_submit(
        requester=supervisor,
        kind=Kind.ADVICE,
        topic=Topic.USING_SOCIAL_MEDIA,
        content="Could the team use a closed WhatsApp group to arrange cover at short notice?",
    )
    services.business_use_move(
        request=advice,
        by=comms,
        move="answer",
        text="Please use the rota system and Teams for cover: they are focus's formal routes (6.2). We "
        "would not approve a WhatsApp group for work.",
    )

    # Two questions about which sites are acceptable (6.6), answered by the Head of Information & Security
    # and a Head of Service; the first goes into the register of approved sites (registers.demo).
    future_nhs = services.business_use_submit(
        requester=people["supervisor2"],
        kind=Kind.ADVICE,
        topic=Topic.ACCEPTABLE_SITES,
        site="FutureNHS (the NHS's collaboration platform)",
        content="The local integrated care board has invited our supported living managers to its "
        "discharge planning workspace on FutureNHS. Can we join and take part?",
    )
    services.business_use_move(
        request=future_nhs,
        by=people["infosec"],
        move="answer",
        text="Yes: join with your focus e-mail address, and only the workspaces you are invited to for "
        "your role. Discuss processes and share focus's published documents; never post personal "
        "information about the people we support (use NHSmail or the care record for that). Tell your "
        "supervisor which workspaces you have joined.",
    )
    scie = services.business_use_submit(
        requester=staff2,
        kind=Kind.ADVICE,
        topic=Topic.ACCEPTABLE_SITES,
        site="SCIE dementia practice forum",
        content="May I share the activities our house runs for residents living with dementia?",
    )
    services.business_use_move(
        request=scie,
        by=people["headofservice"],
        move="answer",
        text="Yes, in the time your supervisor agrees (6.4): describe the activities, without names, "
        "photographs or anything that identifies the house or the residents.",
    )
