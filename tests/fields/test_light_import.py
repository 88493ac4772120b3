"""``import lingyun`` loads only requests' and pluggy's worlds; the heavier dependencies
load with the feature that needs them (numpy and cffi with the decoder, tqdm with a progress
bar, python-stdnum with a validator).  Checked in a fresh interpreter's ``sys.modules``."""

from __future__ import annotations

import json
import subprocess
import sys

#: Third-party top-level modules ``import lingyun`` may load: its two dependencies and theirs.
ALLOWED = {"pluggy", "requests", "urllib3", "idna", "certifi", "charset_normalizer",
           "chardet", "lingyun"}


def _loaded_after(code: str) -> set[str]:
    program = (
        "import sys, json\n"
        f"{code}\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('lingyun.'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    top, ours = (json.loads(line) for line in run.stdout.splitlines()[-2:])
    return set(top) | set(ours)


def test_import_lingyun_loads_only_requests_and_pluggy() -> None:
    loaded = _loaded_after("import lingyun")
    third_party = {m for m in loaded if "." not in m and not m.startswith("_")
                   and m not in sys.stdlib_module_names}
    assert third_party <= ALLOWED, sorted(third_party - ALLOWED)
    for heavy in ("numpy", "cffi", "tqdm", "stdnum", "lingyun._iread", "lingyun.iread",
                  "lingyun.service", "lingyun.bulk", "lingyun.exports"):
        assert heavy not in loaded, heavy


def test_a_validator_loads_stdnum_when_it_runs() -> None:
    loaded = _loaded_after(
        "from lingyun.fields import validators\n"
        "assert 'stdnum' not in sys.modules\n"
        "assert validators.bank_card_luhn.run('4111111111111111') == []\n"
        "assert validators.resident_id.run('11010519491231002X') == []\n")
    assert "stdnum" in loaded and "numpy" not in loaded
