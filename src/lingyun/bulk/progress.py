"""How far a bulk run is: counts, rate, ETA, a bar on a terminal and a one-line summary.

:class:`Progress` is the state a run updates after every page (in the thread that consumes
the outcomes, so callbacks need no lock).  A progress callback -- ``progress=`` of
:meth:`lingyun.client.Client.batch` -- receives it after each page.  :class:`ProgressBar`
is such a callback drawing a tqdm bar (done/total, ok/failed, rate, ETA); the ``lingyun
ocr`` command uses it only when standard error is a terminal, so a logged run holds
nothing but the records and the final :meth:`Progress.summary`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

__all__ = ["Progress", "ProgressBar", "ProgressCallback"]


@dataclass
class Progress:
    """Counts of a run so far.  ``done`` = ``ok + failed + skipped``; ``not_sent`` are
    pages a stopped batch never attempted (they get no record and a resume sends them)."""

    total: int | None = None
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    not_sent: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    resent_in_flight: int = 0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    started: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        if not self.started:
            self.started = self.clock()

    @property
    def done(self) -> int:
        return self.ok + self.failed + self.skipped

    @property
    def elapsed(self) -> float:
        return max(self.clock() - self.started, 1e-9)

    @property
    def rate(self) -> float:
        """Pages answered per second (skipped pages do not count: they cost nothing)."""
        return (self.ok + self.failed) / self.elapsed

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, when the total is known and the rate is not 0."""
        if self.total is None or not self.rate:
            return None
        return max(self.total - self.done - self.not_sent, 0) / self.rate

    def count(self, *, ok: bool = False, skipped: bool = False,
              error: BaseException | str | None = None, not_sent: bool = False) -> None:
        """Add one page's outcome (``error``: the exception, or its class name)."""
        if not_sent:
            self.not_sent += 1
        elif skipped:
            self.skipped += 1
        elif ok:
            self.ok += 1
        else:
            self.failed += 1
            name = error if isinstance(error, str) else type(error).__name__ if error else "Error"
            self.errors[name] += 1

    def summary(self) -> str:
        """One line: totals, time, rate, failures by error class."""
        parts = [f"{self.done + self.not_sent} page(s) in {self.elapsed:.1f}s "
                 f"({self.rate:.1f}/s): {self.ok} ok, {self.failed} failed"]
        if self.errors:
            parts[0] += " (" + ", ".join(f"{name} {n}" for name, n in
                                         self.errors.most_common()) + ")"
        if self.skipped:
            parts.append(f"{self.skipped} already in the output")
        if self.resent_in_flight:
            parts.append(f"{self.resent_in_flight} in flight at the last stop, sent again")
        if self.not_sent:
            parts.append(f"{self.not_sent} not sent (the batch stopped; resume to send them)")
        return "; ".join(parts)


ProgressCallback = Callable[[Progress], None]


class ProgressBar:
    """A progress callback drawing a tqdm bar on ``file`` (standard error by default)."""

    def __init__(self, total: int | None = None, *, file: IO[str] | None = None,
                 **tqdm_options: Any) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=total, file=file, unit="page", dynamic_ncols=True,
                         **tqdm_options)
        self._shown = 0

    def __call__(self, progress: Progress) -> None:
        if progress.total is not None and self._bar.total != progress.total:
            self._bar.total = progress.total
        self._bar.set_postfix(ok=progress.ok, failed=progress.failed, refresh=False)
        step = progress.done + progress.not_sent - self._shown
        self._shown += step
        self._bar.update(step)

    def close(self) -> None:
        self._bar.close()
