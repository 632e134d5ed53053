from django import template

from core.compiled import CompiledQuery
from dataprotection.models import LegalHold

register = template.Library()

# Whether the case is under a legal hold, asked on every case page the governance head opens: compiled
# once (core.compiled), and the hold itself read only for the few cases under one.
_HOLD_IN_FORCE = CompiledQuery(
    lambda case_id: LegalHold.objects.in_force().filter(case=case_id).values_list("pk")
)


@register.inclusion_tag("dataprotection/case_panel.html", takes_context=True)
def case_data_protection(context, case):
    """The case page's panel: anonymised or not, and its legal hold for the governance head."""
    may_hold = context["request"].user.has_perm("dataprotection.manage_legal_holds")
    hold = None
    if may_hold and _HOLD_IN_FORCE.rows(case.pk):
        hold = LegalHold.objects.in_force().filter(case=case).select_related("placed_by").first()
    return {"case": case, "may_hold": may_hold, "hold": hold}
