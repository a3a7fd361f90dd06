from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("institutions", "0002_person_status_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="institution",
            index=models.Index(fields=["is_active", "name"], name="inst_active_name_idx"),
        ),
    ]
