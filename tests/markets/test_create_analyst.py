import re

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_create_analyst_prints_a_generated_password_that_logs_in(capsys, client):
    call_command("create_analyst", "mei")
    output = capsys.readouterr().out
    password = re.search(r"Password \(shown only now\): (\S+)", output).group(1)
    assert len(password) >= 20

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "mei", "password": password}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    user = User.objects.get(username="mei")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Analyst"]


@pytest.mark.django_db
def test_create_analyst_never_reuses_a_password(capsys):
    call_command("create_analyst", "one")
    call_command("create_analyst", "two")
    passwords = re.findall(r"shown only now\): (\S+)", capsys.readouterr().out)
    assert len(set(passwords)) == 2


@pytest.mark.django_db
def test_create_analyst_refuses_an_existing_name():
    call_command("create_analyst", "mei")
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_analyst", "mei")


@pytest.mark.django_db
def test_an_editor_is_an_analyst_who_may_also_publish(capsys):
    call_command("create_analyst", "lin", "--editor")
    user = User.objects.get(username="lin")
    assert list(user.groups.values_list("name", flat=True)) == ["Editor"]
    assert user.has_perm("markets.publish_modeevent")
    assert user.has_perm("markets.change_modeevent")
    assert not user.has_perm("markets.delete_modeevent")
    call_command("create_analyst", "wen")
    assert not User.objects.get(username="wen").has_perm("markets.publish_modeevent")
