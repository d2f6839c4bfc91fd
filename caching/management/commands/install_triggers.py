"""manage.py install_triggers: the record's triggers, as the current code makes them.

``migrate`` installs them after every run (caching.installation.install_after_migrate);
this does the same without migrating, after a restore from a dump without triggers,
or a trigger dropped by hand, which ``manage.py check --database default`` reports
(caching.E001).

    manage.py install_triggers                     the default database
    manage.py install_triggers --database other
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from caching.installation import install_wanted, wanted_triggers


class Command(BaseCommand):
    help = (
        "Replace the triggers on the record's tables by those the code makes; "
        "nothing if the database holds them already."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database to install them on (default: %(default)s).",
        )

    def handle(self, *args: object, **options: object) -> None:
        connection = connections[options["database"]]
        wanted = len(wanted_triggers(apps, connection.vendor))
        if install_wanted(connection, apps):
            self.stdout.write(f"Installed the {wanted} triggers of the record.")
        else:
            self.stdout.write(f"The {wanted} triggers of the record were in place.")
