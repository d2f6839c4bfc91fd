"""The Editor group: everything the Analyst group may do, and publishing.

Analysts add and change drafts; an editor reviews them and publishes, or returns a
published record to draft. Neither deletes.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PUBLISHABLE = {
    "markets": ["market", "source", "modeevent", "marketfigure"],
    "sellers": ["sellercase", "sellerfigure"],
}


def create_editor_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    analyst, _ = Group.objects.get_or_create(name="Analyst")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*analyst.permissions.all())
    editor.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=PUBLISHABLE,
            codename__in=[
                f"publish_{model}" for models in PUBLISHABLE.values() for model in models
            ],
        )
    )


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editor").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0013_publish_permission"),
        ("markets", "0011_analysts_edit_disputes"),
        ("sellers", "0007_publish_permission"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
