"""Building what analysts archive in the tests: a source's admin form, and PDFs."""

import zlib
from collections.abc import Iterable

from django.test import Client
from django.urls import reverse

from markets.models import Source

TEXT_OPERATORS = b"BT /F1 12 Tf 72 720 Td (Sellers moved to Shopify.) Tj ET"


def source_form(client: Client, source: Source) -> tuple[str, dict]:
    url = reverse("admin:markets_source_change", args=[source.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: str(form[name].value())
        for name in form.fields
        if form[name].value() is not None
    }
    data["change_reason"] = "archived its text"
    # The outlets the source relays, an inline of its page: none added here.
    data |= {"relayed_sources-TOTAL_FORMS": "0", "relayed_sources-INITIAL_FORMS": "0"}
    return url, data


def pdf_of(
    content: Iterable[bytes], *, page_count: int = 1, compressed: bool = False
) -> bytes:
    """A PDF of ``page_count`` pages that all show one content stream, written in
    pieces (``content``) so that a stream of hundreds of megabytes is packed without
    ever being held whole."""
    if compressed:
        packer = zlib.compressobj(9)
        body = b"".join(packer.compress(piece) for piece in content) + packer.flush()
        filters = b" /Filter /FlateDecode"
    else:
        body, filters = b"".join(content), b""
    kids = b" ".join(b"%d 0 R" % (5 + index) for index in range(page_count))
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, page_count),
        b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(body), filters, body),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *([page] * page_count),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def compression_bomb() -> bytes:
    """About 100 KB that unpack to 100 MB of spaces."""
    return pdf_of([b" " * 1_000_000] * 100, compressed=True)


def text_operator_flood() -> bytes:
    """About 30 KB holding three million text operators."""
    return pdf_of(
        [b"BT /F1 12 Tf 72 720 Td\n", b"(x) Tj\n" * 3_000_000, b"ET"], compressed=True
    )
