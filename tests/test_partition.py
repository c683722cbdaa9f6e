"""Work units: an archive read in byte ranges gives what reading it whole gives, and a cut or a
bad line is reported once, by the range it starts in, with everything before it read."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from archives import pages, write_jsonl, write_warc

from releasewatch.errors import InputError
from releasewatch.ingest import read_sources
from releasewatch.ingest.partition import ByteRange, FileGroup, plan, read_unit
from releasewatch.model import RawDocument


def read_all(units: list) -> tuple[list[RawDocument], list[InputError]]:
    """Every document and error of the units, in order."""
    docs: list[RawDocument] = []
    errors: list[InputError] = []
    for unit in units:
        for item in read_unit(unit):
            (errors if isinstance(item, InputError) else docs).append(item)
    return docs, errors


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("span", [997, 4_096, 20_000])
def test_a_warc_read_in_ranges_gives_every_page_once_in_order(
    tmp_path: Path, compressed: bool, span: int
) -> None:
    path = tmp_path / ("a.warc.gz" if compressed else "a.warc")
    write_warc(path, pages(40), gzip=compressed)
    units = list(plan([path], span=span))
    assert len(units) > 1 and all(isinstance(u, ByteRange) for u in units)
    assert units[0].start == 0 and units[-1].end == path.stat().st_size
    docs, errors = read_all(units)
    whole = list(read_sources([path]))
    assert errors == []
    assert [(d.url, d.text) for d in docs] == [(d.url, d.text) for d in whole]  # type: ignore[union-attr]
    assert len(docs) == 40


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("span", [997, 4_096])
@pytest.mark.parametrize("cut_record", [5, 17, 39])
@pytest.mark.parametrize("into", [30, 400])
def test_a_truncated_warc_in_ranges_is_reported_once_with_all_before_read(
    tmp_path: Path, compressed: bool, span: int, cut_record: int, into: int
) -> None:
    path = tmp_path / ("cut.warc.gz" if compressed else "cut.warc")
    offsets = write_warc(path, pages(40), gzip=compressed, extras=False)
    data = path.read_bytes()
    path.write_bytes(data[: offsets[cut_record] + into])
    docs, errors = read_all(list(plan([path], span=span)))
    assert [d.url for d in docs] == [f"https://news.example.org/{n}" for n in range(cut_record)]
    (error,) = errors
    assert error.source == str(path)
    assert "truncated" in error.reason
    assert f"from byte {offsets[cut_record]:,}" in error.reason


def test_a_whole_stream_gzip_warc_is_one_unit(tmp_path: Path) -> None:
    plain = tmp_path / "plain.warc"
    write_warc(plain, pages(30), gzip=False)
    path = tmp_path / "one-stream.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))  # not one member per record
    units = list(plan([path], span=512))
    assert units == [FileGroup((str(path),), path.stat().st_size)]
    docs, errors = read_all(units)  # warcio reads one record of it, then says to recompress
    whole = list(read_sources([path]))
    assert [str(e) for e in errors] == [str(e) for e in whole if isinstance(e, InputError)]
    assert len(docs) == 1 and "warcio recompress" in errors[0].reason


def test_jsonl_ranges_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    write_jsonl(path, 60, bad=(7, 44))
    units = list(plan([path], span=1_000))
    assert len(units) > 3 and all(isinstance(u, ByteRange) for u in units)
    docs, errors = read_all(units)
    whole = list(read_sources([path]))
    assert [d.source for d in docs] == [d.source for d in whole if isinstance(d, RawDocument)]
    assert [d.text for d in docs] == [d.text for d in whole if isinstance(d, RawDocument)]
    assert [e.source for e in errors] == [f"{path}:7", f"{path}:44"]


def test_small_files_of_a_folder_are_grouped_in_reading_order(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(5):
        (folder / f"{n}.txt").write_text(f"Story {n}\n\nBelarus freed {n} prisoners.\n")
    big = folder / "3-archive.warc"
    write_warc(big, pages(20), gzip=False)
    units = list(plan([folder], span=2_000))  # sorted: 0, 1, 2, 3-archive.warc, 3, 4
    assert units[0] == FileGroup(
        tuple(str(folder / f"{n}.txt") for n in range(3)),
        sum((folder / f"{n}.txt").stat().st_size for n in range(3)),
    )
    ranges = units[1:-1]
    assert len(ranges) > 1 and all(isinstance(u, ByteRange) and u.path == str(big) for u in ranges)
    assert isinstance(units[-1], FileGroup)
    assert units[-1].files == (str(folder / "3.txt"), str(folder / "4.txt"))
