"""Office files say which language their text is in, so Word and PowerPoint check the spelling
in Spanish (their templates say en-US, and then every Spanish word is marked as misspelled)."""

from __future__ import annotations

from docx.oxml.ns import qn

OFFICE_LANGUAGE = {"es": "es-MX", "en": "en-US"}


def tag_docx(document, lang: str) -> None:
    """The document's default text language, and every place its template names one."""
    tag = OFFICE_LANGUAGE[lang]
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    properties = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
    if properties is not None and properties.find(qn("w:lang")) is None:
        properties.append(properties.makeelement(qn("w:lang"), {}))
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None:
            for node in element.iter(qn("w:lang"), qn("w:themeFontLang")):
                node.set(qn("w:val"), tag)
                if node.get(qn("w:eastAsia")) in ("en-US", None):
                    node.set(qn("w:eastAsia"), tag)
        elif part.partname.endswith(".xml"):  # parts python-docx keeps as bytes
            part._blob = part.blob.replace(b'w:val="en-US"', f'w:val="{tag}"'.encode()).replace(
                b'w:eastAsia="en-US"', f'w:eastAsia="{tag}"'.encode())
    document.core_properties.language = tag


def tag_pptx(presentation, lang: str) -> None:
    """Every text property of the deck, its master and layouts, in the deck's language."""
    tag = OFFICE_LANGUAGE[lang]
    for part in presentation.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None:
            continue
        for node in element.iter():
            if node.get("lang") is not None:
                node.set("lang", tag)
    presentation.core_properties.language = tag
