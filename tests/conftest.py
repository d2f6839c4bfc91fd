from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client


@pytest.fixture
def article_data(db) -> None:
    """The two articles' facts, as `make run` loads them."""
    call_command("load_articles", stdout=StringIO())


@pytest.fixture
def analyst(db) -> User:
    user = User.objects.create_user(
        "analyst", password="not-a-real-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Analyst"))
    return user


@pytest.fixture
def analyst_client(analyst: User) -> Client:
    client = Client()
    client.force_login(analyst)
    return client
