"""Triggers that raise the record's version on UPDATE and DELETE, SQL typed by hand.

They are installed after every migrate, as the current code makes them
(caching.installation.install_after_migrate): this step is kept, empty, for the history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0014_editor_group"),
        ("sellers", "0007_publish_permission"),
    ]

    operations = []
