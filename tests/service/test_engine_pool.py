"""The engine pool: recognition in worker processes gives what one engine gives."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lingyun import Client, ConfigurationError
from lingyun.service.engines import BadImage, Job, make_engines
from lingyun.service.engines.pool import EnginePool, default_split, split_from_env
from lingyun.service.engines.rapidocr import RapidOCREngine
from lingyun.service.validation import Capability

from .conftest import SAMPLE_INFO, SAMPLES, needs_rapidocr

ENGLISH = Capability("ocr.cloud.english", lang="english", document_type="text.english",
                     with_position=True)


@pytest.fixture(scope="module")
def pool() -> Iterator[EnginePool]:
    engine = EnginePool("rapidocr", processes=2, threads=1).start()
    try:
        yield engine
    finally:
        engine.close()


@needs_rapidocr
def test_a_pool_answers_exactly_as_one_engine(pool: EnginePool) -> None:
    image = (SAMPLES / SAMPLE_INFO["english"]["file"]).read_bytes()
    single = RapidOCREngine(threads=1).recognize(Job(ENGLISH, image))
    pooled = [pool.recognize(Job(ENGLISH, image)) for _ in range(3)]
    assert {p.data["forms"]["form"] for p in pooled} == {single.data["forms"]["form"]}
    assert {p.positions for p in pooled} == {single.positions}
    assert single.data["forms"]["form"] == SAMPLE_INFO["english"]["text"]


@needs_rapidocr
def test_a_bad_image_comes_back_as_bad_image(pool: EnginePool) -> None:
    with pytest.raises(BadImage):
        pool.recognize(Job(ENGLISH, b"\x89PNG\r\n\x1a\n" + b"not really a png"))
    # and the pool still works afterwards
    image = (SAMPLES / SAMPLE_INFO["english"]["file"]).read_bytes()
    assert pool.recognize(Job(ENGLISH, image)).data["forms"]["form"]


@needs_rapidocr
def test_make_engines_pools_only_cpu_bound_engines() -> None:
    engines = make_engines(["rapidocr", "replay"], processes=3, threads=2)
    assert isinstance(engines[0], EnginePool) and engines[0].processes == 3
    assert engines[0].threads == 2 and engines[1].name == "replay"
    assert not isinstance(make_engines(["rapidocr"], processes=1)[0], EnginePool)


@needs_rapidocr
def test_the_embedded_client_recognizes_through_a_pool() -> None:
    info = SAMPLE_INFO["chinese"]
    with Client.local(processes=2) as client:
        assert client.recognize(SAMPLES / info["file"]).text.strip() == info["text"]


def test_the_split_is_configurable_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_split(2) == (2, 1) and default_split(64) == (8, 1)
    monkeypatch.setenv("LINGYUN_ENGINE_PROCESSES", "3")
    monkeypatch.setenv("LINGYUN_ENGINE_THREADS", "2")
    assert split_from_env() == (3, 2)
    monkeypatch.setenv("LINGYUN_ENGINE_THREADS", "²")
    with pytest.raises(ConfigurationError, match="ASCII digits"):
        split_from_env()
    monkeypatch.setenv("LINGYUN_ENGINE_THREADS", "0")
    with pytest.raises(ConfigurationError, match="at least 1"):
        split_from_env()
