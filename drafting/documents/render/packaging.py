"""The .docx package: document settings, core and application properties, and the zip writing."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable

from docx.opc.oxml import serialize_part_xml
from docx.opc.pkgwriter import PackageWriter
from flask_babel import gettext as _

from drafting.documents.plan.data import EditionPlan
from drafting.documents.render.wordml import escape, w
from drafting.i18n import LANGUAGE_TAGS
from drafting.text import xml_safe

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
APPLICATION = "UCLG Global Compact drafting desk"
AUTHOR = "UCLG World Secretariat"
PROPERTIES = {"/docProps/core.xml", "/docProps/app.xml"}


class _LightZipWriter:
    """python-docx's physical package writer, with the fastest deflate level: on a large edition the
    default level spends longer compressing than everything else takes to build."""

    def __init__(self, out):
        self._zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)

    def write(self, pack_uri, blob) -> None:
        self._zip.writestr(pack_uri.membername, blob)

    def write_pieces(self, pack_uri, pieces: Iterable[bytes]) -> None:
        """One member written piece by piece: no copy of a large document.xml is ever joined."""
        with self._zip.open(pack_uri.membername, "w", force_zip64=True) as member:
            for piece in pieces:
                member.write(piece)

    def close(self) -> None:
        self._zip.close()


def _document_xml(document, body: list[str]) -> Iterable[bytes]:
    """document.xml with `body` (pieces of WordprocessingML text) before the body's final sectPr."""
    xml = serialize_part_xml(document.element)
    at = xml.rindex(b"<w:sectPr")
    yield xml[:at]
    for piece in body:
        yield piece.encode("utf-8")
    yield xml[at:]


def save(document, plan: EditionPlan, body: list[str] | None = None) -> bytes:
    """The package as bytes; `body`: WordprocessingML pieces spliced before the body's final sectPr
    (None: the body is already in the tree). The core and application properties are written whole."""
    out = io.BytesIO()
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    writer = _LightZipWriter(out)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    for part in package.parts:
        if body is not None and part is document.part:
            writer.write_pieces(part.partname, _document_xml(document, body))
        elif part.partname == "/docProps/core.xml":
            writer.write(part.partname, core_xml(plan))
        elif part.partname == "/docProps/app.xml":
            writer.write(part.partname, app_xml())
        else:
            writer.write(part.partname, part.blob)
        if len(part.rels):
            writer.write(part.partname.rels_uri, part.rels.xml)
    writer.close()
    return out.getvalue()


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def document_id(plan: EditionPlan) -> str:
    """The edition's own w14:docId: from what identifies it (symbol, number, when it was compiled), so
    that two editions differ and every download of one edition is the same file."""
    seed = f"{plan.symbol}|{plan.edition_number}|{plan.compiled_at.isoformat() if plan.compiled_at else ''}"
    return f"{int.from_bytes(hashlib.sha256(seed.encode()).digest()[:4], 'big') & 0x7FFFFFFF:08X}"


def settings(document, plan: EditionPlan) -> None:
    """No `w:updateFields`: the contents list ships complete, so Word has nothing to ask on opening. The
    theme fonts' language is the document's; the document id is the edition's own."""
    element = document.settings.element
    for update in element.findall(w("updateFields")):
        element.remove(update)
    for theme_lang in element.findall(w("themeFontLang")):
        for name in list(theme_lang.attrib):
            del theme_lang.attrib[name]
        theme_lang.set(w("val"), LANGUAGE_TAGS.get(plan.locale, "en-GB"))
        theme_lang.set(w("bidi"), LANGUAGE_TAGS["ar"])
    for doc_id in element.iter(f"{{{W14}}}docId"):
        doc_id.set(f"{{{W14}}}val", document_id(plan))


def _text(value) -> str:
    return escape(xml_safe(str(value))[:255])


def core_xml(plan: EditionPlan) -> bytes:
    """docProps/core.xml written whole, with its own namespace declarations: it does not depend on
    python-docx's namespace table, which another library imported in the same process may have changed."""
    when = plan.compiled_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_text(plan.title)}</dc:title>"
        f"<dc:subject>{_text(plan.milestone_name)}</dc:subject>"
        f"<dc:creator>{AUTHOR}</dc:creator>"
        f"<dc:identifier>{_text(plan.symbol)}</dc:identifier>"
        f"<dc:language>{LANGUAGE_TAGS.get(plan.locale, 'en-GB')}</dc:language>"
        f"<dc:description>{_text(_('Edition %(number)s', number=plan.edition_number))}</dc:description>"
        f"<cp:lastModifiedBy>{_text(plan.compiled_by)}</cp:lastModifiedBy>"
        f"<cp:revision>{max(plan.edition_number, 1)}</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode("utf-8")


def app_xml() -> bytes:
    """docProps/app.xml: this application's name, and no page or word counts (they would be stale:
    Word and LibreOffice count for themselves)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        f"<Company>{AUTHOR}</Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode("utf-8")
