import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_create_analyst_prints_a_generated_password_that_logs_in(capsys):
    call_command("create_analyst", "mei")
    output = capsys.readouterr().out
    password = re.search(r"Password \(shown only now\): (\S+)", output).group(1)
    assert len(password) >= 20

    user = authenticate(username="mei", password=password)
    assert user is not None and user.is_staff and not user.is_superuser
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
