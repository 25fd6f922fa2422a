from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0002_answer_feedback"),
    ]

    operations = [
        migrations.AddField(
            model_name="quizanswer",
            name="fingerprint",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
    ]
