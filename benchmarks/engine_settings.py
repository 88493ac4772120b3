"""Which detector settings read best: the embedded engine's settings chosen by measurement.

Runs the *bare* rapidocr 3 pipeline (PP-OCRv6 small models from its wheel, no angle
classifier unless a configuration asks for it) under several detector configurations on
the same images, and prints per configuration the order-free character error rate -- the
characters (white space removed) missing from or added to the transcription, counted as
multisets, over the transcription's length; reading order does not enter -- the share of
images read as empty, and the median seconds per image.

Images:

* the Scribe OCR benchmark pages (``DIR/img/NAME.*`` with ``DIR/ground_truth/NAME*.hocr``,
  github.com/scribeocr/ocr-benchmark; English: forms, tables, multi-column pages, slides);
* Chinese pages rendered here with Pillow and the Noto Sans CJK font of the
  ``cvttf-NotoSansCJK-Regular`` package: a paragraph page, the same page as light text on a
  dark ground, and a single 256 x 32 line (what ``limit_type min`` blows up).

Run: ``python benchmarks/engine_settings.py [SCRIBE_DIR [NAME ...]]`` (default
``/work/data/scribe``, every page; NAMEs pick pages by name prefix).
"""

from __future__ import annotations

import collections
import html
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from lingyun.service.engines.rapidocr_models import IMAGENET_MEAN, IMAGENET_STD, model_paths

CHINESE = ("灵云图像识别服务把扫描件和照片里的文字变成可以搜索和编辑的文本。"
           "本地服务不连网络，模型随软件包一起安装，识别结果带有每个字的位置和候选字。"
           "北京捷通华声科技股份有限公司成立于二零零零年，专注于智能语音和图像识别技术。"
           "表格、名片、身份证和银行卡等模板文档也可以由插件识别，字段按照厂商的格式返回。")

BASE: dict[str, Any] = {"limit_type": "max", "limit_side_len": 960,
                        "mean": list(IMAGENET_MEAN), "std": list(IMAGENET_STD),
                        "box_thresh": 0.2, "unclip_ratio": 1.4, "use_dilation": False}
CONFIGS: dict[str, dict[str, Any]] = {
    "rapidocr defaults (min 736, 0.5 norm, box 0.5, unclip 1.6, dilation)": {},
    "chosen (max 960, ImageNet, box 0.2, unclip 1.4, no dilation)": BASE,
    "chosen, 0.5 normalisation": {**BASE, "mean": [0.5] * 3, "std": [0.5] * 3},
    "chosen, max 1280": {**BASE, "limit_side_len": 1280},
    "chosen, unclip 1.6": {**BASE, "unclip_ratio": 1.6},
    "chosen, box 0.5": {**BASE, "box_thresh": 0.5},
    "chosen + angle classifier": {**BASE, "use_cls": True},
}

_LINE = re.compile(r"class=['\"]ocr_line['\"].*?(?=class=['\"]ocr_line['\"]|\Z)", re.S)
_WORD = re.compile(r"class=['\"]ocrx_word['\"][^>]*>(.*?)</span>", re.S)
_TAG = re.compile(r"<[^>]+>")


def hocr_text(hocr: str) -> str:
    words = []
    for block in _LINE.findall(hocr):
        words += [html.unescape(_TAG.sub("", w)).strip() for w in _WORD.findall(block)]
    return " ".join(w for w in words if w)


def order_free_cer(got: str, truth: str) -> float:
    """max(missing, extra) characters over the truth's length, white space removed."""
    want = collections.Counter(re.sub(r"\s", "", truth))
    have = collections.Counter(re.sub(r"\s", "", got))
    missing = sum((want - have).values())
    extra = sum((have - want).values())
    return max(missing, extra) / max(1, sum(want.values()))


def scribe_pages(folder: Path, prefixes: list[str]) -> list[tuple[str, np.ndarray, str]]:
    import cv2

    pages = []
    for image in sorted((folder / "img").glob("*")):
        if prefixes and not any(image.stem.startswith(p) for p in prefixes):
            continue
        truth = next(iter(sorted((folder / "ground_truth").glob(f"{image.stem}*.hocr"))), None)
        if truth is None:
            continue
        pages.append((image.stem, cv2.imread(str(image), cv2.IMREAD_COLOR),
                      hocr_text(truth.read_text(encoding="utf-8"))))
    return pages


def chinese_pages() -> list[tuple[str, np.ndarray, str]]:
    import cvttf_NotoSansCJK_Regular as font_package
    from PIL import Image, ImageDraw, ImageFont

    font_file = next(Path(font_package.__file__).parent.glob("*.otf"))
    font = ImageFont.truetype(str(font_file), 28)
    width, per_line = 1240, 40
    lines = [CHINESE[i:i + per_line] for i in range(0, len(CHINESE), per_line)]
    page = Image.new("RGB", (width, 80 + 48 * len(lines)), "white")
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((40, 40 + 48 * i), line, font=font, fill="black")
    dark = Image.eval(page, lambda v: 255 - v)
    small = Image.new("RGB", (256, 32), "white")
    ImageDraw.Draw(small).text((4, 4), CHINESE[:10], font=ImageFont.truetype(
        str(font_file), 22), fill="black")
    as_bgr = [np.ascontiguousarray(np.asarray(p)[:, :, ::-1]) for p in (page, dark, small)]
    return [("zh_page", as_bgr[0], "".join(lines)), ("zh_light_on_dark", as_bgr[1],
            "".join(lines)), ("zh_line_256x32", as_bgr[2], CHINESE[:10])]


def bare(config: dict[str, Any]) -> Any:
    from rapidocr import RapidOCR

    paths = model_paths()
    params: dict[str, Any] = {"Global.use_cls": bool(config.get("use_cls", False)),
                              "Global.log_level": "error",
                              "Det.model_path": str(paths.detection),
                              "Rec.model_path": str(paths.recognition)}
    params.update({f"Det.{k}": v for k, v in config.items() if k != "use_cls"})
    return RapidOCR(params=params)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/data/scribe")
    pages = (scribe_pages(folder, sys.argv[2:]) if folder.is_dir() else []) + chinese_pages()
    print(f"{len(pages)} images: {', '.join(name for name, _, _ in pages)}")
    for label, config in CONFIGS.items():
        ocr = bare(config)
        errors: dict[str, float] = {}
        seconds, empty = [], 0
        for name, image, truth in pages:
            start = time.perf_counter()
            result = ocr(image)
            seconds.append(time.perf_counter() - start)
            text = " ".join(result.txts or ()) if getattr(result, "txts", None) else ""
            empty += not text.strip()
            errors[name] = order_free_cer(text, truth)
        english = [v for k, v in errors.items() if not k.startswith("zh_")]
        chinese = [v for k, v in errors.items() if k.startswith("zh_")]
        print(f"{label}\n  order-free CER: English mean {statistics.fmean(english or [0]):.3f}"
              f", Chinese {' '.join(f'{v:.3f}' for v in chinese)}; empty {empty}; "
              f"median {statistics.median(seconds):.2f} s/image")
        worst = sorted(errors.items(), key=lambda kv: -kv[1])[:3]
        print("  worst: " + ", ".join(f"{k} {v:.3f}" for k, v in worst), flush=True)


if __name__ == "__main__":
    main()
