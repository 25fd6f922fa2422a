from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("playground", "0002_snapshot_storage_bounds"),
    ]

    # A database default too, so that the previous release, which does not name the column, can
    # still insert snapshots during a rolling update.
    operations = [
        migrations.AddField(
            model_name="snapshot",
            name="scenario",
            field=models.TextField(blank=True, db_default="", default=""),
        ),
    ]
