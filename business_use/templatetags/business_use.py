from django import template

from business_use.case_links import business_use_for_case, handles_case

register = template.Library()


@register.inclusion_tag("business_use/case_panel.html", takes_context=True)
def case_business_use(context, case, relation):
    """The case page's panel of business use on record for the concern's subject (business_use.case_links):
    for the case's handlers only, and only for a concern about a colleague."""
    shown = handles_case(relation) and case.subject_person_id is not None
    return {
        "case": case,
        "relation": relation,
        "shown": shown,
        "business_use": business_use_for_case(case) if shown else [],
        "csrf_token": context.get("csrf_token"),
    }
