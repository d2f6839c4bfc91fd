from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


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


@pytest.fixture
def api_client() -> APIClient:
    """An anonymous reader."""
    return APIClient()


def token_client(user: User) -> APIClient:
    """A client signed in with a token; in English, so tests can read the messages."""
    client = APIClient(headers={"Accept-Language": "en"})
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def analyst_api(analyst: User) -> APIClient:
    """An analyst signed in with a token: add, change and view, never delete."""
    return token_client(analyst)


@pytest.fixture
def reader_api(db) -> APIClient:
    """A signed-in user without any permission."""
    return token_client(User.objects.create_user("reader", password="not-a-real-one"))


@pytest.fixture
def admin_api(db) -> APIClient:
    return token_client(
        User.objects.create_superuser("chief", password="not-a-real-password")
    )
