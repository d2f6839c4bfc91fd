"""The project's scripts end only the processes they started."""

import re

import pytest

from tests.processes import ROOT

SCRIPTS = sorted(
    [*ROOT.glob("bin/*"), *ROOT.glob("bench/*.sh"), ROOT / "Makefile"],
)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_scripts_end_only_their_own_processes_never_by_name(script):
    """A search by name (pkill -f, killall) may end another person's server on the
    same machine; a script keeps the ids of what it starts and ends those."""
    text = script.read_text()
    assert not re.search(r"\b(pkill|killall|pgrep)\b", text)
