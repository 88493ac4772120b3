"""What declared fields cost when parsing template replies, as ratios measured in one run.

    python benchmarks/fields.py

Parses the vendor's example replies for ``vsi`` (35 fields, cross-field money checks, VIN,
IDs) and ``idcard.front`` (resident ID check digit, region, birth date and sex cross checks)
with the declared fields, and with the same keys as unchecked text fields (what templates
did before fields were declared).  Prints microseconds per reply and the ratio.
"""

from __future__ import annotations

import json
import time
from importlib import resources

from requests.structures import CaseInsensitiveDict

from lingyun.fields import fields_from_keys
from lingyun.plugins import get_plugin_manager
from lingyun.protocol import Reply
from lingyun.results import parse_template

ROUNDS = 300
REPEATS = 7


def reply(name: str) -> Reply:
    path = resources.files("lingyun") / "service" / "examples" / f"{name}.json"
    envelope = json.loads(path.read_text(encoding="utf-8"))
    return Reply(200, CaseInsensitiveDict(), json.dumps(envelope).encode(), envelope, None)


def best_of(*parsers) -> list[float]:
    """Microseconds per reply for each parser: the best of REPEATS interleaved runs (the
    machine is shared; the minimum is the least disturbed)."""
    for parse in parsers:
        parse()  # warm caches (stdnum's region table is read once)
    best = [float("inf")] * len(parsers)
    for _ in range(REPEATS):
        for i, parse in enumerate(parsers):
            start = time.perf_counter()
            for _ in range(ROUNDS):
                parse()
            best[i] = min(best[i], (time.perf_counter() - start) / ROUNDS * 1e6)
    return best


def main() -> None:
    pm = get_plugin_manager()
    for name in ("vsi", "idcard.front"):
        doc = pm.document_type(name)
        answer = reply(name)
        plain = fields_from_keys(doc.keys)
        checked, unchecked = best_of(
            lambda: parse_template(answer, name, doc.fields),  # noqa: B023
            lambda: parse_template(answer, name, plain),  # noqa: B023
        )
        print(f"{name:13} declared {checked:8.1f} us/reply   text-only {unchecked:8.1f} us/reply"
              f"   ratio {checked / unchecked:4.2f}")


if __name__ == "__main__":
    main()
