"""``--device``: onnxruntime execution providers for the embedded engine, and the engine seam
of ``lingyun serve --engine``."""

from __future__ import annotations

import pytest

from lingyun.cli import main
from lingyun.errors import ConfigurationError
from lingyun.service.engines.providers import CPU, resolve_providers

from .conftest import needs_rapidocr

CUDA, TRT = "CUDAExecutionProvider", "TensorrtExecutionProvider"


def test_cpu_is_the_default_and_always_the_fallback():
    assert resolve_providers(None, available=[CPU]) == [CPU]
    assert resolve_providers("cpu", available=[CPU]) == [CPU]
    assert resolve_providers("cuda", available=[CUDA, CPU]) == [CUDA, CPU]
    assert resolve_providers(f"{TRT}, cuda", available=[TRT, CUDA, CPU]) == [TRT, CUDA, CPU]
    assert resolve_providers("CUDA,cpu,cuda", available=[CUDA, CPU]) == [CUDA, CPU]


@pytest.mark.parametrize(("device", "package"), [
    ("cuda", "onnxruntime-gpu"), ("openvino", "onnxruntime-openvino"),
    ("coreml", "onnxruntime on macOS"), ("cpu,directml", "onnxruntime-directml")])
def test_an_absent_provider_names_what_is_installed_and_what_to_install(device, package):
    with pytest.raises(ConfigurationError) as caught:
        resolve_providers(device, available=["AzureExecutionProvider", CPU])
    message = str(caught.value)
    assert f"installed: AzureExecutionProvider, {CPU}" in message
    assert f"install {package}" in message and "--device cpu" in message


@pytest.mark.parametrize(("device", "match"), [
    ("gpu", "not a device"), ("cuda,,cpu", "empty entry"), ("", "empty entry")])
def test_a_malformed_device_is_named(device, match):
    with pytest.raises(ConfigurationError, match=match):
        resolve_providers(device, available=[CPU])


def test_the_installed_onnxruntime_is_asked_when_no_list_is_given():
    import onnxruntime

    assert resolve_providers("cpu") == [CPU]
    missing = next(name for name in ("cuda", "openvino", "coreml", "tensorrt")
                   if resolve_name(name) not in onnxruntime.get_available_providers())
    with pytest.raises(ConfigurationError, match="is not in this onnxruntime"):
        resolve_providers(missing)


def resolve_name(device: str) -> str:
    from lingyun.service.engines.providers import DEVICES

    return DEVICES[device][0]


@needs_rapidocr
def test_engine_takes_lingyun_device_and_refuses_an_absent_provider_at_once(monkeypatch):
    from lingyun.service.engines.rapidocr import RapidOCREngine

    monkeypatch.setenv("LINGYUN_DEVICE", "cpu")
    assert RapidOCREngine().providers == [CPU]
    monkeypatch.setenv("LINGYUN_DEVICE", "definitely-not-a-device")
    with pytest.raises(ConfigurationError, match="not a device"):
        RapidOCREngine()
    monkeypatch.delenv("LINGYUN_DEVICE")
    assert RapidOCREngine(device="cpu").providers == [CPU]


@needs_rapidocr
def test_serve_with_an_absent_device_is_a_one_line_error_before_listening(capsys, monkeypatch):
    import onnxruntime

    monkeypatch.delenv("LINGYUN_DEVICE", raising=False)
    missing = next(name for name in ("cuda", "openvino", "coreml", "tensorrt")
                   if resolve_name(name) not in onnxruntime.get_available_providers())
    code = main(["serve", "--device", missing, "--port", "0"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "is not in this onnxruntime" in err and "installed:" in err
    assert "LINGYUN_DEVICE" not in __import__("os").environ  # nothing half-configured


def test_serve_engine_choice_is_the_plugin_registry(capsys):
    code = main(["serve", "--engine", "no-such-engine", "--port", "0"])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown engine 'no-such-engine'" in err
    assert "rapidocr" in err and "replay" in err  # the registered engines are listed
