"""Reading the text of an uploaded PDF or HTML page, in a process of its own.

A hostile file (a compression bomb, millions of text operators, thousands of pages,
markup that takes minutes to parse) must cost the site a few seconds and never a
server worker. So the file is read by a fresh Python process that limits its own
memory and CPU time before it reads a byte of the file, with pypdf's limits
tightened; intake.uploads kills it (by its pid) when it overruns its wall-clock
time, and words every failure as a field error.

This module imports nothing of Django, so that the process starts in a fraction of
a second. Run as ``python -I extraction.py KIND MAX_CHARS MAX_PAGES SECONDS
MEMORY_BYTES`` with the file on stdin, it answers one JSON object on stdout:
``{"text": ...}``, or ``{"error": REASON, "pages": N}`` with one of the reasons below.
"""

import io
import json
import re
import resource
import sys

#: Why a file gave no text (intake.uploads words each for the analyst).
TOO_LONG = "too_long"
TOO_MANY_PAGES = "too_many_pages"
OVER_LIMITS = "limits"
UNREADABLE = "unreadable"
OUT_OF_MEMORY = "memory"
TIMED_OUT = "timeout"

#: What an HTML page holds that is never its text.
NOT_TEXT_TAGS = ("script", "style", "noscript", "template", "head")
#: pypdf's limits, well under its defaults: a text PDF within the archive's limits
#: comes nowhere near them (a page of text is a few thousand operators, a content
#: stream well under a megabyte), a bomb or a flood of operators stops at once.
PYPDF_LIMITS = {
    "zlib_maximum_output_length": 20_000_000,
    "lzw_maximum_output_length": 20_000_000,
    "run_length_maximum_output_length": 20_000_000,
    "array_based_stream_maximum_output_length": 20_000_000,
    "stream_decoding_work_maximum_length": 50_000_000,
    "stream_parsing_work_maximum_count": 500_000,
}


class Refused(Exception):
    def __init__(self, reason: str, **details: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


def html_text(data: bytes, max_chars: int) -> str:
    """The readable text of an HTML page (UTF-8): its blocks on lines of their own."""
    # Imported here: only the worker reads files; the site imports this module for
    # its reasons' names and never loads the readers.
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data.decode(), "html.parser")
    for tag in soup(NOT_TEXT_TAGS):
        tag.decompose()
    text = re.sub(r"\n\s*\n+", "\n\n", soup.get_text("\n"))
    if len(text) > max_chars:
        raise Refused(TOO_LONG)
    return text


def pdf_text(data: bytes, max_chars: int, max_pages: int) -> str:
    """The text of each page of a PDF, pages separated by a blank line; refused past
    ``max_pages`` pages or ``max_chars`` characters, before reading the rest."""
    # Imported here, as in html_text: the worker's alone.
    from pypdf import PdfReader, overwrite_configuration
    from pypdf.errors import LimitReachedError

    overwrite_configuration(**PYPDF_LIMITS)
    try:
        reader = PdfReader(io.BytesIO(data))
        # The count the file declares, read before its page tree is walked.
        declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
        if isinstance(declared, int) and declared > max_pages:
            raise Refused(TOO_MANY_PAGES, pages=int(declared))
        return _pages_text(reader, max_chars, max_pages)
    except LimitReachedError as error:
        raise Refused(OVER_LIMITS) from error


def _pages_text(reader, max_chars: int, max_pages: int) -> str:
    count = len(reader.pages)
    if count > max_pages:
        raise Refused(TOO_MANY_PAGES, pages=count)
    pages: list[str] = []
    length = 0
    for page in reader.pages:
        pages.append(page.extract_text() or "")
        length += len(pages[-1]) + 2
        if length > max_chars + 2:
            raise Refused(TOO_LONG)
    return "\n\n".join(pages)


def limit_self(seconds: int, memory_bytes: int) -> None:
    """Past ``seconds`` of CPU the kernel ends this process (SIGXCPU); past
    ``memory_bytes`` an allocation fails with MemoryError. No core file either."""
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> int:
    kind, max_chars, max_pages, seconds, memory_bytes = argv
    # Imported before the limits, so that only reading the file counts against them.
    import bs4  # noqa: F401
    import pypdf  # noqa: F401

    limit_self(int(seconds), int(memory_bytes))
    data = sys.stdin.buffer.read()
    try:
        if kind == "pdf":
            answer = {"text": pdf_text(data, int(max_chars), int(max_pages))}
        else:
            answer = {"text": html_text(data, int(max_chars))}
    except Refused as refused:
        answer = {"error": refused.reason, **refused.details}
    except MemoryError:
        answer = {"error": OUT_OF_MEMORY}
    except Exception:  # noqa: BLE001 - whatever a malformed file raises, it is unreadable
        answer = {"error": UNREADABLE}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
