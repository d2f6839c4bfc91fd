"""The Analyst group adds, changes and views disputes, as every other content model."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Analyst")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="markets",
            codename__in=["add_dispute", "change_dispute", "view_dispute"],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0010_answer_engine"),
        ("markets", "0002_analyst_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
