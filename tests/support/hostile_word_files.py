"""Hostile Word files, built byte by byte: each is a real .docx (python-docx writes the base) with one
part replaced, or a zip whose directory lies. Issue 22 measured every one of them against the server.

The package is written by hand (`package`), not with zipfile, so that a test can make it declare any
size and store any deflated stream."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_DOCUMENT_OPEN = f'{_XML_HEAD}<w:document xmlns:w="{W_NS}"><w:body>'
_DOCUMENT_CLOSE = "<w:sectPr/></w:body></w:document>"


def base_parts(*paragraphs: str) -> dict[str, bytes]:
    """The entries of a small .docx written by python-docx."""
    document = docx.Document()
    for text in paragraphs or ("Ordinary text.",):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _deflate(chunks) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, length) of the concatenated chunks. Each chunk is compressed on its
    own (a full flush resets the compressor), so a chunk repeated is compressed once: hundreds of
    megabytes cost a second."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    out, crc, size = [], 0, 0
    previous, compressed = None, b""
    for chunk in chunks:
        if chunk is not previous:
            compressed = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
            previous = chunk
        out.append(compressed)
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
    out.append(compressor.flush())
    return b"".join(out), crc, size


def package(parts: dict[str, bytes | list[bytes]], declared: dict[str, int] | None = None) -> bytes:
    """A zip of deflated entries; `declared` makes the directory state another uncompressed size.
    A part given as a list of chunks is deflated chunk by chunk (for hundreds of megabytes)."""
    declared = declared or {}
    out = io.BytesIO()
    directory = []
    for name, content in parts.items():
        stream, crc, size = _deflate(content if isinstance(content, list) else [content])
        stated = declared.get(name, size)
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(stream), stated,
                              len(encoded), 0))
        out.write(encoded)
        out.write(stream)
        directory.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(stream),
                                     stated, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    for record in directory:
        out.write(record)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(directory), len(directory), out.tell() - start,
                          start, 0))
    return out.getvalue()


def with_parts(changes: dict[str, bytes | list[bytes]], declared: dict[str, int] | None = None,
               paragraphs: tuple[str, ...] = ()) -> bytes:
    return package(base_parts(*paragraphs) | changes, declared)


def _repeated(piece: bytes, count: int, head: bytes = _DOCUMENT_OPEN.encode(),
              tail: bytes = _DOCUMENT_CLOSE.encode()) -> list[bytes]:
    """document.xml as chunks: `piece` `count` times between the head and the tail (one chunk object
    repeated, which `_deflate` compresses once)."""
    per_chunk = max(1, (1 << 20) // len(piece))
    full, rest = divmod(count, per_chunk)
    return [head] + [piece * per_chunk] * full + [piece * rest, tail]


# The files ------------------------------------------------------------------------------

def lying_sizes(megabytes: int = 240) -> bytes:
    """A .docx whose directory declares word/document.xml as 1,000 bytes while its deflated stream
    holds `megabytes` MB (blanks between its elements): about 240 KB for 240 MB."""
    return with_parts({"word/document.xml": _repeated(b" ", megabytes * (1 << 20))},
                      declared={"word/document.xml": 1_000})


def empty_paragraphs(megabytes: int = 95) -> bytes:
    """A small .docx (about 158 KB) holding `megabytes` MB of empty paragraphs, its sizes honest."""
    return with_parts({"word/document.xml": _repeated(b"<w:p/>", megabytes * (1 << 20) // 6)})


def numbered_paragraphs(count: int, words: int = 12) -> bytes:
    """A revision of `count` paragraphs, each with its number typed ("16. ...") and words of its own."""
    pieces = []
    for number in range(1, count + 1):
        text = " ".join(f"word{(number * 7 + k) % 9973}" for k in range(words))
        pieces.append(f"<w:p><w:r><w:t>{number}. {text}</w:t></w:r></w:p>".encode())
    chunks = [_DOCUMENT_OPEN.encode(), b"".join(pieces), _DOCUMENT_CLOSE.encode()]
    return with_parts({"word/document.xml": chunks})


def _styles(extra: str) -> bytes:
    return (f'{_XML_HEAD}<w:styles xmlns:w="{W_NS}"><w:style w:type="paragraph" w:default="1" '
            f'w:styleId="Normal"><w:name w:val="Normal"/></w:style>{extra}</w:styles>').encode()


def _body(*paragraph_xml: str) -> bytes:
    return (_DOCUMENT_OPEN + "".join(paragraph_xml) + _DOCUMENT_CLOSE).encode()


def _styled(style_id: str, text: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'


def style_cycle(length: int = 1) -> bytes:
    """Paragraph styles based on each other in a circle of `length` (1: a style based on itself)."""
    ids = [f"Loop{index}" for index in range(length)]
    styles = "".join(f'<w:style w:type="paragraph" w:styleId="{style}"><w:name w:val="{style}"/>'
                     f'<w:basedOn w:val="{ids[(index + 1) % length]}"/></w:style>'
                     for index, style in enumerate(ids))
    return with_parts({"word/styles.xml": _styles(styles),
                       "word/document.xml": _body(_styled(ids[0], "1. Cities commit."), _styled(ids[0], "Heading?"))})


def style_chain(depth: int) -> bytes:
    """Paragraph styles each based on the next, `depth` deep, without a circle."""
    styles = "".join(f'<w:style w:type="paragraph" w:styleId="S{index}"><w:name w:val="S{index}"/>'
                     + (f'<w:basedOn w:val="S{index + 1}"/>' if index + 1 < depth else "") + "</w:style>"
                     for index in range(depth))
    return with_parts({"word/styles.xml": _styles(styles), "word/document.xml": _body(_styled("S0", "Chained."))})


def _numbering(levels: str, num_extra: str = "") -> bytes:
    return (f'{_XML_HEAD}<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="1">{levels}'
            f'</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/>{num_extra}</w:num>'
            "</w:numbering>").encode()


def _numbered(ilvl: int | str, text: str) -> str:
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            f"<w:r><w:t>{text}</w:t></w:r></w:p>")


def _with_numbering(numbering: bytes, document: bytes) -> bytes:
    parts = base_parts()
    rels = parts["word/_rels/document.xml.rels"].decode()
    if "numbering.xml" not in rels:
        rels = rels.replace("</Relationships>", '<Relationship Id="rIdNum" Type="http://schemas.openxmlformats.org/'
                            'officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>')
    types = parts["[Content_Types].xml"].decode()
    if "/word/numbering.xml" not in types:
        types = types.replace("</Types>", '<Override PartName="/word/numbering.xml" ContentType="application/vnd.'
                              'openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>')
    return package(parts | {"word/numbering.xml": numbering, "word/document.xml": document,
                            "word/_rels/document.xml.rels": rels.encode(), "[Content_Types].xml": types.encode()})


def huge_level(ilvl: int = 100_000_000) -> bytes:
    """A numbered paragraph at list level `ilvl`, its list defining that level."""
    levels = (f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
              f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
              "</w:lvl>")
    return _with_numbering(_numbering(levels), _body(_numbered(0, "Cities commit."), _numbered(ilvl, "Deep.")))


def huge_start(start: int, fmt: str = "lowerLetter", override: bool = False) -> bytes:
    """A two-level list whose second level (`fmt`) starts at `start` (or is restarted there)."""
    levels = ('<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
              f'<w:lvl w:ilvl="1"><w:start w:val="{1 if override else start}"/><w:numFmt w:val="{fmt}"/>'
              '<w:lvlText w:val="(%2)"/></w:lvl>')
    restart = (f'<w:lvlOverride w:ilvl="1"><w:startOverride w:val="{start}"/></w:lvlOverride>' if override else "")
    return _with_numbering(_numbering(levels, restart),
                           _body(_numbered(0, "Cities commit."), _numbered(1, "Lettered sub-paragraph.")))


def numbering_link_cycle() -> bytes:
    """A list whose definition links to a list style whose numbering links back to it."""
    numbering = (f'{_XML_HEAD}<w:numbering xmlns:w="{W_NS}">'
                 '<w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="ListLoop"/></w:abstractNum>'
                 '<w:abstractNum w:abstractNumId="2"><w:styleLink w:val="ListLoop"/>'
                 '<w:numStyleLink w:val="ListLoop"/></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
                 '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num></w:numbering>').encode()
    styles = _styles('<w:style w:type="numbering" w:styleId="ListLoop"><w:name w:val="ListLoop"/><w:pPr><w:numPr>'
                     '<w:numId w:val="1"/></w:numPr></w:pPr></w:style>')
    data = _with_numbering(numbering, _body(_numbered(0, "Linked.")))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return package(parts | {"word/styles.xml": styles})


def nested_tables(depth: int) -> bytes:
    """A table in a cell of a table, `depth` deep, a paragraph at the bottom."""
    opening = "<w:tbl><w:tr><w:tc>" * depth
    closing = "<w:p/></w:tc></w:tr></w:tbl>" * depth
    return with_parts({"word/document.xml": _body(opening + "<w:p><w:r><w:t>Deep cell.</w:t></w:r></w:p>" + closing)})


def many_styles(count: int) -> bytes:
    styles = "".join(f'<w:style w:type="paragraph" w:styleId="X{index}"><w:name w:val="X{index}"/></w:style>'
                     for index in range(count))
    return with_parts({"word/styles.xml": _styles(styles)})


def many_runs(count: int) -> bytes:
    """One paragraph of `count` empty runs."""
    runs = "<w:r/>" * count
    return with_parts({"word/document.xml": _body(f"<w:p>{runs}</w:p>")})


def long_text(characters: int) -> bytes:
    """One paragraph of `characters` characters of varied words."""
    words = " ".join(f"w{index % 99991}" for index in range(characters // 6 + 1))[:characters]
    return with_parts({"word/document.xml": _body(f"<w:p><w:r><w:t>{words}</w:t></w:r></w:p>")})


def invisible_characters() -> bytes:
    """Numbered paragraphs holding bidi overrides and isolates, a byte-order mark and zero-width joiners."""
    return with_parts({"word/document.xml": _body(
        "<w:p><w:r><w:t>1. Cities \u202ethat reverses\u202c commit.</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>2. Local \u2066isolated\u2069 \ufeffgovernments co\u200doperate.</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>3. \u0645\u0631\u062d\u0628\u0627 \u0915\u094d\u200d\u0937 kept.</w:t></w:r></w:p>")})
