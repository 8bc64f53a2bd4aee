"""Where a post's display columns are read from, by row: a memory-mapped cache, or Parquet.

The cache is an Arrow IPC file of the display columns under the dataset's state folder,
tagged with a key made of the posts files' names, sizes, mtimes and inodes: a cache whose key
differs from the current files, or that cannot be read, is rebuilt. Memory-mapped, it costs
memory only for the pages a lookup touches. When no cache can be written, `ParquetRows`
reads the same rows from the posts files (a row group at a time, so batch lookups).
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import json
import logging
import mmap
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from labeler.domain.post import REQUIRED_POST_COLUMNS
from labeler.storage.atomic import atomic_path
from labeler.storage.idindex import id_numbers
from labeler.storage.posts import POSTS_SCHEMA, check_posts_file

logger = logging.getLogger(__name__)

CACHE_NAME = "postcache.arrow"
CACHE_VERSION = 1
KEY_FIELD = b"labeler_postcache"
DISPLAY_COLUMNS: tuple[str, ...] = REQUIRED_POST_COLUMNS
DISPLAY_SCHEMA = pa.schema([POSTS_SCHEMA.field(name) for name in DISPLAY_COLUMNS])
NUMBER_COLUMN = "id_number"  # the post id's IdIndex number, so opening need not compute it
CACHE_SCHEMA = DISPLAY_SCHEMA.append(pa.field(NUMBER_COLUMN, pa.uint64(), nullable=False))
NUMBER_AT = len(DISPLAY_COLUMNS)
BATCH_ROWS = 8_192  # rows per record batch written; Parquet is streamed at this size
COPY_BATCHES = 16  # batches whose ids are copied out of the mapping between unmappings
SCAN_ROWS = 4_096  # rows decoded at a time when scanning a Parquet row group


class RowSource(Protocol):
    """Display columns of posts by row number (rows numbered across the files in order)."""

    def index_columns(self) -> tuple[pa.ChunkedArray, pa.ChunkedArray | None]:
        """The post ids in row order, and their `id_numbers` when stored; then forgets them."""
        ...

    def rows(self, indices: Sequence[int]) -> list[dict[str, Any]]:
        """The rows at `indices`, as dicts of plain Python values, in the order asked."""
        ...

    def trim(self) -> None:
        """Give back memory that reads left mapped (what they return stays valid)."""
        ...

    def close(self) -> None:
        """Let go of files and mappings."""
        ...


def source_key(files: Sequence[Path]) -> str:
    """What identifies the current posts files: their names, sizes, mtimes and inodes."""
    parts = []
    for path in files:
        stat = path.stat()
        parts.append([path.name, stat.st_size, stat.st_mtime_ns, stat.st_ino])
    return json.dumps({"version": CACHE_VERSION, "files": parts}, separators=(",", ":"))


def build_cache(files: Sequence[Path], path: Path, key: str) -> None:
    """Write the display columns of `files` to the cache at `path`, atomically.

    Raises StorageError when it cannot be written, typed posts errors for a bad posts file.
    """
    for source in files:
        check_posts_file(source)
    schema = CACHE_SCHEMA.with_metadata({KEY_FIELD: key.encode("utf-8")})
    with (
        atomic_path(path) as temp,
        pa.OSFile(str(temp), "wb") as sink,
        pa.ipc.new_file(sink, schema) as writer,
    ):
        for source in files:
            parquet = pq.ParquetFile(source)
            for batch in parquet.iter_batches(BATCH_ROWS, columns=list(DISPLAY_COLUMNS)):
                writer.write_batch(_with_numbers(batch.cast(DISPLAY_SCHEMA)))
    pa.default_memory_pool().release_unused()  # the decoded batches, back to the system
    _ignore_in_git(path.parent)


def _with_numbers(batch: pa.RecordBatch) -> pa.RecordBatch:
    """`batch` with the IdIndex number of each post id appended."""
    ids = pl.Series("post_id", batch.column(0))
    numbers = id_numbers(ids).to_arrow().cast(pa.uint64())
    return batch.append_column(CACHE_SCHEMA.field(NUMBER_COLUMN), numbers)


def _ignore_in_git(state_dir: Path) -> None:
    """Tell git to ignore the per-machine state folder, if nothing did yet."""
    ignore = state_dir / ".gitignore"
    with contextlib.suppress(OSError):
        if not ignore.exists():
            ignore.write_text("# per-machine journals, locks and caches: never commit them\n*\n")


class ArrowRows:
    """Rows of a memory-mapped cache file; see `open_cache`."""

    def __init__(self, path: Path) -> None:
        """Map the cache at `path`; OSError or ArrowException when it is not a readable one."""
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            reader = _reader(self._map)
            self.key = (reader.schema.metadata or {}).get(KEY_FIELD, b"").decode("utf-8")
            self._batches = [reader.get_batch(i) for i in range(reader.num_record_batches)]
            self._starts = list(
                itertools.accumulate((b.num_rows for b in self._batches), initial=0)
            )
            for batch in self._batches:
                batch.validate()
            self._ids = self._copied(0, pa.string())
            self._numbers: pa.ChunkedArray | None = self._copied(NUMBER_AT, pa.uint64())
        except BaseException:
            self.close()
            raise

    def _copied(self, number: int, kind: pa.DataType) -> pa.ChunkedArray:
        """Column `number` checked and copied out of the mapping, a few batches at a time, each
        group unmapped after (reading it maps the folios around it, other columns included)."""
        chunks = []
        for first in range(0, len(self._batches), COPY_BATCHES):
            group = [b.column(number) for b in self._batches[first : first + COPY_BATCHES]]
            for array in group:
                array.validate(full=True)
            chunks.append(pa.concat_arrays(group))
            self.trim()
        return pa.chunked_array(chunks, kind)

    def index_columns(self) -> tuple[pa.ChunkedArray, pa.ChunkedArray | None]:
        """The post ids in row order and their id numbers; the reader keeps no copy."""
        columns = (self._ids, self._numbers)
        self._ids, self._numbers = pa.chunked_array([], pa.string()), None
        return columns

    def rows(self, indices: Sequence[int]) -> list[dict[str, Any]]:
        """The rows at `indices`; each one's buffers are checked before it is read."""
        batches, starts, out = self._batches, self._starts, []
        for index in indices:
            b = bisect.bisect_right(starts, index) - 1
            one = batches[b].slice(index - starts[b], 1)
            for column in one.columns:
                check_small(column)
            out.append(one.to_pylist()[0])
        self.trim()
        return out

    def trim(self) -> None:
        """Unmap the pages reads touched (the kernel maps whole folios around each one, so
        random lookups would soon hold most of the file): they stay in the page cache."""
        with contextlib.suppress(ValueError, OSError, AttributeError):
            self._map.madvise(mmap.MADV_DONTNEED)

    def close(self) -> None:
        """Drop the batches and the mapping (values already read stay valid)."""
        self._batches = []
        self._ids, self._numbers = pa.chunked_array([], pa.string()), None
        with contextlib.suppress(BufferError):  # else unmapped once arrays still held go
            self._map.close()


