import pytest
from django.conf import settings

from policies import services

SEED = settings.BASE_DIR / "data" / "social-media-policy.txt"


@pytest.fixture
def policy_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def policy(db, governance, policy_text):
    """The Social Media Policy, imported and approved, owned by the Head of Business and Governance."""
    version = services.policy_import(text=policy_text, title="Social Media Policy").version
    version.policy.owner = governance
    version.policy.save()
    services.version_approve(version=version, by=governance)
    return version.policy


@pytest.fixture
def draft_v2(policy, policy_text):
    """A second text of the policy, still a draft: 5.3 reworded and a new clause 10.3."""
    text = policy_text.replace(
        "Staff should therefore avoid making controversial comments",
        "Staff must therefore avoid making controversial or unkind comments",
    ).replace(
        "by contacting the Head of Business and Governance.",
        "by contacting the Head of Business and Governance.\n- 10.3 Comments can be made in focuspolicy.",
    )
    return services.policy_import(text=text, title="Social Media Policy").version
