"""Being written."""

from django.http import Http404


def my_reports(request):
    raise Http404


triage_queue = governance_queue = all_cases = referrals_to_hr = my_reports


def referral_detail(request, pk):
    raise Http404
