"""The built-in ``lingyun_read_image`` plugin: what it reads, refuses, and that it runs last."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from lingyun import images
from lingyun.errors import ImageError
from lingyun.hookspecs import hookimpl
from lingyun.images import read_image
from lingyun.plugins import get_plugin_manager

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "source",
    [PNG, bytearray(PNG), memoryview(PNG), io.BytesIO(PNG), io.BufferedReader(io.BytesIO(PNG))],
    ids=["bytes", "bytearray", "memoryview", "BytesIO", "BufferedReader"],
)
def test_reads_bytes_and_binary_files(source: object) -> None:
    assert read_image(source) == PNG


def test_reads_paths_as_str_and_pathlike(tmp_path: Path) -> None:
    path = tmp_path / "页.png"
    path.write_bytes(PNG)
    assert read_image(path) == read_image(str(path)) == PNG
    with path.open("rb") as handle:
        assert read_image(handle) == PNG


@pytest.mark.parametrize("source", [3.5, None, object(), ["a.png"], {"path": "a.png"}])
def test_passes_on_sources_it_does_not_know(source: object) -> None:
    assert read_image(source) is None


def test_refusals_name_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.png"
    with pytest.raises(ImageError, match=f"not found: {missing}"):
        read_image(missing)
    with pytest.raises(ImageError, match=f"{tmp_path} is a directory"):
        read_image(tmp_path)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(ImageError, match=f"image is empty: file {empty}"):
        read_image(empty)
    with pytest.raises(ImageError, match="embedded null"):
        read_image("a\0b.png")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.png"
    path.write_bytes(PNG)
    path.chmod(0)
    with pytest.raises(ImageError, match="cannot open .*locked.png"):
        read_image(path)


@pytest.mark.parametrize("source", [b"", bytearray(), io.BytesIO()])
def test_empty_images_are_refused(source: object) -> None:
    with pytest.raises(ImageError, match="image is empty"):
        read_image(source)


def test_text_mode_and_broken_file_objects_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match="text mode"):
        read_image(io.StringIO("x"))
    closed = io.BytesIO(PNG)
    closed.close()
    with pytest.raises(ImageError, match="cannot read image file object"):
        read_image(closed)

    class Texty:
        def read(self) -> str:
            return "not bytes"

    with pytest.raises(ImageError, match="returned str, not bytes"):
        read_image(Texty())


def test_hook_answers_through_the_plugin_manager() -> None:
    pm = get_plugin_manager()
    assert pm.hook.lingyun_read_image(source=PNG) == PNG
    assert pm.hook.lingyun_read_image(source=3.5) is None


def test_builtin_reader_runs_after_other_plugins() -> None:
    class Upper:
        @hookimpl
        def lingyun_read_image(self, source: object) -> bytes | None:
            return source.upper() if isinstance(source, bytes) else None

    pm = get_plugin_manager()
    builtin = next(i for i in pm.hook.lingyun_read_image.get_hookimpls()
                   if i.plugin is images)
    assert builtin.trylast
    plugin = Upper()
    pm.register(plugin, name="test-upper-reader")
    try:
        assert pm.hook.lingyun_read_image(source=b"abc") == b"ABC"
        assert pm.hook.lingyun_read_image(source=io.BytesIO(b"abc")) == b"abc"
    finally:
        pm.unregister(plugin)
