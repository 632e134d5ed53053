from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.pagination import page_from_request

from . import services
from .forms import PreferencesForm
from .lists import list_items
from .models import MANDATORY_KINDS, Kind, Notification, Preference


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user)
    page = page_from_request(request, notifications, per_page=50)
    return render(request, "notifications/list.html", {"page": page, "items": list_items(page.object_list)})


@login_required
@require_POST
def mark_read(request):
    ids = request.POST.getlist("notification")
    services.notification_mark_read(
        user=request.user, notification_ids=[int(i) for i in ids if i.isdigit()] or None
    )
    return redirect("notifications:list")


@login_required
def open_notification(request, pk):
    """Follow a notification's link, marking it read on the way."""
    notification = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if notification is None:
        return redirect("notifications:list")
    services.notification_mark_read(user=request.user, notification_ids=[notification.pk])
    return redirect(notification.link)


@login_required
def preferences(request):
    current = dict(Preference.objects.filter(user=request.user).values_list("kind", "mode"))
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=request.user, modes=form.cleaned_data)
        messages.success(request, "Your notification preferences are saved.")
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "mandatory": [kind.label for kind in Kind if kind in MANDATORY_KINDS]},
    )