def _reader(mapped: mmap.mmap) -> pa.ipc.RecordBatchFileReader:
    """An IPC file reader over the mapping; ArrowInvalid unless it has the cache's columns."""
    reader = pa.ipc.open_file(pa.BufferReader(pa.py_buffer(mapped)))
    if not reader.schema.remove_metadata().equals(CACHE_SCHEMA):
        raise pa.ArrowInvalid("the cache has other columns than this version writes")
    return reader


def check_small(array: pa.Array) -> None:
    """Raise ArrowInvalid unless reading the few rows of `array` stays inside its buffers.

    `validate(full=True)` on a slice would check its list columns' whole child arrays;
    this checks only the children the slice points into.
    """
    kind = array.type
    if pa.types.is_list(kind):
        array.validate()
        offsets = array.offsets.to_pylist()
        if any(a > b for a, b in itertools.pairwise(offsets)) or not (
            0 <= offsets[0] <= offsets[-1] <= len(array.values)
        ):
            raise pa.ArrowInvalid("list offsets out of order or out of bounds")
        check_small(array.values.slice(offsets[0], offsets[-1] - offsets[0]))
    elif pa.types.is_struct(kind):
        array.validate()
        for number in range(kind.num_fields):
            check_small(array.field(number))
    else:
        array.validate(full=True)


