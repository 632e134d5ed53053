"""The hash chain over audit entries (audit.chain), and the entries that existed before it chained."""

import django.utils.timezone
from django.db import migrations, models

from audit import chain


def chain_existing_entries(apps, schema_editor):
    """Chain the entries written before the chain, in id order and in batches (a million take about a
    minute), so that an existing database verifies."""
    chain.rechain(model=apps.get_model("audit", "AuditEntry"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_auditentry_actor_and_action_indexes'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='auditentry',
            options={'ordering': ['-at', '-pk'], 'permissions': [('export_auditentry', 'Can export audit entries')], 'verbose_name_plural': 'audit entries'},
        ),
        migrations.AddField(
            model_name='auditentry',
            name='hash',
            field=models.CharField(db_default='', default='', editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='prev_hash',
            field=models.CharField(db_default='', default='', editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop, elidable=True),
    ]
