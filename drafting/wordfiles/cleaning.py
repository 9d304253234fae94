"""Cleaning a Word file from outside before it is stored: what would reach outside when a reader opens
it is removed (external relationships other than web and mail hyperlinks, fields that fetch or include
other files, attached templates, embedded objects, ActiveX controls, macros), and a macro-enabled
document is refused outright. The file is first read within its budget (`reading.read_package`).
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

from drafting.wordfiles.limits import ANNEX, Budget, WordFileRefused, damaged
from drafting.wordfiles.reading import CONTENT_TYPES, Package, read_package

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
O_NS = "urn:schemas-microsoft-com:office:office"
V_NS = "urn:schemas-microsoft-com:vml"


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


@dataclass
class Cleaning:
    """What `clean_word_file` removed, for the note shown to whoever uploaded the file."""

    data: bytes
    removed: set[str] = field(default_factory=set)


def check_filename(filename: str) -> None:
    lowered = (filename or "").lower()
    if lowered.endswith((".docm", ".dotm")):
        raise WordFileRefused(_("Documents with macros (.docm) cannot be attached. In Word, save the file as "
                                "“Word Document (.docx)” and attach that file."))
    if not lowered.endswith(".docx"):
        raise WordFileRefused(_("Only Word documents (.docx) can be attached."))


def check_word_file(filename: str, data: bytes, budget: Budget = ANNEX) -> Package:
    """The file read within `budget`, refused (WordFileRefused) for its name, its size, its DTD or macros."""
    check_filename(filename)
    package = read_package(data, budget)
    _refuse_macros(package.trees[CONTENT_TYPES])
    return package


def clean_word_file(filename: str, data: bytes, budget: Budget = ANNEX) -> Cleaning:
    """The document as it will be stored: checked, and without what reaches outside. Raises
    WordFileRefused (with the reason for the uploader) when the file cannot be accepted at all."""
    package = check_word_file(filename, data, budget)
    cleaning = _Cleaner(package).run()
    cleaning.data = cleaning.data or data
    try:
        docx.Document(io.BytesIO(cleaning.data))
    except Exception:  # python-docx raises many kinds of errors for broken packages
        raise damaged() from None
    return cleaning


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_blank_text=False)


def parse_part(blob: bytes):
    """One XML part of a file already read within its budget, refusing any DOCTYPE: Word never writes
    one, and entities declared there can break the edition's XML or point at files."""
    try:
        root = etree.fromstring(blob, parser=_PARSER)
    except etree.XMLSyntaxError:
        raise damaged() from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None or tree.docinfo.externalDTD is not None \
            or any(True for _node in root.iter(etree.Entity)):
        raise WordFileRefused(_("This Word document contains a document type declaration (DTD), which Word "
                                "documents never need. Save it again from Word and attach the new file."))
    return root


def _refuse_macros(content_types) -> None:
    for element in content_types:
        if "macroenabled" in (element.get("ContentType") or "").lower():
            raise WordFileRefused(_("Documents with macros (.docm) cannot be attached. In Word, save the file "
                                    "as “Word Document (.docx)” and attach that file."))


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

    def __init__(self, package: Package):
        self.package = package
        self.parts = package.order
        self.removed: set[str] = set()
        self.dropped_parts: set[str] = set()

    def run(self) -> Cleaning:
        trees = dict(self.package.trees)
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
                archive.writestr(name, _serialize(trees[name]) if name in trees else self.package.blobs[name])
        return Cleaning(out.getvalue(), self.removed)

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


def _is_vba(name: str) -> bool:
    return posixpath.basename(name).lower().startswith(("vbaproject", "vbadata"))


_FIELD_NAME = re.compile(r"[\s\\]*([A-Za-z]+)")


def _field_name(instruction: str) -> str:
    match = _FIELD_NAME.match(instruction or "")
    return match.group(1).upper() if match else ""