def open_cache(path: Path, key: str) -> ArrowRows | None:
    """The cache at `path` if it is readable and made from the files `key` names, else None."""
    if not path.exists():
        return None
    try:
        rows = ArrowRows(path)
    except (OSError, ValueError, pa.ArrowException) as exc:
        logger.info("post cache %s is unreadable (%s); rebuilding it", path, exc)
        return None
    if rows.key != key:
        rows.close()
        logger.info("post cache %s is stale: the posts files changed; rebuilding it", path)
        return None
    return rows


class ParquetRows:
    """Rows read straight from the posts files: slow per lookup, for when no cache works."""

    def __init__(self, files: Sequence[Path]) -> None:
        """Read the ids and row-group layout of `files` (checked as posts files first)."""
        self._files = list(files)
        self._groups: list[tuple[int, int, int]] = []  # (first row, file, row group)
        chunks: list[pa.ChunkedArray] = []
        total = 0
        for number, source in enumerate(self._files):
            check_posts_file(source)
            meta = pq.ParquetFile(source).metadata
            for group in range(meta.num_row_groups):
                if meta.row_group(group).num_rows:  # an empty one would share the next's start
                    self._groups.append((total, number, group))
                    total += meta.row_group(group).num_rows
            chunks.append(pq.read_table(source, columns=["post_id"]).column(0))
        self._starts = [first for first, _, _ in self._groups]
        self._ids = pa.chunked_array([c for chunk in chunks for c in chunk.chunks], pa.string())

    def index_columns(self) -> tuple[pa.ChunkedArray, pa.ChunkedArray | None]:
        """The post ids in row order (their numbers are not stored in Parquet)."""
        ids, self._ids = self._ids, pa.chunked_array([], pa.string())
        return ids, None

    def rows(self, indices: Sequence[int]) -> list[dict[str, Any]]:
        """The rows at `indices`, scanning each row group they fall in once."""
        wanted: dict[int, list[int]] = defaultdict(list)
        for index in indices:
            wanted[bisect.bisect_right(self._starts, index) - 1].append(index)
        found: dict[int, dict[str, Any]] = {}
        for group, members in wanted.items():
            found.update(self._scan(group, members))
        return [found[index] for index in indices]

    def _scan(self, group: int, indices: list[int]) -> dict[int, dict[str, Any]]:
        """Rows `indices` of one row group, decoding it in slices up to the last one."""
        first, number, row_group = self._groups[group]
        offsets = sorted({index - first for index in indices})
        parquet = pq.ParquetFile(self._files[number])
        found: dict[int, dict[str, Any]] = {}
        start = 0
        batches = parquet.iter_batches(SCAN_ROWS, [row_group], list(DISPLAY_COLUMNS))
        for batch in batches:
            end = start + batch.num_rows
            inside = [o for o in offsets if start <= o < end]
            if inside:
                taken = batch.take(pa.array([o - start for o in inside], pa.int64()))
                rows = taken.cast(DISPLAY_SCHEMA).to_pylist()
                found.update({first + o: row for o, row in zip(inside, rows, strict=True)})
            if end > offsets[-1]:
                break
            start = end
        return found

    def trim(self) -> None:
        """Nothing stays mapped between lookups."""

    def close(self) -> None:
        """Nothing is held open between lookups."""
