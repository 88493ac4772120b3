"""Exports and overlays: names unique per source and page, never written through a symlink."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from lingyun.bulk.outputs import output_names, write_atomic
from lingyun.cli import EXIT_OK, main
from lingyun.service.engines.rapidocr import rapidocr_available

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "lingyun" / "samples"


def test_colliding_stems_get_a_digest_and_plain_ones_stay_plain() -> None:
    names = output_names([("a/x.png", None), ("b/x.png", None), ("x.pdf", 1), ("x.tif", 1),
                          ("y.png", None), ("x.pdf", 2), ("Y.jpg", None)])
    assert names[("x.pdf", 2)] == "x-p2"  # unique: as it was
    assert len(set(names.values())) == 7
    assert names[("a/x.png", None)].startswith("x-") and names[("x.pdf", 1)].endswith("-p1")
    assert names[("y.png", None)].lower() != names[("Y.jpg", None)].lower()
    assert output_names([("a/x.png", None)]) == {("a/x.png", None): "x"}


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "a/b", "c/a"]),
                          st.sampled_from(["x.png", "x.pdf", "x-p1.png", "X.png"]),
                          st.none() | st.integers(1, 3)), max_size=12))
def test_names_never_collide(entries: list[tuple[str, str, int | None]]) -> None:
    keys = [(f"{folder}/{name}", page) for folder, name, page in entries]
    names = output_names(keys)
    assert set(names) == set(keys)
    assert len({name.lower() for name in names.values()}) == len(names)


def test_write_atomic_replaces_a_planted_symlink_and_spares_its_target(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "x.hocr").symlink_to(victim)
    write_atomic(folder / "x.hocr", b"<html/>")
    assert victim.read_text() == "precious"
    assert not (folder / "x.hocr").is_symlink()
    assert (folder / "x.hocr").read_bytes() == b"<html/>"
    assert sorted(p.name for p in folder.iterdir()) == ["x.hocr"]  # no temporary left
    (folder / "sub").mkdir()
    with pytest.raises(OSError):
        write_atomic(folder / "sub", b"data")  # a directory is not replaced
    assert sorted(p.name for p in folder.iterdir()) == ["sub", "x.hocr"]


@pytest.mark.skipif(not rapidocr_available(), reason="needs the local extra (rapidocr)")
def test_a_run_writes_one_file_per_source_and_page_and_follows_no_symlink(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LINGYUN_ENDPOINT", "LINGYUN_APP_KEY", "LINGYUN_DEV_KEY"):
        monkeypatch.delenv(name, raising=False)
    inputs = tmp_path / "in"
    for folder in ("a", "b"):
        (inputs / folder).mkdir(parents=True)
        shutil.copy(SAMPLES / "english.png", inputs / folder / "x.png")
    with Image.open(SAMPLES / "english.png") as image:
        image.convert("RGB").save(inputs / "x.pdf", resolution=200)
    exports, overlays = tmp_path / "exports", tmp_path / "overlays"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    names = output_names([(str(inputs / "a" / "x.png"), None), (str(inputs / "b" / "x.png"), None),
                          (str(inputs / "x.pdf"), 1)])
    assert len(set(names.values())) == 3
    for folder, suffix in ((exports, ".hocr"), (overlays, ".png")):
        folder.mkdir()
        for name in names.values():  # a symlink planted under every name the run writes
            (folder / f"{name}{suffix}").symlink_to(victim)
    assert main(["ocr", str(inputs), "--format", "hocr", "--export", f"{exports}/",
                 "--overlay", str(overlays)]) == EXIT_OK
    assert victim.read_text() == "precious"
    for folder, suffix in ((exports, ".hocr"), (overlays, ".png")):
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            f"{name}{suffix}" for name in names.values())
        assert all(not p.is_symlink() and p.stat().st_size > 0 for p in folder.iterdir())
    assert all("<html" in (exports / f"{name}.hocr").read_text(encoding="utf-8")
               for name in names.values())


def test_an_export_that_cannot_be_written_is_reported_and_the_records_stay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from lingyun.cli.ocr import _Exporter

    target = tmp_path / "taken"
    target.mkdir()  # --export FILE names a directory's path only after the run began
    exporter = _Exporter("csv", str(tmp_path / "taken.csv"), None)
    exporter.target = target
    exporter.collected.append((object(), "x.png"))
    exporter.spec = type(exporter.spec)("csv", ".csv", "test", lambda results, sources: [b"a"])
    exporter.finish()
    assert exporter.failures == 1
    assert f"{target}: export not written" in capsys.readouterr().err
