"""The project's scripts end only the processes they started."""

import re

import pytest

from tests.processes import ROOT

SCRIPTS = sorted(
    [*ROOT.glob("bin/*"), *ROOT.glob("bench/*.sh"), ROOT / "Makefile"],
)
#: Any command whose name holds "kill": only ``kill`` itself may end a process.
ENDING = re.compile(r"[\w-]*kill[\w-]*")
#: What ``kill`` may be given: a signal, ``--``, and ids the script kept in its own
#: variables ("$pid", or "-$pgid" for a process group it started).
OWN_IDS = re.compile(r'(?:\s+(?:-[A-Z0-9]+|--))*(?:\s+"?-?\$\{?\w+\}?"?)+')


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_scripts_end_only_their_own_processes_never_by_name(script):
    """A search by name may end another person's server on the same machine; a
    script keeps the ids of what it starts and ends those, with ``kill`` alone."""
    text = script.read_text()
    for found in ENDING.finditer(text):
        assert found.group() == "kill", found.group()
        assert OWN_IDS.match(text, found.end()), text[found.start() : found.end() + 40]
