"""The archive's cell codec and manifest checks, without a database."""

import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acompana.domain.archive import (
    ArchiveError,
    ArchiveIn,
    TableOut,
    decode_cell,
    encode_cell,
    write_archive,
)


@given(st.one_of(st.none(), st.text()))
def test_every_text_and_null_come_back_as_they_were(value):
    assert decode_cell(encode_cell(value)) == value


def test_null_empty_and_backslash_n_stay_distinct():
    assert len({encode_cell(None), encode_cell(""), encode_cell("\\N")}) == 3


@given(st.lists(st.lists(st.one_of(st.none(), st.text()), min_size=2, max_size=2),
                max_size=20))
def test_rows_round_trip_through_the_zip(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("archive") / "a.zip"
    write_archive(path, [TableOut("t", ["a", "b"], rows)], {"about": "test"})
    archive = ArchiveIn(path)
    assert list(archive.rows("t")) == rows
    assert archive.tables["t"]["rows"] == len(rows)


def test_missing_member_and_other_files_are_refused(tmp_path):
    path = tmp_path / "a.zip"
    write_archive(path, [TableOut("t", ["a"], [["1"]])], {})
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        target.writestr("manifest.json", source.read("manifest.json"))
    with pytest.raises(ArchiveError, match="is missing"):
        ArchiveIn(broken)
    (tmp_path / "x.zip").write_bytes(b"nothing")
    with pytest.raises(ArchiveError, match="is not a zip archive"):
        ArchiveIn(tmp_path / "x.zip")
