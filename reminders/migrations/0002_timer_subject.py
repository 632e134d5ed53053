# A timer's subject becomes generic (any model), in three steps, each its own transaction on PostgreSQL:
# the new columns (0002), the data (0003), then the old foreign keys go (0004).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reminders', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='timer',
            name='subject_type',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddField(
            model_name='timer',
            name='subject_id',
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AlterField(
            model_name='timer',
            name='kind',
            field=models.CharField(max_length=30),
        ),
    ]
