"""The document's own words: UN dates and typography in English, French and Spanish."""

from __future__ import annotations

import re
from datetime import date

import pytest

from drafting.documents.render.words import date_range, language_name, long_date, typeset

SAME_MONTH = (date(2018, 2, 20), date(2018, 2, 23))
ACROSS_MONTHS = (date(2018, 2, 28), date(2018, 3, 2))
ACROSS_YEARS = (date(2018, 12, 30), date(2019, 1, 2))


@pytest.mark.parametrize(("locale", "dates", "expected"), [
    ("en", SAME_MONTH, "20\u201323 February 2018"),
    ("fr", SAME_MONTH, "20-23 février 2018"),
    ("es", SAME_MONTH, "20 a 23 de febrero de 2018"),
    ("en", ACROSS_MONTHS, "28 February\u20132 March 2018"),
    ("fr", ACROSS_MONTHS, "28 février-2 mars 2018"),
    ("es", ACROSS_MONTHS, "28 de febrero a 2 de marzo de 2018"),
    ("en", ACROSS_YEARS, "30 December 2018\u20132 January 2019"),
    ("fr", ACROSS_YEARS, "30 décembre 2018-2 janvier 2019"),
    ("es", ACROSS_YEARS, "30 de diciembre de 2018 a 2 de enero de 2019"),
    ("en", (date(2018, 2, 5), date(2018, 2, 5)), "5 February 2018"),
])
def test_date_ranges_in_un_style(locale, dates, expected):
    assert date_range(*dates, locale) == expected


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "1 March 2018"), ("fr", "1er mars 2018"), ("es", "1 de marzo de 2018")])
def test_single_dates_never_in_us_form(locale, expected):
    assert long_date(date(2018, 3, 1), locale) == expected


def test_typography_of_generated_text():
    assert typeset("Governments' positions", "en") == "Governments\u2019 positions"
    assert typeset("Annexe : « contributeurs »", "fr") == "Annexe\u00a0: «\u00a0contributeurs\u00a0»"
    assert typeset("Original: inglés", "es") == "Original: inglés"


@pytest.mark.parametrize("translated", ["Langue : %(language)s", "Langue\u00a0: %(language)s",
                                        "Langue\u00a0 : %(language)s", "Langue \u00a0: %(language)s",
                                        "Langue\u202f: %(language)s", "Langue  : %(language)s"])
def test_one_no_break_space_before_a_colon_whatever_the_translation_put_there(translated):
    assert typeset(translated, "fr") == "Langue\u00a0: %(language)s"
    assert typeset("«\u00a0 Annexe \u00a0»", "fr") == "«\u00a0Annexe\u00a0»"


def test_a_french_edition_prints_one_space_before_a_colon_when_its_translation_had_two(app, monkeypatch):
    """Translations written with their no-break space and a plain one after it ("Langue\u00a0 : ") printed
    "Langue  : français" in the attribution line."""
    from drafting.documents.render import words
    from drafting.documents.render.builder import build_document

    from .conftest import entry, plan_of, xml_of

    translate = words._
    monkeypatch.setattr(words, "_", lambda message, **values: "Langue\u00a0 : %(language)s"
                        if message == "Language: %(language)s" else translate(message, **values))
    data = build_document(plan_of(entry(1, "Logement", "Les villes.", language="fr"), locale="fr"))
    lines = ["".join(p.itertext("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
             for p in xml_of(data).iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")]
    assert any("Langue\u00a0: français" in line for line in lines)
    assert not any(re.search("[ \u00a0]{2}", line) for line in lines)


def test_language_names_as_written_in_a_sentence():
    assert [language_name("en", locale) for locale in ("en", "fr", "es")] == ["English", "anglais", "inglés"]


def test_a_no_break_space_is_written_upright_in_a_run_of_its_own(app):
    import docx

    from drafting.documents.render.template import TEMPLATE_PATH
    from drafting.documents.render.wordml import Writer

    writer = Writer(docx.Document(str(TEMPLATE_PATH)), "fr")
    runs = writer.run_xml("Langue\u00a0: français", italic=True)
    assert runs == ('<w:r><w:rPr><w:i/><w:iCs/></w:rPr><w:t>Langue</w:t></w:r>'
                    '<w:r><w:rPr><w:i w:val="0"/><w:iCs w:val="0"/></w:rPr><w:t>\u00a0</w:t></w:r>'
                    '<w:r><w:rPr><w:i/><w:iCs/></w:rPr><w:t>: français</w:t></w:r>')
    assert writer.run_xml("Langue : français") == "<w:r><w:t>Langue : français</w:t></w:r>"


@pytest.mark.office
def test_libreoffice_prints_the_space_before_a_colon_of_an_italic_line_as_wide_as_a_space(app, tmp_path):
    """LibreOffice widened a no-break space after italic text (the attribution line) by a third:
    "Langue  : français" in the PDF."""
    import subprocess

    from drafting.documents.render.builder import build_document

    from .conftest import entry, plan_of
    from .test_office import convert_to_pdf

    data = build_document(plan_of(entry(1, "Logement", "Les villes.", language="fr", authors=["Ann Author"]),
                                  locale="fr"))
    boxes = subprocess.run(["pdftotext", "-bbox", str(convert_to_pdf(data, tmp_path)), "-"], capture_output=True,
                           text=True, check=True).stdout
    words = [(float(x_min), float(x_max), text) for x_min, x_max, text in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)]
    index = next(i for i, word in enumerate(words) if word[2] == "Langue" and words[i + 1][2] == ":")
    before = words[index + 1][0] - words[index][1]  # the no-break space
    after = words[index + 2][0] - words[index + 1][1]  # the plain space after the colon
    assert abs(before - after) < 0.3, (before, after)
