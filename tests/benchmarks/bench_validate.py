"""Label validation figures: bulk validation (polars, compiled from the schema) of a whole
label file, against the per-record jsonschema loop it replaces."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl

from labeler.domain.schema import build_schema
from labeler.storage.metadata import FileFormat, read_identity
from labeler.validation.bulk import BulkValidator
from tests.benchmarks.harness import Figure, Params, benchmark, timed

# Rows the per-record baseline validates: enough for a stable rate, few enough to be quick.
BASELINE_SAMPLE = 20_000


def _first_label_file(p: Params) -> Path:
    return sorted((p.data_dir / "labels").glob("annotator=*/*.parquet"))[0]


def _validate_file(path: Path) -> pl.Series:
    """What validating a label file costs: identity, schema, compile, read, validate."""
    identity = read_identity(path, FileFormat.LABELS)
    assert identity.schema is not None
    validator = BulkValidator(build_schema(identity.schema))
    frame = pl.read_parquet(path, columns=["values", "status"])
    return validator.invalid_label_mask(frame)


@benchmark("validate.bulk", "read one annotator's label file and validate every row (bulk)")
def validate_bulk(p: Params) -> list[Figure]:
    path = _first_label_file(p)
    rows = pl.scan_parquet(path).select(pl.len()).collect().item()
    seconds = timed(lambda: _validate_file(path), p.repeat)
    invalid = int(_validate_file(path).sum())

    start = time.perf_counter()
    frame = pl.read_parquet(path, columns=["values", "status"])
    read_s = time.perf_counter() - start

    identity = read_identity(path, FileFormat.LABELS)
    assert identity.schema is not None
    validator = BulkValidator(build_schema(identity.schema))
    sample = frame.get_column("values").head(BASELINE_SAMPLE).to_list()
    records = validator.records
    base_s = timed(lambda: [records.is_valid(values) for values in sample], 1)
    return [
        Figure(
            "validate.bulk",
            rows / seconds,
            "rows/s",
            better="higher",
            target=2_000_000,
            baseline_name="jsonschema per record",
            baseline_value=len(sample) / base_s,
            ratio_target=100,
            note=(
                f"{rows} rows ({invalid} invalid) in {seconds:.3f} s, of which the Parquet "
                f"read of values+status ~{read_s:.3f} s; baseline: is_valid on "
                f"{len(sample)} rows already converted to dicts"
            ),
        ),
    ]
