"""Load the instrument data files once into a read-only registry."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import yaml
from pydantic import ValidationError

from acompana.domain.instruments.model import Instrument

DATA_DIR = Path(__file__).parent / "data"


class InstrumentFileError(ValueError):
    """An instrument data file that cannot be used, with the file and field named."""


class UnknownInstrumentError(ValueError):
    """An instrument id that is not in the registry."""


def load_instrument(path: Path) -> Instrument:
    """Read one instrument file; its `id` must match the file name so ids stay findable."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InstrumentFileError(f"{path.name}: not valid YAML: {error}") from error
    try:
        instrument = Instrument.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'file'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise InstrumentFileError(f"{path.name}: {problems}") from error
    if instrument.id != path.stem:
        raise InstrumentFileError(
            f"{path.name}: id is {instrument.id!r}; expected {path.stem!r} (the file name)"
        )
    return instrument


def load_instruments(directory: Path = DATA_DIR) -> Mapping[str, Instrument]:
    """All instruments in a directory, keyed by id, in file-name order."""
    instruments = {path.stem: load_instrument(path) for path in sorted(directory.glob("*.yaml"))}
    return MappingProxyType(instruments)


INSTRUMENTS: Mapping[str, Instrument] = load_instruments()


def get_instrument(instrument_id: str) -> Instrument:
    """The instrument with this id, or an error listing the known ids."""
    try:
        return INSTRUMENTS[instrument_id]
    except KeyError:
        known = ", ".join(INSTRUMENTS)
        raise UnknownInstrumentError(
            f"unknown instrument {instrument_id!r}; known instruments: {known}"
        ) from None
