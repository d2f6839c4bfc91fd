import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from datasets.models import Release


def make_release(notes: str = "") -> Release:
    """A release made as an operator makes one: by the command."""
    call_command("release_dataset", notes=notes, stdout=io.StringIO())
    return Release.objects.first()


def unzipped(release: Release, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(bytes(release.archive))) as archive:
        archive.extractall(folder)
    return folder


def member(release: Release, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(bytes(release.archive))) as archive:
        return archive.read(name)


@pytest.fixture
def release(article_data) -> Release:
    """The article data's first release."""
    return make_release(notes="Article data")
