"""The .docx package: document settings, core and application properties, and the zip writing."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from docx.opc.oxml import serialize_part_xml
from flask_babel import gettext as _
from lxml import etree

from drafting.documents.plan import EditionPlan
from drafting.documents.wordml import VAL, w
from drafting.text import xml_safe

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


def save(document, body: list[str] | None = None) -> bytes:
    from docx.opc.pkgwriter import PackageWriter

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
        else:
            writer.write(part.partname, part.blob)
        if len(part.rels):
            writer.write(part.partname.rels_uri, part.rels.xml)
    writer.close()
    return out.getvalue()


def settings(document) -> None:
    """Ask Word to refresh the fields (TOC page numbers) when the file is opened."""
    settings = document.settings.element
    successors = {w(t) for t in ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids")}
    successors |= {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}
    successors |= {w(t) for t in ("attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                                  "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
                                  "smartTagType", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
                                  "listSeparator")}
    update = etree.Element(w("updateFields"))
    update.set(VAL, "true")
    for child in settings:
        if child.tag in successors:
            child.addprevious(update)
            return
    settings.append(update)


def core_properties(document, plan: EditionPlan) -> None:
    core = document.core_properties
    core.title = xml_safe(plan.title)[:255]
    core.subject = xml_safe(plan.milestone_name)[:255]
    core.author = "UCLG World Secretariat"
    core.last_modified_by = xml_safe(plan.compiled_by)[:255]
    core.created = plan.compiled_at
    core.modified = plan.compiled_at
    core.revision = max(plan.edition_number, 1)
    core.comments = _("Edition %(number)s", number=plan.edition_number)
