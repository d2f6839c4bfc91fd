"""Triggers that raise the record's version on UPDATE and DELETE, SQL typed by hand."""

from django.db import migrations

from caching import triggers


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0014_editor_group"),
        ("sellers", "0007_publish_permission"),
    ]

    operations = [migrations.RunPython(triggers.install, triggers.uninstall)]
