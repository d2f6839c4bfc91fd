"""Analysts and editors see the dataset releases in the admin; nobody changes one."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Analyst", "Editor")


def let_groups_view_releases(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them now.
    app_config = apps.get_app_config("datasets")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(
        content_type__app_label="datasets", codename="view_release"
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(view)


def forbid_groups_viewing_releases(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="datasets", codename="view_release"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("datasets", "0001_initial"),
        ("markets", "0014_editor_group"),
    ]

    operations = [
        migrations.RunPython(let_groups_view_releases, forbid_groups_viewing_releases)
    ]
