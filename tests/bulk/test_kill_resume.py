"""``kill -9`` at seeded random moments, then ``--resume``: every image exactly once.

A real ``python -m lingyun ocr DIR --out FILE`` subprocess talks over HTTP to a replay
service in this process.  The service's request log is the tripwire: when it has received
the N-th request (N drawn from a seeded generator), the child is killed with SIGKILL --
while other calls are in flight, since the service answers with a small latency.  The run
is resumed (and killed again), then resumed to the end.  Checked:

* the output holds every image exactly once, and no line is torn;
* an image reached the service more than once only if the journal showed its call in
  flight at a crash -- and every image sent but not recorded at a crash was in the journal.

Each run signs with its own account, so the service's log says which run sent a request
even when a killed child's last call is answered after the next run has begun (a request
whose bytes reached the server before the kill may still be served a moment later).
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from lingyun.bulk.records import Journal, key_of, read_records
from lingyun.pytest_plugin import LingyunService
from lingyun.service.accounts import DEFAULT_APP_KEY, DEFAULT_DEV_KEY, Accounts
from lingyun.service.control import Control, RecordedRequest
from lingyun.service.core import ServiceCore
from lingyun.service.engines.replay import ReplayEngine
from lingyun.service.server import LocalServer

from .conftest import child_env, sha, write_images

IMAGES = 48
SEEDS = (1, 2, 3)
RUNS = 3  # killed, resumed and killed, resumed to the end


def _account(seed: int, run: int) -> tuple[str, str]:
    """The app key and developer key run ``run`` of ``seed`` signs with."""
    return f"kill-resume-{seed}-{run}", f"dev-{seed}-{run}"


class Tripwire(Control):
    """A control that fires an event when the service has recorded ``at`` requests, and
    from then on holds every answer until :meth:`release` -- so the child cannot finish its
    run between the tripwire and the kill, however slowly the test process is scheduled."""

    def arm(self, at: int) -> threading.Event:
        self._at = at
        self._hold = threading.Event()
        self._fired = threading.Event()
        if len(self.requests) >= at:
            self._fired.set()
        return self._fired

    def record(self, request: RecordedRequest, *args: Any, **kwargs: Any) -> None:
        super().record(request, *args, **kwargs)
        fired = getattr(self, "_fired", None)
        if fired is not None and len(self.requests) >= self._at:
            fired.set()
            self._hold.wait(60)  # this answer and later ones wait for the kill

    def release(self) -> None:
        hold = getattr(self, "_hold", None)
        if hold is not None:
            hold.set()


@pytest.fixture(scope="module")
def tripwire_service():
    control = Tripwire()
    accounts = Accounts(_account(seed, run) for seed in SEEDS for run in range(RUNS))
    core = ServiceCore(accounts=accounts, control=control, engines=[ReplayEngine()])
    with LocalServer(core, workers=8) as server:
        yield LingyunService(server, control, DEFAULT_APP_KEY, DEFAULT_DEV_KEY)


def _start(service: LingyunService, images: Path, out: Path, seed: int,
           run: int) -> subprocess.Popen:
    argv = [sys.executable, "-m", "lingyun", "ocr", str(images), "--out", str(out),
            "--workers", "4", "--retries", "0"]
    if run:
        argv.append("--resume")
    env = child_env(service)
    env["LINGYUN_APP_KEY"], env["LINGYUN_DEV_KEY"] = _account(seed, run)
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _sent(service: LingyunService, seed: int, *runs: int) -> Counter[str]:
    """Bodies (by sha256) the service received from the given runs of ``seed``."""
    keys = {_account(seed, run)[0] for run in runs}
    return Counter(sha(r.body) for r in service.requests if r.app_key in keys)


@pytest.mark.parametrize("seed", SEEDS)
def test_kill_nine_then_resume_gives_exactly_once(
    tripwire_service: LingyunService, tmp_path: Path, seed: int
) -> None:
    service = tripwire_service
    service.reset()
    service.latency = 0.01  # calls overlap: a kill always finds some in flight
    rng = random.Random(seed)
    paths = write_images(tmp_path / "in", IMAGES)
    by_sha = {sha(p.read_bytes()): p for p in paths}
    out = tmp_path / "out.jsonl"
    allowed_extra: Counter[str] = Counter()
    at_crash: list[tuple[set[str], set[str]]] = []  # (recorded, in flight) per crash

    for run in range(RUNS - 1):
        fired = service.control.arm(len(service.requests) + rng.randint(1, IMAGES // 2))
        child = _start(service, tmp_path / "in", out, seed, run)
        try:
            reached = fired.wait(60)
        finally:
            child.send_signal(signal.SIGKILL)
            _out, err = child.communicate(timeout=60)
            service.control.release()
        assert reached, f"run {run}: the child never reached the tripwire: {err}"
        assert child.returncode == -signal.SIGKILL
        recorded = Counter(key_of(r) for r in read_records(out)) if out.exists() else Counter()
        in_flight = {e.key.split("|")[0] for e in Journal.beside(out).in_flight(recorded)}
        at_crash.append(({key.split("|")[0] for key in recorded}, in_flight))
        allowed_extra.update(in_flight)

    service.latency = 0.0
    recorded_before_last = {r["sha256"] for r in read_records(out)}
    final = _start(service, tmp_path / "in", out, seed, RUNS - 1)
    _stdout, stderr = final.communicate(timeout=120)
    assert final.returncode == 0, stderr
    assert f"{IMAGES} page(s)" in stderr and "0 failed" in stderr

    for run, (recorded_shas, in_flight) in enumerate(at_crash):
        sent_unrecorded = set(_sent(service, seed, run)) - recorded_shas
        assert sent_unrecorded <= in_flight, (
            f"run {run}: a call reached the service unseen by the journal")
    records = list(read_records(out))
    assert out.read_bytes().endswith(b"\n")
    assert sorted(r["source"] for r in records) == sorted(str(p) for p in paths)
    assert all(r["ok"] and by_sha[r["sha256"]] == Path(r["source"]) for r in records)
    total = _sent(service, seed, *range(RUNS))
    assert set(total) == set(by_sha)
    for digest in by_sha:
        assert 1 <= total[digest] <= 1 + allowed_extra[digest], (
            f"{by_sha[digest].name} was sent {total[digest]} times, "
            f"in flight at {allowed_extra[digest]} crash(es)")
    # The last run sent nothing the output already held.
    assert set(_sent(service, seed, RUNS - 1)).isdisjoint(recorded_before_last)
