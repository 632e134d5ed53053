"""Reads for the registers' pages. Everyone signed in reads both registers."""

from django.urls import reverse_lazy

from .models import ApprovedSite, OfficialAccount

REGISTERS_URL = reverse_lazy("business_use:registers")


def accounts():
    return OfficialAccount.objects.prefetch_related("posters")


def sites():
    return ApprovedSite.objects.select_related("approved_by", "from_request")


def registers_page(user):
    """Both registers, the entries in use first; and whether this person keeps either."""
    all_accounts, all_sites = list(accounts()), list(sites())
    return {
        "accounts": [entry for entry in all_accounts if entry.in_use],
        "retired_accounts": [entry for entry in all_accounts if not entry.in_use],
        "sites": [entry for entry in all_sites if entry.in_use],
        "withdrawn_sites": [entry for entry in all_sites if not entry.in_use],
        "keeps_accounts": OfficialAccount.is_keeper(user),
        "keeps_sites": ApprovedSite.is_keeper(user),
    }


def history(entry):
    return entry.changes.select_related("actor")


def site_from_request(request):
    """The register form's starting values from an answered 6.6 question: the site asked about, what the
    requester is considering, and the answer as the conditions of use."""
    links = request.link_list()
    return {
        "name": request.site,
        "link": links[0] if links else "",
        "purpose": request.content,
        "conditions": request.decision_text,
    }


def site_for_request(request):
    """The register entry made from this request's answer, if any."""
    return ApprovedSite.objects.filter(from_request=request).first()
