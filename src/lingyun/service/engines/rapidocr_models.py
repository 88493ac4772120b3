"""Which models the embedded engine loads, from where, and with which detector settings.

``rapidocr`` 3.x (the ``lingyun[local]`` extra) ships the PP-OCRv6 *small* text detector
and recognizer inside its wheel, ``rapidocr/models/PP-OCRv6_det_small.onnx`` and
``PP-OCRv6_rec_small.onnx``; the recognizer's character list is stored in the ONNX file's
metadata (``character``), so no dictionary file is needed either.  :func:`model_paths`
names both files and checks that they are there *before* anything loads: rapidocr would
otherwise try to download a missing model, and the service must never reach the network
on its own.  A missing file is a :class:`~lingyun.errors.ConfigurationError` naming the
path and the command that restores it.

:data:`DETECTOR` holds the detector settings, chosen by measurement (``docs/engine.md``
has the figures and ``benchmarks/engine_speed.py`` reproduces them):

* ``limit_type="max"``, ``limit_side_len=960`` -- the long side is brought down to 960
  pixels (never up).  rapidocr's default (``min`` 736) blows a 256 x 32 line up to about
  5888 x 736, slow and memory-hungry, and still misses it;
* ImageNet mean and standard deviation, as the detector was trained -- the default 0.5/0.5
  normalisation misses light text on a dark ground;
* ``box_thresh=0.2`` (a faint or short line still becomes a box), ``unclip_ratio=1.4``
  (boxes grown a little less than the default 1.6, so neighbouring lines stay apart),
  no dilation of the probability map (it merges close lines);
* no angle classifier: one more model run per line, and on the measured English pages it
  turned correct upright lines around (order-free CER 0.014 -> 0.025, ``docs/engine.md``).

:data:`PAGE_SIDE` keeps the page as sent: rapidocr first brings every image down to a
long side of 2000 pixels (``Global.max_side_len``) and cuts the recognizer's line crops
from that smaller copy, so a 300-dpi scan's lines reached the recognizer at 0.6 of their
size, and the detector saw the page resized twice.  With the page kept, the detector makes
its one resize from the original, and each crop is cut at full resolution (the recognizer
scales it to its 48-pixel height anyway, so it costs no more): on the measured pages a
two-page spread's missing last line is found, and word accuracy on the Scribe pages goes
from 95.8 to 96.1 % (``docs/engine.md``).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import ConfigurationError

__all__ = ["DETECTOR", "INSTALL_HINT", "PAGE_SIDE", "ModelPaths", "model_paths",
           "rapidocr_params"]

INSTALL_HINT = "pip install 'lingyun[local]'"
DETECTION_MODEL = "PP-OCRv6_det_small.onnx"
RECOGNITION_MODEL = "PP-OCRv6_rec_small.onnx"

#: ImageNet statistics (RGB order; rapidocr's detector normalises the image as read).
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

#: Detector settings (rapidocr's ``Det.*`` keys), see the module docstring.
DETECTOR: dict[str, Any] = {
    "limit_type": "max",
    "limit_side_len": 960,
    "mean": list(IMAGENET_MEAN),
    "std": list(IMAGENET_STD),
    "box_thresh": 0.2,
    "unclip_ratio": 1.4,
    "use_dilation": False,
}

#: rapidocr's ``Global.max_side_len``: a page is never brought down before detection (the
#: service's decoder, :mod:`lingyun.service.imageio`, keeps a page's long side far below).
PAGE_SIDE = 1 << 16


@dataclass(frozen=True)
class ModelPaths:
    """The two ONNX files the engine loads."""

    detection: Path
    recognition: Path


def _package_dir() -> Path:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise ConfigurationError(f"the embedded engine needs rapidocr 3.x: {INSTALL_HINT}")
    return Path(spec.origin).parent


def model_paths(models_dir: Path | None = None) -> ModelPaths:
    """The shipped PP-OCRv6 small models, checked to exist (``models_dir`` defaults to the
    ``models`` folder of the installed ``rapidocr`` package).

    Raises :class:`~lingyun.errors.ConfigurationError` naming the missing file: the engine
    does not let rapidocr download it.
    """
    folder = models_dir if models_dir is not None else _package_dir() / "models"
    paths = ModelPaths(folder / DETECTION_MODEL, folder / RECOGNITION_MODEL)
    for role, path in (("detection", paths.detection), ("recognition", paths.recognition)):
        if not path.is_file():
            raise ConfigurationError(
                f"the {role} model {path} is missing (it ships inside the rapidocr wheel; "
                f"nothing is downloaded at run time): reinstall with "
                f"pip install --force-reinstall 'rapidocr>=3.10,<4'"
            )
    return paths


def rapidocr_params(paths: ModelPaths) -> dict[str, Any]:
    """rapidocr's ``params`` for these models, :data:`DETECTOR` and :data:`PAGE_SIDE` (no
    angle classifier, rapidocr's own logging at warnings only)."""
    params: dict[str, Any] = {
        "Global.use_cls": False,
        "Global.log_level": "warning",
        "Global.max_side_len": PAGE_SIDE,
        "Det.model_path": str(paths.detection),
        "Rec.model_path": str(paths.recognition),
    }
    params.update({f"Det.{key}": value for key, value in DETECTOR.items()})
    return params
