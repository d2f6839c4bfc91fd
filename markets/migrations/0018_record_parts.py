"""The record version kept per part of the record (status, figures, sellers), so that a
write retires only the cached reads of its own part; the triggers raise the part of
their table."""

from django.db import migrations, models
from django.utils import timezone

PARTS = ("status", "figures", "sellers")


def one_row_per_part(apps, schema_editor) -> None:
    RecordVersion = apps.get_model("markets", "RecordVersion")
    current = RecordVersion.objects.order_by("pk").first()
    number = current.number if current else 1
    for part in PARTS:
        RecordVersion.objects.get_or_create(part=part, defaults={"number": number})


class Migration(migrations.Migration):
    dependencies = [("markets", "0017_shared_cache_table")]

    operations = [
        migrations.AddField(
            model_name="recordversion",
            name="part",
            field=models.CharField(default="status", max_length=20, verbose_name="part"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="recordversion",
            name="changed_at",
            field=models.DateTimeField(default=timezone.now, verbose_name="changed"),
        ),
        migrations.RunPython(one_row_per_part, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="recordversion",
            name="part",
            field=models.CharField(
                choices=[
                    ("status", "Markets, sources, events and disputes"),
                    ("figures", "Market figures"),
                    ("sellers", "Seller cases and their figures"),
                ],
                max_length=20,
                unique=True,
                verbose_name="part",
            ),
        ),
    ]
