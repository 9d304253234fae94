"""The API reference page (/api/v1/docs) in English, French and Spanish, down to each operation's summary
and each parameter's and field's description, while the OpenAPI document stays English; and the
extraction that puts those texts in the catalogue (tools/api_messages.py, mapped in babel.cfg)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from drafting.api import views
from tools import check_translations

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "post", "patch", "put", "delete")
# Summaries written the same in English and in the page's language on purpose (none so far: a summary
# added here must say why).
SAME_IN_EVERY_LANGUAGE: frozenset[str] = frozenset()

TRANSLATED = {
    "fr": {
        ("get", "/api/v1/milestones/{milestone_id}"): "Une étape.",
        ("get", "/api/v1/editions/{edition_id}/docx"): "Le fichier Word de l’édition, une fois prêt (404 avant).",
        ("get", "/api/v1/positions"): "Les positions que le compte du jeton peut voir, les dernières enregistrées "
                                      "d’abord, page par page (suivez le rel=\"next\" de l’en-tête Link).",
        ("post", "/api/v1/positions/{position_id}/actions/{action}"): (
            "Une action du circuit de validation\u00a0: submit, withdraw, restore (les contributeur·rices du "
            "réseau)\u00a0; start_review, approve, request_changes, reject avec un motif (les relecteurs)\u00a0; "
            "reopen (le secrétariat). Exige If-Match."),
    },
    "es": {
        ("get", "/api/v1/milestones/{milestone_id}"): "Un hito.",
        ("get", "/api/v1/editions/{edition_id}/docx"): "El archivo Word de la edición, una vez listo (404 antes).",
        ("get", "/api/v1/positions"): "Las posiciones que puede ver la cuenta del token, las últimas guardadas "
                                      "primero, página a página (siga el rel=\"next\" del encabezado Link).",
        ("post", "/api/v1/positions/{position_id}/actions/{action}"): (
            "Una acción del flujo de trabajo: submit, withdraw, restore (los colaboradores de la red); "
            "start_review, approve, request_changes, reject con un motivo (los revisores); reopen (la "
            "secretaría). Requiere If-Match."),
    },
}


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def _section_id(method: str, path: str, operation: dict) -> str:
    return operation.get("operationId") or method.upper() + path


def _summaries(page: str) -> dict[str, str]:
    """{section id: the first paragraph of the section}: each operation's summary, as a reader sees it."""
    sections = re.findall(r'<section class="card" id="([^"]+)">.*?<p>(.*?)</p>', page, flags=re.DOTALL)
    return {html.unescape(section): html.unescape(text) for section, text in sections}


def _shown_texts(spec: dict) -> set[str]:
    """Every text of the document that the page shows: summaries, descriptions, the descriptions of
    parameters and of the schemas' fields."""
    texts = set()
    for _method, _path, operation in _operations(spec):
        texts |= {operation[part] for part in ("summary", "description") if operation.get(part)}
        texts |= {p["description"] for p in operation.get("parameters", []) if p.get("description")}
    for schema in spec["components"]["schemas"].values():
        texts |= {field["description"] for field in (schema.get("properties") or {}).values()
                  if field.get("description")}
    return texts


@pytest.mark.parametrize("locale", ["fr", "es"])
def test_the_reference_page_shows_the_operations_in_the_pages_language(client, locale):
    spec = client.get("/api/v1/openapi.json").get_json()
    page = client.get("/api/v1/docs", headers={"Accept-Language": locale}).get_data(as_text=True)
    summaries = _summaries(page)
    for (method, path), expected in TRANSLATED[locale].items():
        operation = spec["paths"][path][method]
        assert summaries[_section_id(method, path, operation)] == expected
    same = {operation["summary"] for method, path, operation in _operations(spec)
            if summaries[_section_id(method, path, operation)] == operation["summary"]}
    assert same <= SAME_IN_EVERY_LANGUAGE, f"Shown in English on the {locale} page: {sorted(same)}"


