"""HR's setting for the disciplinary records: how long warnings stay live by default."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from .. import services
from ..forms import WarningPeriodsForm
from ..models import WarningPeriods


@login_required
def warning_periods(request):
    if not services.can_manage(request.user):
        raise Http404("No such page.")
    form = WarningPeriodsForm(request.POST or None, instance=WarningPeriods.current())
    if request.method == "POST" and form.is_valid():
        services.warning_periods_change(by=request.user, **form.cleaned_data)
        messages.success(
            request, "The warning periods have been saved. Warnings already given keep their dates."
        )
        return redirect("discipline:warning_periods")
    return render(request, "discipline/warning_periods.html", {"form": form})
