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


def test_a_member_with_damaged_compressed_data_is_refused_in_a_sentence(tmp_path):
    path = tmp_path / "a.zip"
    write_archive(path, [TableOut("t", ["a"], [[str(n)] for n in range(200)])], {})
    with zipfile.ZipFile(path) as archive:
        member = next(info for info in archive.infolist() if info.filename != "manifest.json")
    assert member.compress_type == zipfile.ZIP_DEFLATED
    data = bytearray(path.read_bytes())
    start = member.header_offset
    name_length = int.from_bytes(data[start + 26:start + 28], "little")
    extra_length = int.from_bytes(data[start + 28:start + 30], "little")
    data[start + 30 + name_length + extra_length] = 0x07  # a deflate block of the reserved type
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match="is damaged and cannot be read"):
        ArchiveIn(path)
