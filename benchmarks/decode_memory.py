"""What decoding one image costs the service: CPU seconds and peak memory, per image kind.

    PYTHONPATH=src python benchmarks/decode_memory.py

Each case runs :func:`lingyun.service.imageio.decode` in a fresh interpreter and reports its
CPU time and the growth of its peak resident memory (``VmHWM``, Linux) over the interpreter
with the file read but not decoded.  The cases are the ones of issue 15: a float32 7000 x 7000 TIFF
(refused from its header now), a float32 3500 x 3500 TIFF (converted by bands), a white
7000 x 7000 PNG (49 MP of 1-byte greyscale) and a 7000 x 7000 RGB PNG of noise.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

_PROBE = """
import sys, time
from lingyun.service import imageio

def peak_kib():  # VmHWM: this process's peak, reset at exec (ru_maxrss is not)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

data = open(sys.argv[1], "rb").read()
before = peak_kib()
started = time.process_time()
try:
    outcome = "x".join(map(str, imageio.decode(data).shape))
except imageio.ImageRefused as exc:
    outcome = "refused 230"
cpu = time.process_time() - started
grown = peak_kib() - before
print(f"{outcome}\\t{cpu:.2f}\\t{grown / 1024:.0f}")
"""


def _tiff_float(side: int) -> bytes:
    ramp = np.linspace(0, 1, side * side, dtype=np.float32).reshape(side, side)
    out = io.BytesIO()
    Image.fromarray(ramp, mode="F").save(out, format="TIFF", compression="tiff_adobe_deflate")
    return out.getvalue()


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def main() -> None:
    noise = np.random.default_rng(0).integers(0, 256, (7000, 7000, 3), dtype=np.uint8)
    cases = {
        "float32 TIFF 7000 x 7000": _tiff_float(7000),
        "float32 TIFF 3500 x 3500": _tiff_float(3500),
        "white PNG 7000 x 7000 (L)": _png(Image.new("L", (7000, 7000), 255)),
        "noise PNG 7000 x 7000 (RGB)": _png(Image.fromarray(noise)),
    }
    del noise
    print(f"{'image':30} {'file':>10} {'result':>16} {'CPU s':>6} {'+peak MB':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for name, data in cases.items():
            path = Path(folder) / "image"
            path.write_bytes(data)
            out = subprocess.run([sys.executable, "-c", _PROBE, str(path)], check=True,
                                 capture_output=True, text=True).stdout.strip()
            outcome, cpu, grown = out.split("\t")
            print(f"{name:30} {len(data):>10,} {outcome:>16} {cpu:>6} {grown:>9}")


if __name__ == "__main__":
    main()
