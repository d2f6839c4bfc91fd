"""The apps and which imports which, drawn from the code each time the site is built.

Reads every module of the project's apps (tests and migrations aside) with `ast`, and
adds `architecture.svg` to the site: one box per app, one arrow per app it imports,
labelled with how many of its modules do. Two kinds of arrow: a solid one where the
app's own domain (models, services, selectors, the rule) imports the other, a dashed
one where only its pages, API, admin and commands do (they sit on top and may reach into
any room, the cache included). Apps are drawn in rows by the solid arrows: an app whose
domain imports no other app sits on the bottom row, every other one a row above the
highest app its domain imports, so solid arrows point down while the layers hold. The
SVG is written by hand here: no Graphviz.
"""

import ast
import math
from html import escape
from pathlib import Path

from mkdocs.structure.files import File

APPS = (
    "config",
    "markets",
    "status",
    "intake",
    "caching",
    "sellers",
    "alerts",
    "datasets",
)
SKIPPED = {"migrations", "tests", "__pycache__"}
#: Modules (or folders) that present the rooms rather than make them up: the top layer
#: of every app (pyproject.toml, the layers contract).
PRESENTATION = {
    "admin",
    "admin_base",
    "admin_site",
    "desk",
    "api",
    "api_urls",
    "apps",
    "feeds",
    "health",
    "kept",
    "management",
    "middleware",
    "pages",
    "settings",
    "templatetags",
    "urls",
    "views",
    "wsgi",
}
NAME = "architecture.svg"

WIDTH, HEIGHT = 720, 470
BOX_W, BOX_H = 120, 46


def imported_apps(path, app):
    """The other apps a module imports, at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names)
    return (found & set(APPS)) - {app}


def dependencies(root):
    """The modules of each app, and {(importer, imported): number of the importer's
    modules that import it}, for its domain's modules and for its pages' apart."""
    domain, presentation, modules = {}, {}, {}
    for app in APPS:
        paths = [
            path
            for path in sorted((root / app).rglob("*.py"))
            if not SKIPPED & set(path.relative_to(root).parts)
        ]
        modules[app] = len(paths)
        for path in paths:
            parts = {*path.relative_to(root / app).parts[:-1], path.stem}
            edges = presentation if parts & PRESENTATION else domain
            for other in imported_apps(path, app):
                edges[app, other] = edges.get((app, other), 0) + 1
    return modules, domain, presentation


def _rows(edges):
    """Each app's row, 0 at the bottom: one above the highest app it imports.

    Within a cycle the order is the one APPS gives; the layering contract
    (pyproject.toml) keeps there from being one.
    """
    row = {}

    def depth(app, seen=()):
        if app not in row:
            below = [t for (s, t) in edges if s == app and t not in seen]
            row[app] = 1 + max((depth(t, (*seen, app)) for t in below), default=-1)
        return row[app]

    for app in APPS:
        depth(app)
    return row


def _centres(edges):
    """The apps in rows by depth, the bottom row at the bottom, spread evenly."""
    rows = _rows(edges)
    top = max(rows.values())
    centres = {}
    for number in range(top + 1):
        apps_in_row = [app for app in APPS if rows[app] == number]
        y = HEIGHT - 40 - number * (HEIGHT - 80) / max(top, 1)
        for i, app in enumerate(apps_in_row):
            centres[app] = (WIDTH * (i + 1) / (len(apps_in_row) + 1), y)
    return centres


def _edge_of_box(centre, towards):
    """Where the line from a box's centre towards a point leaves the box."""
    (x, y), (tx, ty) = centre, towards
    dx, dy = tx - x, ty - y
    scale = min(
        (BOX_W / 2) / abs(dx) if dx else math.inf,
        (BOX_H / 2) / abs(dy) if dy else math.inf,
    )
    return x + dx * scale, y + dy * scale


def svg(modules, domain, presentation):
    centres = _centres(domain)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" '
        'aria-labelledby="architecture-title" font-family="sans-serif" font-size="13">',
        '<title id="architecture-title">The apps, and an arrow from each to the apps '
        "it imports, with how many of its modules do</title>",
        "<defs>"
        '<marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
    ]
    drawn = [(edge, count, "") for edge, count in sorted(domain.items())] + [
        (edge, count, ' stroke-dasharray="5 4"')
        for edge, count in sorted(presentation.items())
        if edge not in domain
    ]
    edges = {edge for edge, _, _ in drawn}
    for (source, target), count, dash in drawn:
        (sx, sy), (tx, ty) = centres[source], centres[target]
        length = math.hypot(tx - sx, ty - sy)
        # Two apps importing each other: the two arrows side by side.
        shift = 7 if (target, source) in edges else 0
        nx, ny = -(ty - sy) / length * shift, (tx - sx) / length * shift
        start = _edge_of_box((sx + nx, sy + ny), (tx + nx, ty + ny))
        end = _edge_of_box((tx + nx, ty + ny), (sx + nx, sy + ny))
        modules_word = "module" if count == 1 else "modules"
        out.append(
            f"<g><title>{source} imports {target} "
            f"({count} {modules_word})</title>"
            f'<line x1="{start[0]:.1f}" y1="{start[1]:.1f}" x2="{end[0]:.1f}" '
            f'y2="{end[1]:.1f}" stroke="#555" stroke-width="1.5"{dash} '
            'marker-end="url(#head)"/>'
        )
        # The count a quarter of the way along, near the importer.
        lx = start[0] + (end[0] - start[0]) / 4 + nx * 1.6
        ly = start[1] + (end[1] - start[1]) / 4 + ny * 1.6
        out.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" '
            f'dominant-baseline="middle" font-size="11" fill="#333" '
            f'stroke="#fff" stroke-width="3" paint-order="stroke">{count}</text></g>'
        )
    for app, (x, y) in centres.items():
        out.append(
            f'<g><rect x="{x - BOX_W / 2:.1f}" y="{y - BOX_H / 2:.1f}" '
            f'width="{BOX_W}" height="{BOX_H}" rx="6" fill="#eef3fb" stroke="#2a4d8f"/>'
            f'<text x="{x:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-weight="bold">{escape(app)}/</text>'
            f'<text x="{x:.1f}" y="{y + 13:.1f}" text-anchor="middle" font-size="11" '
            f'fill="#555">{modules[app]} modules</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def on_files(files, config):
    root = Path(config["config_file_path"]).resolve().parent
    modules, domain, presentation = dependencies(root)
    files.append(
        File.generated(config, NAME, content=svg(modules, domain, presentation))
    )
    return files
