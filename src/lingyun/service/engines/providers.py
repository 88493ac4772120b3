"""Where the models run: onnxruntime execution providers, chosen by ``--device``.

``lingyun serve --device cpu|cuda|openvino|coreml`` (or ``LINGYUN_DEVICE``) picks the
onnxruntime *execution provider*; a comma list (``--device cuda,cpu`` or full provider names
such as ``TensorrtExecutionProvider,CUDAExecutionProvider``) gives several in order of
preference -- onnxruntime runs each operation on the first provider that supports it.
The CPU provider is always added last as the fallback, and is the default.

A provider exists only in the onnxruntime *build* that has it: ``onnxruntime`` (CPU),
``onnxruntime-gpu`` (CUDA, TensorRT), ``onnxruntime-openvino`` (OpenVINO),
``onnxruntime-directml`` (DirectML); the default macOS wheel has CoreML.  Asking for one
the installed build lacks is a :class:`~lingyun.errors.ConfigurationError` that names the
providers present and the package to install -- onnxruntime itself would only warn and
quietly run on the CPU.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ...errors import ConfigurationError

__all__ = ["DEVICES", "device_from_env", "resolve_providers"]

CPU = "CPUExecutionProvider"

#: Short device names -> onnxruntime provider and the pip package that brings it.
DEVICES: dict[str, tuple[str, str]] = {
    "cpu": (CPU, "onnxruntime"),
    "cuda": ("CUDAExecutionProvider", "onnxruntime-gpu"),
    "tensorrt": ("TensorrtExecutionProvider", "onnxruntime-gpu"),
    "openvino": ("OpenVINOExecutionProvider", "onnxruntime-openvino"),
    "coreml": ("CoreMLExecutionProvider", "onnxruntime on macOS (its wheel has CoreML)"),
    "directml": ("DmlExecutionProvider", "onnxruntime-directml"),
}
_BY_PROVIDER = {provider: (name, package) for name, (provider, package) in DEVICES.items()}


def device_from_env() -> str | None:
    """``LINGYUN_DEVICE``, stripped, or ``None`` when unset or blank."""
    raw = os.environ.get("LINGYUN_DEVICE", "").strip()
    return raw or None


def _installed() -> list[str]:
    import onnxruntime

    return list(onnxruntime.get_available_providers())


def resolve_providers(device: str | None, available: Sequence[str] | None = None) -> list[str]:
    """The provider list for ``device`` (``None``: the CPU), CPU last.

    ``device`` is a comma-separated list of short names (:data:`DEVICES`) or provider
    names; ``available`` defaults to :func:`onnxruntime.get_available_providers`.
    """
    spec = device if device is not None else "cpu"
    wanted: list[str] = []
    for raw in spec.split(","):
        item = raw.strip()
        if not item:
            raise ConfigurationError(f"--device {spec!r}: empty entry in the list "
                                     f"(use e.g. 'cuda,cpu')")
        provider = DEVICES[item.lower()][0] if item.lower() in DEVICES else item
        if provider not in _BY_PROVIDER and not provider.endswith("ExecutionProvider"):
            raise ConfigurationError(
                f"--device {item!r} is not a device: use one of {', '.join(DEVICES)} or an "
                f"onnxruntime provider name (…ExecutionProvider)")
        if provider not in wanted:
            wanted.append(provider)
    present = list(available) if available is not None else _installed()
    for provider in wanted:
        if provider not in present:
            package = _BY_PROVIDER.get(provider, ("", "the onnxruntime build that has it"))[1]
            raise ConfigurationError(
                f"execution provider {provider} is not in this onnxruntime (installed: "
                f"{', '.join(present) or 'none'}): install {package} in place of the "
                f"onnxruntime you have, or run with --device cpu")
    if CPU not in wanted:
        wanted.append(CPU)
    return wanted
