"""The default wording of the three letters, in plain UK English to the ACAS Code of Practice. HR edit them
on the Letter templates page; this only creates those not there yet."""

from django.db import migrations

INVITATION = """Dear {{ employee_name }},

Invitation to a disciplinary hearing ({{ record_reference }})

I am writing to invite you to a disciplinary hearing on {{ hearing_date }} at {{ hearing_time }}, to be held at {{ hearing_place }}.

The hearing is to consider the following allegation of {{ severity }}, which may amount to a breach of clause {{ clauses }} of the Social Media Policy:

{{ allegation }}

Copies of the evidence to be considered at the hearing are enclosed. You will have the opportunity to state your case and to respond to the evidence before any decision is made.

You have the right to be accompanied at the hearing by a work colleague or a trade union representative. Please let me know before the hearing who will accompany you, if anyone. Companion you have named so far: {{ invited_companion|default:"none yet" }}.

If you or your companion cannot attend at this time, please contact me as soon as possible so that we can arrange another date. If you do not attend without good reason, the hearing may go ahead in your absence.

Yours sincerely,

{{ sender_name }}
Human Resources
{{ today }}
"""

OUTCOME = """Dear {{ employee_name }},

Outcome of your disciplinary hearing ({{ record_reference }})

Thank you for attending the disciplinary hearing held on {{ hearing_held_on }} with {{ heard_by }}, about the allegation that you breached clause {{ clauses }} of the Social Media Policy.

Having considered the evidence and what you said at the hearing, the decision, made on {{ decided_on }}, is: {{ outcome }}.

The reasons for this decision are:

{{ outcome_reasons }}

If you have been given a written warning, it will remain on your record until {{ warning_expires_on|default:"the date stated above" }}, after which it will be disregarded for disciplinary purposes.

You have the right to appeal against this decision. If you wish to appeal, please write to me within 5 working days of receiving this letter, setting out the grounds of your appeal. The appeal will be heard, where possible, by a more senior manager who has not been involved in the case.

Yours sincerely,

{{ sender_name }}
Human Resources
{{ today }}
"""

APPEAL_OUTCOME = """Dear {{ employee_name }},

Outcome of your appeal ({{ record_reference }})

Thank you for attending the appeal hearing held on {{ appeal_heard_on }} with {{ appeal_heard_by }}, following the appeal you lodged on {{ appeal_lodged_on }} against the outcome of your disciplinary hearing ({{ outcome }}).

The decision on your appeal is: {{ appeal_outcome }}. The outcome that now stands is: {{ outcome_in_force }}.

The reasons for this decision are:

{{ appeal_reasons }}

This decision is final and concludes the disciplinary procedure.

Yours sincerely,

{{ sender_name }}
Human Resources
{{ today }}
"""

DEFAULTS = {
    "invitation": ("Invitation to a disciplinary hearing – {{ record_reference }}", INVITATION),
    "outcome": ("Outcome of your disciplinary hearing – {{ record_reference }}", OUTCOME),
    "appeal_outcome": ("Outcome of your appeal – {{ record_reference }}", APPEAL_OUTCOME),
}


def create_defaults(apps, schema_editor):
    LetterTemplate = apps.get_model("discipline", "LetterTemplate")
    for kind, (subject, body) in DEFAULTS.items():
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"subject": subject, "body": body})


class Migration(migrations.Migration):
    dependencies = [("discipline", "0004_invitation_details_hearing_attendees_letter_templates")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
