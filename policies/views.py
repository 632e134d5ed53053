from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Policy


@login_required
def policy_list(request):
    return render(request, "policies/policy_list.html", {"policies": Policy.objects.all()})
