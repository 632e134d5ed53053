"""Check before you submit: a step that cannot be undone is confirmed on a page that says what will happen.

The first valid POST of such a step gets `confirmation_page` back instead of the step: the plain words of
what will happen, a Confirm button that posts the same data again with `confirm=1`, and a Go back link.
Only the confirmed POST reaches the service. No script and no browser dialog: it works on any device.
The words of each step live next to its definition (the `confirm` text of a workflow move, of an action).
"""

from django.shortcuts import render

CONFIRMED = "confirm"
# Not posted again: the token is rendered afresh on the page, and the confirmation is what is being asked.
_NOT_REPOSTED = {"csrfmiddlewaretoken", CONFIRMED}


def is_confirmed(request):
    return request.POST.get(CONFIRMED) == "1"


def confirmation_page(request, *, what, title, back):
    """The page to show instead of doing the step, or None when the step may go ahead.

    None when the step needs no confirmation (`what` is empty) or the POST is the confirmed one. `what`
    says in plain words what will happen; `back` is where Go back leads, with nothing done.
    """
    if not what or is_confirmed(request):
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_REPOSTED
        for value in values
    ]
    return render(
        request,
        "confirm.html",
        {
            "title": title,
            "what": what,
            "back": back,
            "fields": fields,
            "action": request.path,
        },
    )
