"""Structural checks of a .docx: what Word would call "unreadable content" or a reader would notice
without opening it (a call to an outside server, a page that is not A4).

`assert_sound_docx(data)` is run on every edition the tests build (see the autouse fixture in
tests/conftest.py) and directly on the demo data, a generated set and the hostile text set.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections import Counter

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

# Elements the WordprocessingML schema allows at most once in their parent (a selection: the ones a
# writer can plausibly duplicate). Repeated ones (w:p, w:r, w:t, w:tab, w:headerReference...) are not here.
SINGLE = {f"{{{W_NS}}}{tag}" for tag in (
    "pPr", "rPr", "sectPr", "tblPr", "trPr", "tcPr", "tblGrid", "tblPrEx",
    "pStyle", "rStyle", "tblStyle", "numPr", "ilvl", "numId", "jc", "spacing", "ind", "tabs", "lang",
    "b", "bCs", "i", "iCs", "u", "sz", "szCs", "color", "rFonts", "shd", "bidi", "rtl", "noProof",
    "keepNext", "keepLines", "widowControl", "pageBreakBefore", "outlineLvl", "suppressLineNumbers",
    "pgSz", "pgMar", "titlePg", "cols", "docGrid", "type", "pgNumType",
    "tblW", "tblLook", "tblLayout", "tblHeader", "cantSplit", "tcW", "gridSpan", "vMerge", "vAlign",
    "compat", "updateFields", "zoom", "defaultTabStop",
)}
CORE_ELEMENTS = {
    f"{{{CP_NS}}}{tag}" for tag in ("category", "contentStatus", "keywords", "lastModifiedBy", "lastPrinted",
                                     "revision", "version")
} | {f"{{{DC_NS}}}{tag}" for tag in ("creator", "description", "identifier", "language", "subject", "title")} \
  | {f"{{{DCTERMS_NS}}}{tag}" for tag in ("created", "modified")}
A4 = (11906, 16838)  # twentieths of a point


def _part_of_rels(rels_name: str) -> str:
    """word/_rels/document.xml.rels -> word/document.xml; _rels/.rels -> the package root ("")."""
    folder, name = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def problems(data: bytes) -> list[str]:
    """Every structural defect of the package, as readable sentences (empty: sound)."""
    found: list[str] = []
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    trees: dict[str, etree._Element] = {}
    for name in sorted(names):
        if name.endswith((".xml", ".rels")):
            try:
                trees[name] = etree.fromstring(archive.read(name))
            except etree.XMLSyntaxError as error:
                found.append(f"{name} is not well-formed XML: {error}")

    for name, root in trees.items():
        for parent in root.iter():
            counts = Counter(child.tag for child in parent if child.tag in SINGLE)
            for tag, count in counts.items():
                if count > 1:
                    found.append(f"{name}: {etree.QName(parent).localname} has {count} "
                                 f"{etree.QName(tag).localname}")

    content_types = trees.get("[Content_Types].xml")
    if content_types is None:
        found.append("no [Content_Types].xml")
    else:
        defaults = {e.get("Extension").lower() for e in content_types.iter(f"{{{CT_NS}}}Default")}
        overrides = {e.get("PartName").lstrip("/") for e in content_types.iter(f"{{{CT_NS}}}Override")}
        for name in names:
            if name.endswith("/") or name == "[Content_Types].xml":
                continue
            if name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
                found.append(f"{name} has no content type")
        for name in overrides - names:
            found.append(f"[Content_Types].xml names {name}, which is not in the package")

    for rels_name in (n for n in trees if n.endswith(".rels")):
        source = _part_of_rels(rels_name)
        for rel in trees[rels_name].iter(f"{{{REL_NS}}}Relationship"):
            target, kind = rel.get("Target", ""), rel.get("Type", "")
            if rel.get("TargetMode") == "External":
                if kind != HYPERLINK or not target.lower().startswith(("http://", "https://", "mailto:")):
                    found.append(f"{rels_name}: external relationship {kind.rsplit('/', 1)[-1]} to {target}")
                continue
            resolved = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            if resolved not in names:
                found.append(f"{rels_name}: target {target} is missing")

    core = trees.get("docProps/core.xml")
    if core is not None:
        if core.tag != f"{{{CP_NS}}}coreProperties":
            found.append(f"core.xml's root is {core.tag}")
        for child in core:
            if child.tag not in CORE_ELEMENTS:
                found.append(f"core.xml has a foreign element {child.tag}")

    document = trees.get("word/document.xml")
    if document is None:
        found.append("no word/document.xml")
    else:
        for index, sect_pr in enumerate(document.iter(f"{{{W_NS}}}sectPr")):
            size = sect_pr.find(f"{{{W_NS}}}pgSz")
            if size is None:
                found.append(f"section {index + 1} has no page size")
                continue
            width, height = int(size.get(f"{{{W_NS}}}w", 0)), int(size.get(f"{{{W_NS}}}h", 0))
            landscape = size.get(f"{{{W_NS}}}orient") == "landscape"
            expected = A4[::-1] if landscape else A4
            if abs(width - expected[0]) > 20 or abs(height - expected[1]) > 20:
                found.append(f"section {index + 1} is {width}x{height}, not A4"
                             f"{' landscape' if landscape else ''}")
    return found


def assert_sound_docx(data: bytes) -> None:
    found = problems(data)
    assert not found, "The .docx is not sound:\n" + "\n".join(found)
