from django import template

from dataprotection.models import LegalHold

register = template.Library()


@register.inclusion_tag("dataprotection/case_panel.html", takes_context=True)
def case_data_protection(context, case):
    """The case page's panel: anonymised or not, and its legal hold for the governance head."""
    may_hold = context["request"].user.has_perm("dataprotection.manage_legal_holds")
    holds = LegalHold.objects.in_force().filter(case=case).select_related("placed_by")
    hold = holds.first() if may_hold else None
    return {"case": case, "may_hold": may_hold, "hold": hold}
