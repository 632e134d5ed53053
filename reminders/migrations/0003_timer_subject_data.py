# Each timer's subject from its old foreign keys, with one UPDATE per kind of subject (never row by row):
# a removal request's timer is about the removal request, every other timer about its case. A timer that
# has a subject already (the migration was undone only as far as 0002, which keeps the subject columns) is
# left as it is: a timer about something else than a case, say a subject access request, has neither key.

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def _types(apps, using):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    case_type, _ = ContentType.objects.using(using).get_or_create(app_label='cases', model='case')
    removal_type, _ = ContentType.objects.using(using).get_or_create(app_label='cases', model='removalrequest')
    return case_type, removal_type


def subjects_from_foreign_keys(apps, schema_editor):
    using = schema_editor.connection.alias
    timers = apps.get_model('reminders', 'Timer').objects.using(using)
    if not timers.exists():
        return
    case_type, removal_type = _types(apps, using)
    # About nothing (never made by the code): it could not fire usefully, and a subject is now required.
    timers.filter(subject_type__isnull=True, case__isnull=True, removal_request__isnull=True).delete()
    timers.filter(removal_request__isnull=False).update(
        subject_type=removal_type, subject_id=F('removal_request_id')
    )
    timers.filter(removal_request__isnull=True, case__isnull=False).update(
        subject_type=case_type, subject_id=F('case_id')
    )


def foreign_keys_from_subjects(apps, schema_editor):
    using = schema_editor.connection.alias
    timers = apps.get_model('reminders', 'Timer').objects.using(using)
    if not timers.exists():
        return
    case_type, removal_type = _types(apps, using)
    RemovalRequest = apps.get_model('cases', 'RemovalRequest')
    timers.filter(subject_type=case_type).update(case_id=F('subject_id'))
    timers.filter(subject_type=removal_type).update(
        removal_request_id=F('subject_id'),
        case_id=Subquery(RemovalRequest.objects.filter(pk=OuterRef('subject_id')).values('case_id')[:1]),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_alter_case_options'),
        ('reminders', '0002_timer_subject'),
    ]

    operations = [
        migrations.RunPython(subjects_from_foreign_keys, foreign_keys_from_subjects),
    ]
