"""Word annexes uploaded with a position: checked and cleaned before anything is stored, and again
before an edition composes them.

The checks read the ZIP's central directory only (entry count, declared sizes) before anything is
decompressed, so a zip bomb is refused without being inflated. Python's zipfile never inflates an entry
past its declared size, so the declared total is a real bound.

Then every XML part is parsed with DTDs refused (no entity of any kind: an entity can break the edition's
XML or read files), and what would reach outside when a reader opens the edition is removed: external
relationships other than web and mail hyperlinks, fields that fetch or include other files, attached
templates, embedded objects, ActiveX controls and macros. A macro-enabled document is refused outright.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

import docx
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from lxml import etree

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
REQUIRED_ENTRIES = ("[Content_Types].xml", "word/document.xml")

COMMENT_RELTYPE_SUFFIXES = ("/comments", "/commentsExtended", "/commentsIds", "/commentsExtensible")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
O_NS = "urn:schemas-microsoft-com:office:office"
V_NS = "urn:schemas-microsoft-com:vml"
COMMENT_MARKS = tuple(f"{{{W_NS}}}{tag}" for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"))


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# A document with macros is a different kind of file (.docm, .dotm); Word runs its code. Refused.
MACRO_CONTENT_TYPES = ("macroenabled", "vnd.ms-office.vbaproject", "vnd.ms-word.vbadata")
# Relationship types whose target is active content or another file: removed with their parts.
REMOVED_RELTYPE_SUFFIXES = ("/attachedTemplate", "/vbaProject", "/wordVbaData", "/oleObject", "/package",
                            "/control", "/activeXControlBinary", "/aFChunk", "/subDocument", "/frame",
                            "/mailMergeSource", "/mailMergeHeaderSource", "/recipientData")
HYPERLINK_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
# Field instructions that fetch a picture, text or data from another file or program when updated.
OUTSIDE_FIELDS = frozenset({"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO",
                            "DATABASE", "RD", "EMBED", "AUTOTEXTLIST"})
# Elements that hold an embedded object, a control, another document or a connection to a data source.
REMOVED_ELEMENTS = frozenset({_w("object"), _w("control"), _w("altChunk"), _w("subDoc"), _w("attachedTemplate"),
                              _w("mailMerge"), _w("frameset"), _w("docVars"), f"{{{O_NS}}}OLEObject"})


# What the cleaning removed, as the uploader is told.
REMOVED_LABELS = {
    "outside links": _l("links to pictures or files elsewhere"),
    "outside fields": _l("fields that fetch content from elsewhere"),
    "template": _l("the attached template"),
    "embedded objects": _l("embedded objects and controls"),
    "macros": _l("macros"),
}


class AnnexRefused(ValueError):
    """The upload is not accepted; the message says why, for the person who uploaded it."""


@dataclass
class Cleaning:
    """What `clean_annex` removed, for the note shown to whoever uploaded the file."""

    data: bytes
    removed: set[str] = field(default_factory=set)


def validate_docx_upload(filename: str, data: bytes) -> None:
    """Raise AnnexRefused unless `data` is a Word document we can safely store and compose."""
    clean_annex(filename, data)


def clean_annex(filename: str, data: bytes) -> Cleaning:
    """The document as it will be stored: checked, and without what reaches outside. Raises AnnexRefused
    (with the reason for the uploader) when the file cannot be accepted at all."""
    lowered = (filename or "").lower()
    if lowered.endswith((".docm", ".dotm")):
        raise AnnexRefused(_("Documents with macros (.docm) cannot be attached. In Word, save the file as "
                             "“Word Document (.docx)” and attach that file."))
    if not lowered.endswith(".docx"):
        raise AnnexRefused(_("Only Word documents (.docx) can be attached."))
    if not data:
        raise AnnexRefused(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise AnnexRefused(_("The file is larger than the 10 MB allowed."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise AnnexRefused(_("This file is not a Word document (.docx): it cannot be read as one.")) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise AnnexRefused(_("This document holds too many parts (more than %(count)s).", count=MAX_ENTRIES))
        if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
            raise AnnexRefused(_("This document would expand to more than 100 MB; it cannot be attached."))
        names = {entry.filename for entry in entries}
        if any(required not in names for required in REQUIRED_ENTRIES):
            raise AnnexRefused(_("This file is not a Word document (.docx): its main parts are missing."))
        try:
            parts = {entry.filename: archive.read(entry) for entry in entries if not entry.is_dir()}
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise AnnexRefused(_("This Word document is damaged and cannot be opened.")) from None
    cleaning = _Cleaner(parts).run()
    cleaning.data = cleaning.data or data
    try:
        docx.Document(io.BytesIO(cleaning.data))
    except Exception:  # python-docx raises many kinds of errors for broken packages
        raise AnnexRefused(_("This Word document is damaged and cannot be opened.")) from None
    return cleaning


def _damaged() -> AnnexRefused:
    return AnnexRefused(_("This Word document is damaged and cannot be opened."))


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_blank_text=False)


def parse_part(blob: bytes):
    """One XML part, refusing any DOCTYPE: Word never writes one, and entities declared there can break
    the edition's XML or point at files."""
    try:
        root = etree.fromstring(blob, parser=_PARSER)
    except etree.XMLSyntaxError:
        raise _damaged() from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None or tree.docinfo.externalDTD is not None:
        raise AnnexRefused(_("This Word document contains a document type declaration (DTD), which Word "
                             "documents never need. Save it again from Word and attach the new file."))
    if any(True for _node in root.iter(etree.Entity)):
        raise AnnexRefused(_("This Word document contains a document type declaration (DTD), which Word "
                             "documents never need. Save it again from Word and attach the new file."))
    return root


