"""Reading what a WeasyPrint PDF shows: the titles of its bookmarks (one per heading) and its title."""

import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
TITLE = re.compile(rb"/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]+>)")


def headings(pdf):
    """The headings of the document as the PDF's outline (and its /Title) names them."""
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    chunks = [pdf]
    for match in STREAM.finditer(pdf):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    titles = []
    for raw in TITLE.findall(b"\n".join(chunks)):
        if raw.startswith(b"<"):
            data = bytes.fromhex(raw[1:-1].decode())
            titles.append(data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode("latin-1"))
        else:
            titles.append(re.sub(rb"\\(.)", rb"\1", raw[1:-1]).decode("latin-1"))
    return titles
