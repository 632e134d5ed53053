# The old foreign keys and their constraints go; the subject is required and unique as they were, per
# (subject, kind, note).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reminders', '0003_timer_subject_data'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='timer',
            name='one_case_timer',
        ),
        migrations.RemoveConstraint(
            model_name='timer',
            name='one_removal_request_timer',
        ),
        migrations.RemoveField(
            model_name='timer',
            name='case',
        ),
        migrations.RemoveField(
            model_name='timer',
            name='removal_request',
        ),
        migrations.AlterField(
            model_name='timer',
            name='subject_type',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AlterField(
            model_name='timer',
            name='subject_id',
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name='timer',
            constraint=models.UniqueConstraint(fields=('subject_type', 'subject_id', 'kind', 'note'), name='one_timer'),
        ),
    ]
