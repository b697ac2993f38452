"""Filling printed forms by a synthetic hand, and photographing them, for the tests."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile

from acompana.domain.omr.spec import FormSpec
from acompana.domain.omr.synthetic import Answer, degrade, fill, page_image
from acompana.forms.models import PrintedPage


def printed_specs(program, form_type: str) -> list[FormSpec]:
    """The layouts kept when a form was printed, in page order."""
    specs = [FormSpec.from_json(p.spec) for p in PrintedPage.objects.filter(program=program)]
    return sorted((s for s in specs if s.identity.form_type == form_type),
                  key=lambda s: (s.identity.group, s.identity.occasion, s.identity.page))


def photo(spec: FormSpec, marks: dict[str, str | tuple[str, ...]], *, copy: int = 1,
          seed: int = 1, photographed: bool = False, version: int | None = None) -> bytes:
    """A JPEG of the page with a full pen mark on each chosen bubble (two for a tuple)."""
    if version is not None:
        spec = replace(spec, identity=replace(spec.identity, form_version=version))
    rng = np.random.default_rng(seed)
    answers = {}
    for row in spec.rows:
        chosen = marks.get(row.id, ())
        chosen = (chosen,) if isinstance(chosen, str) else chosen
        answers[row.id] = Answer(tuple((value, "full") for value in chosen),
                                 chosen[0] if len(chosen) == 1 else None, len(chosen) > 1)
    image = fill(page_image(spec, copy), spec, answers, rng)
    if photographed:
        image = degrade(image, rng)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return data.tobytes()


def upload(name: str, data: bytes, kind: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=kind)
