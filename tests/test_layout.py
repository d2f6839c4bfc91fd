"""The code stays readable in pieces: no module over 500 lines, no function over 60,
and every import at the top of its module.

A function may run longer where splitting it would hide what it does: its docstring
then says why, in a sentence starting "Long because". An import inside a function is
Django's way in an AppConfig's ``ready()`` (the models are loaded by then); anywhere
else a comment just above it says why it is imported there, in a sentence starting
"Imported" (never to dodge an import cycle: the import contracts in pyproject.toml
forbid cycles). Migrations and tests are left out: a migration is written by Django, a
test reads best as one story.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
REASON = "Long because"


def project_modules() -> list[Path]:
    """Every Python module of the project, migrations and tests aside."""
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not any(
            part.startswith(".") or part in ("tests", "migrations", "__pycache__")
            for part in path.relative_to(ROOT).parts[:-1]
        )
    )


def name_of(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def module_lengths() -> dict[str, int]:
    return {
        name_of(path): len(path.read_text(encoding="utf-8").splitlines())
        for path in project_modules()
    }


def function_lengths() -> dict[tuple[str, str], int]:
    """Each function's and method's length in lines, from ``def`` to its last line,
    unless its docstring gives a reason to be long."""
    found = {}
    for path in project_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if REASON in (ast.get_docstring(node) or ""):
                continue
            key = (name_of(path), node.name)
            # Two methods of one name in a module: the longer one counts.
            found[key] = max(found.get(key, 0), node.end_lineno - node.lineno + 1)
    return found


def test_the_walk_finds_the_project_and_leaves_tests_and_migrations_out():
    names = {name_of(path) for path in project_modules()}
    assert "markets/models/__init__.py" in names
    assert "manage.py" in names
    assert not any(name.startswith("tests/") for name in names)
    assert not any("/migrations/" in name for name in names)


def test_no_module_is_longer_than_500_lines():
    too_long = {
        name: lines
        for name, lines in module_lengths().items()
        if lines > MAX_MODULE_LINES
    }
    assert not too_long, f"split these modules by what they do: {too_long}"


def test_no_function_is_longer_than_60_lines_without_a_reason():
    too_long = {
        f"{module}:{function}": lines
        for (module, function), lines in function_lengths().items()
        if lines > MAX_FUNCTION_LINES
    }
    assert not too_long, (
        f"shorten these functions, or say in their docstring why they are long "
        f"({REASON} ...): {too_long}"
    )


def imports_inside_functions() -> list[str]:
    """Each import placed inside a function, but in ``ready()`` or below a comment
    saying why it is imported there."""
    found = []
    for path in project_modules():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source, filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if function.name == "ready" and path.name == "apps.py":
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom) and not any(
                    line.strip().startswith("# Imported")
                    for line in lines[max(node.lineno - 5, 0) : node.lineno - 1]
                ):
                    found.append(f"{name_of(path)}:{node.lineno}")
    return found


def test_every_import_is_at_the_top_of_its_module_or_says_why_it_is_not():
    assert imports_inside_functions() == []
