"""Create an analyst login with a generated password, printed once."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

ANALYST_GROUP = "Analyst"
EDITOR_GROUP = "Editor"


class Command(BaseCommand):
    help = (
        "Create a staff user in the Analyst group with a random password, printed once. "
        "Nothing else stores or shows the password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--editor",
            action="store_true",
            help="In the Editor group: an analyst who may also publish.",
        )

    @transaction.atomic
    def handle(
        self, *args, username: str, email: str, editor: bool = False, **options
    ) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} exists already.")
        try:
            group = Group.objects.get(name=EDITOR_GROUP if editor else ANALYST_GROUP)
        except Group.DoesNotExist as error:
            raise CommandError(
                "Run 'manage.py migrate' first: it creates the Analyst and Editor "
                "groups."
            ) from error
        password = secrets.token_urlsafe(18)
        user = User.objects.create_user(
            username=username, email=email, password=password, is_staff=True
        )
        user.groups.add(group)
        self.stdout.write(
            f"{group.name} {username!r} created. Password (shown only now): {password}"
        )