def _serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rels_name(partname: str) -> str:
    folder, name = posixpath.split(partname)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _source_of(rels_name: str) -> str:
    folder, name = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def _target_name(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


class _Cleaner:
    """Removes, across the whole package, what would reach outside or run code."""

    def __init__(self, parts: dict[str, bytes]):
        self.parts = parts
        self.removed: set[str] = set()
        self.dropped_parts: set[str] = set()

    def run(self) -> Cleaning:
        self._check_content_types()
        trees = {name: parse_part(blob) for name, blob in self.parts.items() if _is_xml(name)}
        kept_rel_ids: dict[str, set[str]] = {}
        for name, root in trees.items():
            if name.endswith(".rels"):
                kept_rel_ids[_source_of(name)] = self._clean_relationships(name, root)
        for name in [n for n in self.parts if _is_vba(n)]:
            self.dropped_parts.add(name)
            self.removed.add("macros")
        for name, root in trees.items():
            if not name.endswith(".rels") and name != "[Content_Types].xml":
                self._clean_content(root, kept_rel_ids.get(name))
        self._drop_unreferenced(trees)
        for name in self.dropped_parts:
            trees.pop(name, None)
            trees.pop(_rels_name(name), None)
        self._clean_content_types(trees["[Content_Types].xml"])
        if not self.removed and not self.dropped_parts:
            return Cleaning(b"")  # nothing to remove: the caller keeps the file as uploaded
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            # [Content_Types].xml first, as Word writes it.
            for name in sorted(self.parts, key=lambda n: n != "[Content_Types].xml"):
                if name in self.dropped_parts or (name.endswith(".rels") and _source_of(name) in self.dropped_parts):
                    continue
                archive.writestr(name, _serialize(trees[name]) if name in trees else self.parts[name])
        return Cleaning(out.getvalue(), self.removed)

    def _check_content_types(self) -> None:
        root = parse_part(self.parts["[Content_Types].xml"])
        for element in root:
            if "macroenabled" in (element.get("ContentType") or "").lower():
                raise AnnexRefused(_("Documents with macros (.docm) cannot be attached. In Word, save the file "
                                     "as “Word Document (.docx)” and attach that file."))

    def _clean_relationships(self, name: str, root) -> set[str]:
        source = _source_of(name)
        kept = set()
        for rel in list(root):
            reltype = rel.get("Type") or ""
            target = (rel.get("Target") or "").strip()
            external = (rel.get("TargetMode") or "").lower() == "external"
            if external:
                if reltype == HYPERLINK_RELTYPE and target.lower().startswith(SAFE_LINK_SCHEMES):
                    kept.add(rel.get("Id"))
                    continue
                root.remove(rel)
                self.removed.add("outside links")
                continue
            if reltype.endswith(REMOVED_RELTYPE_SUFFIXES):
                root.remove(rel)
                self.dropped_parts.add(_target_name(source, target))
                self.removed.add("macros" if "vba" in reltype.lower() else
                                 "template" if reltype.endswith("/attachedTemplate") else "embedded objects")
                continue
            kept.add(rel.get("Id"))
        return kept

    def _clean_content(self, root, kept_rel_ids: set[str] | None) -> None:
        for element in [e for e in root.iter(*REMOVED_ELEMENTS)]:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
                self.removed.add("template" if element.tag == _w("attachedTemplate") else "embedded objects")
        self._clean_simple_fields(root)
        self._clean_complex_fields(root)
        # VML pictures can name their source directly, without a relationship.
        for element in root.iter(f"{{{V_NS}}}imagedata", f"{{{V_NS}}}fill", f"{{{V_NS}}}stroke"):
            for attribute in ("src", f"{{{O_NS}}}href", "href"):
                if element.get(attribute):
                    del element.attrib[attribute]
                    self.removed.add("outside links")
        # Whatever pointed at a relationship removed above now points nowhere: unhook it.
        kept_rel_ids = kept_rel_ids or set()
        for element in root.iter():
            for attribute, value in list(element.attrib.items()):
                if attribute.startswith(f"{{{R_NS}}}") and value not in kept_rel_ids:
                    del element.attrib[attribute]

    def _clean_simple_fields(self, root) -> None:
        for simple in list(root.iter(_w("fldSimple"))):
            if _field_name(simple.get(_w("instr")) or "") in OUTSIDE_FIELDS:
                # Keep what the field last showed (its runs), drop the instruction.
                parent = simple.getparent()
                index = parent.index(simple)
                for offset, child in enumerate(list(simple)):
                    parent.insert(index + offset, child)
                parent.remove(simple)
                self.removed.add("outside fields")

    def _clean_complex_fields(self, root) -> None:
        stack: list[dict] = []
        for element in list(root.iter(_w("fldChar"), _w("instrText"), _w("delInstrText"))):
            if element.tag == _w("fldChar"):
                kind = element.get(_w("fldCharType"))
                if kind == "begin":
                    stack.append({"marks": [element], "instructions": []})
                elif stack and kind == "separate":
                    stack[-1]["marks"].append(element)
                elif stack and kind == "end":
                    current = stack.pop()
                    current["marks"].append(element)
                    code = "".join(i.text or "" for i in current["instructions"])
                    if _field_name(code) in OUTSIDE_FIELDS:
                        # What the field showed stays as plain text; the field itself goes.
                        for mark in current["marks"] + current["instructions"]:
                            if mark.getparent() is not None:
                                mark.getparent().remove(mark)
                        self.removed.add("outside fields")
            elif stack:
                stack[-1]["instructions"].append(element)

    def _drop_unreferenced(self, trees) -> None:
        """Parts only reachable through removed relationships go too (an OLE object's binary, say)."""
        for name in list(self.parts):
            lowered = name.lower()
            if lowered.startswith(("word/embeddings/", "word/activex/")) and name not in self.dropped_parts:
                still_used = False
                for rels_name, root in trees.items():
                    if not rels_name.endswith(".rels") or _source_of(rels_name) in self.dropped_parts:
                        continue
                    for rel in root:
                        if (rel.get("TargetMode") or "").lower() != "external" and \
                                _target_name(_source_of(rels_name), rel.get("Target") or "") == name:
                            still_used = True
                if not still_used:
                    self.dropped_parts.add(name)
                    self.removed.add("embedded objects")

    def _clean_content_types(self, root) -> None:
        for element in list(root):
            part = (element.get("PartName") or "").lstrip("/")
            content_type = (element.get("ContentType") or "").lower()
            if part in self.dropped_parts or any(kind in content_type for kind in MACRO_CONTENT_TYPES):
                root.remove(element)


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels")) or name == "[Content_Types].xml"


def _is_vba(name: str) -> bool:
    return posixpath.basename(name).lower().startswith(("vbaproject", "vbadata"))


_FIELD_NAME = re.compile(r"[\s\\]*([A-Za-z]+)")


def _field_name(instruction: str) -> str:
    match = _FIELD_NAME.match(instruction or "")
    return match.group(1).upper() if match else ""


def strip_comments(document) -> int:
    """Remove the comments of an opened document: their parts (and so their content-type overrides,
    which python-docx writes only for parts it keeps), the relationships, and the anchors in the body.
    A comment anchor left without its comment makes LibreOffice refuse the file. Returns how many
    anchors went."""
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith(COMMENT_RELTYPE_SUFFIXES):
            del part.rels[rel_id]
    removed = 0
    for element in list(document.element.body.iter(*COMMENT_MARKS)):
        parent = element.getparent()
        parent.remove(element)
        removed += 1
        # A run that held only the reference (and its properties) is now empty: drop it too.
        if parent.tag == f"{{{W_NS}}}r" and all(child.tag == f"{{{W_NS}}}rPr" for child in parent):
            parent.getparent().remove(parent)
    return removed


def open_without_comments(data: bytes):
    document = docx.Document(io.BytesIO(data))
    strip_comments(document)
    return document


def without_comments(data: bytes) -> bytes:
    out = io.BytesIO()
    open_without_comments(data).save(out)
    return out.getvalue()
