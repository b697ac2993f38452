"""Data files fail loudly at load time, naming the file and what is wrong."""

from pathlib import Path

import pytest

from acompana.domain.instruments.registry import (
    DATA_DIR,
    InstrumentFileError,
    load_instrument,
)


def copy_with(tmp_path: Path, name: str, old: str, new: str, as_name: str | None = None) -> Path:
    text = (DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{as_name or name}.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_every_instrument_cites_sources_licence_and_wording():
    for path in sorted(DATA_DIR.glob("*.yaml")):
        instrument = load_instrument(path)
        assert instrument.sources and instrument.licence and instrument.wording_note
        assert all(item.text.es and item.text.en for item in instrument.items)
        assert instrument.norms, f"{path.name} has no reliability for the RCI"


def test_a_gap_between_bands_is_refused(tmp_path):
    path = copy_with(tmp_path, "phq9", "max: 14", "max: 13")
    with pytest.raises(InstrumentFileError, match=r"phq9.yaml: .*score 14 falls in 0 bands"):
        load_instrument(path)


def test_overlapping_bands_are_refused(tmp_path):
    path = copy_with(tmp_path, "gad7", "min: 15", "min: 14")
    with pytest.raises(InstrumentFileError, match=r"score 14 falls in 2 bands"):
        load_instrument(path)


def test_an_unknown_option_set_is_named(tmp_path):
    path = copy_with(tmp_path, "who5", "options: frequency", "options: often")
    with pytest.raises(InstrumentFileError, match="item 1 names unknown option set 'often'"):
        load_instrument(path)


def test_the_id_must_match_the_file_name(tmp_path):
    path = copy_with(tmp_path, "pss4", "id: pss4", "id: pss4", as_name="pss")
    with pytest.raises(InstrumentFileError, match="pss.yaml: id is 'pss4'; expected 'pss'"):
        load_instrument(path)


def test_a_missing_field_is_named_with_its_path(tmp_path):
    path = copy_with(tmp_path, "gad7", "    reliability: 0.89\n", "")
    with pytest.raises(InstrumentFileError, match=r"gad7.yaml: norms.0.reliability: Field requ"):
        load_instrument(path)
