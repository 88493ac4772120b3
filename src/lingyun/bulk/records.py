"""Where a bulk run's outcomes go -- the public names, gathered from their modules.

* :mod:`~lingyun.bulk.record` -- the record model and resume keys;
* :mod:`~lingyun.bulk.jsonl` -- the append-only JSON Lines sink (the default);
* :mod:`~lingyun.bulk.parquet` -- the Parquet dataset sink;
* :mod:`~lingyun.bulk.journal` -- the SQLite journal of started calls.

``from lingyun.bulk.records import JsonlSink`` and the like keep working; new code may import
from the module that does the job.
"""

from __future__ import annotations

from .journal import InFlight, Journal
from .jsonl import FSYNC_POLICIES, JsonlSink, Sink, read_records
from .parquet import ParquetSink
from .record import (
    RecordsError,
    canonical_options,
    error_info,
    key_of,
    make_record,
    record_key,
)

__all__ = [
    "FSYNC_POLICIES",
    "InFlight",
    "Journal",
    "JsonlSink",
    "ParquetSink",
    "RecordsError",
    "Sink",
    "canonical_options",
    "error_info",
    "key_of",
    "make_record",
    "read_records",
    "record_key",
]
