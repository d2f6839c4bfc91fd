"""Which release of the site is running: it enters every cache key and every validator
(caching.versions, caching.kept), so that a page drawn by other code, templates, static
files or catalogues is never served or confirmed with a 304 after a deploy.

Read before Django is set up (config/settings/base.py): nothing here imports Django.
"""

import hashlib
from pathlib import Path

#: What the site is drawn from besides its apps, below the project's folder: the
#: project's own settings, templates and static files, the compiled catalogues, and the
#: pinned libraries.
BESIDE_THE_APPS = ("config", "locale", "requirements")


def drawn_from(base_dir: Path) -> list[Path]:
    """Every folder the site is drawn from: each app's (a folder with an ``apps.py``:
    an app added later counts without being listed), and those beside them."""
    apps = sorted(path for path in base_dir.iterdir() if (path / "apps.py").is_file())
    return [*apps, *(base_dir / folder for folder in BESIDE_THE_APPS)]


def derived_release(base_dir: Path) -> str:
    """A digest of every file the site is drawn from, their names and contents: the
    same in every process of a deployment, different after any change to them (in a
    working copy too, where the commit would not say). About 250 files, hashed once
    when the settings are read."""
    digest = hashlib.blake2b(digest_size=8)
    for folder in drawn_from(base_dir):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(base_dir).as_posix().encode() + b"\0")
                digest.update(hashlib.blake2b(path.read_bytes()).digest())
    return digest.hexdigest()
