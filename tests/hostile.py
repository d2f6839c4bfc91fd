"""What the hostile-input campaign sends, how it reads a form, and how long an answer
may take.

tests/markets/test_api_schemathesis.py fuzzes the API, tests/test_hostile_forms.py every
form and query a page reads; both hold each answer to `assert_quick`.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import strategies as st

#: Seconds of the server's own work (CPU time of the thread that answered). Past this
#: a reader has given up and a worker nears gunicorn's timeout; answers on the article
#: data take well under a second. CPU time, not the clock, so that a machine busy with
#: other work (the two halves of `make test` share two cores) does not fail the suite.
SLOWEST_ANSWER = 3.0
#: Seconds by the clock, for work that is not CPU (a slow query, a lock, a sleep),
#: with room for a busy machine.
SLOWEST_ANSWER_BY_THE_CLOCK = 10.0


def assert_quick(what: str, *, cpu: float, clock: float) -> None:
    """Hold one answer to both limits."""
    assert cpu < SLOWEST_ANSWER, f"{what} worked {cpu:.1f} s (CPU)"
    assert clock < SLOWEST_ANSWER_BY_THE_CLOCK, f"{what} took {clock:.1f} s"


#: Values sent as they stand, bytes where no Python string could carry them.
PAYLOADS: tuple[bytes, ...] = tuple(
    value if isinstance(value, bytes) else value.encode()
    for value in (
        "",
        " ",
        "\x07 a bell",
        "nul \x00 inside",
        "\x1b[31m escape \x7f\x85\x9f",
        b"\xed\xa0\x80 a lone surrogate",
        b"\xff\xfe not UTF-8",
        "\u202e\u2066 right to left \u2069\u202c",
        "\u200b\ufeff",
        "😀" * 1000,
        "x" * 100_000,
        "' OR 1=1 --",
        '"); DROP TABLE markets_market; --',
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "{{ 7|add:7 }} {% now 'Y' %}",
        "../../../../etc/passwd",
        "%00%0d%0aX-Injected: 1",
        "line\r\nX-Injected: 1",
        "-1",
        "0",
        "999999999999",
        "99999999999999999999999999999999",
        "1e309",
        "NaN",
        "-Infinity",
        "0001-01-01",
        "9999-12-31",
        "2024-02-30",
        "2024-13-01T25:61",
        "true",
        "[]",
        '{"a": 1}',
        "a,b,c,,,",
        "http://127.0.0.1:9/",
        "javascript:alert(1)",
        "a@[127.0.0.1]",
    )
)

#: One hostile value: a fixed payload, or generated text with control characters,
#: surrogates (sent as their UTF-8-like bytes) and every other category.
HOSTILE_VALUES = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(st.characters(codec=None), max_size=40).map(
        lambda text: text.encode("utf-8", "surrogatepass")
    ),
)


#: The response header `timed` adds: the CPU seconds the answer took.
CPU_SECONDS_HEADER = "X-Cpu-Seconds"


def timed(application: Callable) -> Callable:
    """A WSGI application that says, in `CPU_SECONDS_HEADER`, how long the thread
    worked on each answer (until its headers were sent: Django's whole view)."""

    def answer(environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.thread_time()

        def start(status: str, headers: list, exc_info=None):
            worked = time.thread_time() - started
            headers.append((CPU_SECONDS_HEADER, f"{worked:.3f}"))
            return start_response(status, headers, exc_info)

        return application(environ, start)

    return answer


@dataclass
class Form:
    """A form as a browser sees it: where it goes, how, and its fields' values."""

    action: str
    method: str
    values: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)

    def add(self, name: str, value: str | None) -> None:
        values = self.values.setdefault(name, [])
        if value is not None:
            values.append(value)


class FormReader(HTMLParser):
    """Reads every <form> of a page with the values it would submit untouched."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(
                Form(
                    action=attributes.get("action") or "",
                    method=(attributes.get("method") or "get").lower(),
                )
            )
            return
        if not self.forms or "name" not in attributes:
            return
        form, name = self.forms[-1], attributes["name"] or ""
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind == "file":
                form.files.add(name)
                form.add(name, None)
            elif kind in ("checkbox", "radio"):
                form.add(
                    name,
                    attributes.get("value") or "on"
                    if "checked" in attributes
                    else None,
                )
            else:
                form.add(name, attributes.get("value") or "")
        elif tag == "select":
            self.select = name
            form.add(name, None)
        elif tag == "textarea":
            self.textarea = name
            form.add(name, "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None and self.forms:
            values = self.forms[-1].values[self.textarea]
            values[-1] += data


class OptionReader(FormReader):
    """The same, with each <select>'s chosen options."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "option" and self.select is not None and self.forms:
            attributes = dict(attrs)
            if "selected" in attributes:
                self.forms[-1].add(self.select, attributes.get("value") or "")
            return
        super().handle_starttag(tag, attrs)


def forms_on(page: str) -> list[Form]:
    """Every form of an HTML page, with the values it would submit untouched."""
    reader = OptionReader()
    reader.feed(page)
    reader.close()
    return reader.forms
