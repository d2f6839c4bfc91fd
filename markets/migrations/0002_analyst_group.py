"""The Analyst group: add, change and view every content model; never delete, never users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = {
    "markets": [
        "region",
        "market",
        "source",
        "modeevent",
        "eventevidence",
        "marketfigure",
        "marketfigureevidence",
    ],
    "sellers": [
        "strategy",
        "sellercase",
        "sellercaseevidence",
        "sellerfigure",
        "sellerfigureevidence",
    ],
}
ACTIONS = ("add", "change", "view")


def create_analyst_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Analyst")
    codenames = [
        f"{action}_{model}"
        for models in CONTENT_MODELS.values()
        for model in models
        for action in ACTIONS
    ]
    permissions = Permission.objects.filter(
        content_type__app_label__in=CONTENT_MODELS, codename__in=codenames
    )
    group.permissions.add(*permissions)


def remove_analyst_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Analyst").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("markets", "0001_initial"),
        ("sellers", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_analyst_group, remove_analyst_group)]