@pytest.mark.parametrize(("locale", "parameter", "field"), [
    ("fr", "<code>Idempotency-Key</code> (dans un en-tête) — Renvoyée avec la même requête dans la journée, elle "
           "reçoit de nouveau la première réponse.",
     "<code>state</code> (string) · toujours présent — preparing (en préparation), ready (prête) ou failed (échec)"),
    ("es", "<code>Idempotency-Key</code> (en un encabezado) — Reenviada con la misma solicitud en el mismo día, "
           "recibe de nuevo la primera respuesta.",
     "<code>state</code> (string) · siempre presente — preparing (en preparación), ready (lista) o failed (fallida)"),
])
def test_no_english_text_of_the_document_is_left_on_the_translated_page(client, locale, parameter, field):
    spec = client.get("/api/v1/openapi.json").get_json()
    page = html.unescape(client.get("/api/v1/docs", headers={"Accept-Language": locale}).get_data(as_text=True))
    assert parameter in page
    assert field in page
    left = sorted(text for text in _shown_texts(spec) if text in page)
    assert left == [], f"English left on the {locale} page: {left}"


def test_the_english_page_and_the_openapi_document_keep_the_codes_english(client):
    spec = client.get("/api/v1/openapi.json", headers={"Accept-Language": "fr"}).get_json()
    milestone = spec["paths"]["/api/v1/milestones/{milestone_id}"]["get"]
    assert milestone["summary"] == views.milestone.__doc__ == "One milestone."
    assert spec["components"]["schemas"]["EditionOut"]["properties"]["state"]["description"] == (
        "preparing, ready or failed")
    assert "PaginationMetadata" not in spec["components"]["schemas"]  # the lists are cursor pages
    page = client.get("/api/v1/docs", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _summaries(page)["GET/api/v1/milestones/{milestone_id}"] == "One milestone."
    assert "(in a header) — Sent again with the same request within a day" in page


def _extract(folder: Path) -> Catalog:
    """What `python -m tools.check_translations` extracts from `folder`, by the project's babel.cfg."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    catalogue = Catalog()
    for _filename, lineno, message, comments, context in extract_from_dir(folder, method_map, options_map,
                                                                         keywords=keywords):
        catalogue.add(message, None, [("", lineno)], auto_comments=comments, context=context)
    return catalogue


def test_every_text_the_page_translates_is_extracted_as_flask_smorest_writes_it(client, tmp_path):
    shutil.copytree(ROOT / "drafting" / "api", tmp_path / "drafting" / "api")
    extracted = {message.id for message in _extract(tmp_path) if message.id}
    spec = client.get("/api/v1/openapi.json").get_json()
    assert _shown_texts(spec) - extracted == set()
    # The API's own marked strings still go through Babel's Python extraction.
    assert "Some fields are not valid." in extracted
    # A Flask blueprint's route is a page, not an operation: its docstring is not extracted.
    assert views.documentation.__doc__ not in extracted


def test_a_docstring_changed_in_the_code_and_not_translated_is_reported_missing(tmp_path):
    source = (ROOT / "drafting" / "api" / "views.py").read_text(encoding="utf-8")
    changed = source.replace('    """One milestone."""', '    """One milestone.\n\n    With its deadlines."""')
    changed = changed.replace('"description": "The resource\'s ETag as last read."',
                              '"description": "The resource\'s ETag, as last read."')
    assert changed.count("With its deadlines.") == 1 and "ETag, as last read" in changed
    (tmp_path / "drafting" / "api").mkdir(parents=True)
    (tmp_path / "drafting" / "api" / "views.py").write_text(changed, encoding="utf-8")
    catalogue = _extract(tmp_path)
    for locale in check_translations.LOCALES:
        assert sorted(check_translations.missing(locale, catalogue)) == [
            "The resource's ETag, as last read.", "With its deadlines."]


def test_required_fields_of_a_body_and_fields_always_present_in_an_answer(client):
    """A field the caller must send reads "required" (the bodies of requests and what they nest); a
    field every answer carries reads "always present"."""
    page = client.get("/api/v1/docs").get_data(as_text=True)

    def fields(schema: str) -> str:
        return re.search(rf'<section class="card" id="schema-{schema}">(.*?)</section>', page, re.S).group(1)

    assert "· required" in fields("PositionCreate") and "always present" not in fields("PositionCreate")
    assert "· always present" in fields("PositionOut") and "required" not in fields("PositionOut")
