"""High-volume runs: inputs, pages, fitting, resumable records, rate limit, progress, Dask.

The pieces of ``lingyun ocr PATH... --out FILE.jsonl`` and of
:meth:`lingyun.client.Client.batch`, each usable alone:

* :mod:`~lingyun.bulk.inputs` -- files, directories, ``@LIST`` and ``-`` to a list of files;
* :mod:`~lingyun.bulk.pages` -- PDF and multi-page TIFF to one input per page;
* :mod:`~lingyun.bulk.fit` -- shrink an image under the size limit, map coordinates back;
* :mod:`~lingyun.bulk.records` -- records (:mod:`~lingyun.bulk.record`), their JSONL and
  Parquet sinks (:mod:`~lingyun.bulk.jsonl`, :mod:`~lingyun.bulk.parquet`), the journal
  (:mod:`~lingyun.bulk.journal`);
* :mod:`~lingyun.bulk.ratelimit` -- the shared, adaptive client-side rate limit;
* :mod:`~lingyun.bulk.progress` -- counts, rate, ETA, a terminal bar, the summary;
* :mod:`~lingyun.bulk.runner` -- the run that ties them together;
* :mod:`~lingyun.bulk.dask` -- the same run spread over a ``dask.distributed`` cluster.

See ``docs/bulk.md`` for the guarantees (exactly-once output after ``kill -9``).
"""

from __future__ import annotations

from .fit import DEFAULT_LIMIT, Fitted, fit
from .inputs import list_inputs
from .pages import PageInput, PageSelection, expand, parse_pages
from .progress import Progress, ProgressBar
from .ratelimit import RateLimiter
from .records import Journal, JsonlSink, ParquetSink, read_records, record_key
from .runner import BulkRun, open_sink

__all__ = [
    "DEFAULT_LIMIT",
    "BulkRun",
    "Fitted",
    "Journal",
    "JsonlSink",
    "PageInput",
    "PageSelection",
    "ParquetSink",
    "Progress",
    "ProgressBar",
    "RateLimiter",
    "expand",
    "expand_all",
    "fit",
    "list_inputs",
    "open_sink",
    "parse_pages",
    "read_records",
    "record_key",
]


def expand_all(paths: list[str], pages: PageSelection | None = None,
               dpi: int | None = None) -> list[PageInput]:
    """Every page input of ``paths`` (:func:`expand` of each), in order."""
    from .pages import DEFAULT_DPI

    return [page for path in paths for page in expand(path, pages, dpi or DEFAULT_DPI)]
