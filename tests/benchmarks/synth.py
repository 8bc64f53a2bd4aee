"""Synthetic datasets for benchmarks: N posts in threads, M annotators, realistic shapes.

Shapes: thread sizes are geometric (mean 25 posts); body lengths log-normal (median 50
words, long tail to 1,500); words Zipf-distributed over a 20k pseudo-word vocabulary (so
compression behaves like real text); 30% of replies quote an earlier post of their thread;
40% of posts carry a reaction. Labels: each annotator labels every post, agreeing with a
latent "true" label 75% of the time, so agreement figures land in a realistic range.

Generated once per (posts, annotators, seed, GENERATOR_VERSION) and cached on disk.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from labeler.domain.ids import stable_digest
from labeler.domain.post import OPTIONAL_POST_COLUMNS
from labeler.domain.schema import LabelSchema
from labeler.storage.dataset import Dataset
from labeler.storage.metadata import FileFormat, FileIdentity, write_parquet
from labeler.storage.posts import NESTED_QUOTE, POSTS_SCHEMA, QUOTE, REACTION, write_posts
from labeler.validation.schemafile import builtin_schemas_dir, load_schema_file, schema_file

GENERATOR_VERSION = 1
POSTS_PER_FILE = 250_000
_SYLLABLES = [
    "ka",
    "to",
    "ri",
    "mu",
    "sen",
    "da",
    "lo",
    "vi",
    "pe",
    "an",
    "or",
    "el",
    "is",
    "un",
    "ba",
    "ce",
    "fo",
    "gu",
    "hi",
    "jo",
]
_BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class SynthSpec:
    """What to generate."""

    posts: int
    annotators: int = 3
    seed: int = 0
    mean_thread: int = 25


def synth_schema() -> LabelSchema:
    """The schema synthetic labels are made for: post-labels 1.0.0 (pinned, so a new
    default version does not change what the benchmarks measure)."""
    return load_schema_file(schema_file(builtin_schemas_dir(), "post-labels", "1.0.0"))


def ensure_dataset(root: Path, spec: SynthSpec) -> Path:
    """The dataset for `spec` under `root`, generated unless an identical one is cached."""
    target = root / f"synth-{spec.posts}-a{spec.annotators}-s{spec.seed}"
    marker = target / "synth.json"
    wanted = {**asdict(spec), "generator_version": GENERATOR_VERSION}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return target
    if target.exists():
        shutil.rmtree(target)
    generate(target, spec)
    marker.write_text(json.dumps(wanted))
    return target


def generate(root: Path, spec: SynthSpec) -> Dataset:
    """Write a complete synthetic dataset (posts and label files) at `root`."""
    rng = np.random.default_rng(spec.seed)
    schema = synth_schema()
    dataset = Dataset.create(root, schema, name=root.name)
    posts = _posts_table(rng, spec)
    for start in range(0, posts.num_rows, POSTS_PER_FILE):
        chunk = posts.slice(start, POSTS_PER_FILE)
        write_posts(dataset.posts_dir / f"synthetic-{start // POSTS_PER_FILE:05d}.parquet", chunk)
    has_quote = pc.greater(pc.list_value_length(posts["quotes"]), 0).to_numpy(zero_copy_only=False)
    truth = _latent_labels(rng, schema, posts.num_rows, has_quote)
    for a in range(spec.annotators):
        name = f"annotator{a + 1}"
        table = _labels_table(rng, schema, posts["post_id"], truth, has_quote, name)
        write_parquet(
            dataset.labels_dir / f"annotator={name}" / "synthetic-00000.parquet",
            table,
            FileIdentity.for_format(FileFormat.LABELS, schema),
        )
    return dataset


# ---------------------------------------------------------------------------- posts
def _vocabulary(rng: np.random.Generator, size: int = 20_000) -> pa.Array:
    lengths = rng.integers(1, 5, size)
    picks = rng.integers(0, len(_SYLLABLES), lengths.sum())
    words, at = [], 0
    for n in lengths:
        words.append("".join(_SYLLABLES[i] for i in picks[at : at + n]))
        at += n
    return pa.array(words, pa.string())


def _zipf_draw(rng: np.random.Generator, size: int, n: int, s: float = 1.1) -> np.ndarray:
    weights = 1.0 / np.arange(1, size + 1) ** s
    cdf = np.cumsum(weights / weights.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(n)), size - 1)


def _thread_layout(rng: np.random.Generator, spec: SynthSpec) -> tuple[np.ndarray, np.ndarray]:
    sizes = rng.geometric(1 / spec.mean_thread, spec.posts // spec.mean_thread * 2 + 10)
    ends = np.cumsum(sizes)
    count = int(np.searchsorted(ends, spec.posts)) + 1
    sizes = sizes[:count]
    sizes[-1] -= int(ends[count - 1] - spec.posts)
    thread = np.repeat(np.arange(count), sizes)
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    return thread, np.arange(spec.posts) - starts


def _bodies(rng: np.random.Generator, n: int) -> pa.Array:
    vocab = _vocabulary(rng)
    counts = np.clip(rng.lognormal(np.log(50), 0.8, n), 3, 1500).astype(np.int64)
    words = vocab.take(pa.array(_zipf_draw(rng, len(vocab), int(counts.sum()))))
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]), pa.int64())
    return pc.binary_join(pa.LargeListArray.from_arrays(offsets, words), " ").cast(pa.string())


def _quotes(
    rng: np.random.Generator,
    position: np.ndarray,
    authors: pa.Array,
    bodies: pa.Array,
    post_ids: pa.Array,
) -> tuple[pa.Array, pa.Array]:
    n = len(position)
    quoting = (position > 0) & (rng.random(n) < 0.3)
    back = np.minimum((rng.random(n) * position).astype(np.int64) + 1, np.maximum(position, 1))
    parent = np.where(quoting, np.arange(n) - back, -1)
    rows = np.flatnonzero(quoting)
    src = pa.array(parent[rows])
    struct = pa.StructArray.from_arrays(
        [
            authors.take(src),
            pa.nulls(len(rows), pa.string()),
            pc.utf8_slice_codeunits(bodies.take(src), 0, 160),
            post_ids.take(src),
            pa.array([[]] * len(rows), pa.list_(NESTED_QUOTE)),
        ],
        fields=list(QUOTE),
    )
    offsets = np.concatenate([[0], np.cumsum(quoting.astype(np.int32))]).astype(np.int32)
    quotes = pa.ListArray.from_arrays(pa.array(offsets), struct, type=pa.list_(QUOTE))
    parent_ids = post_ids.take(pa.array(np.where(quoting, parent, 0)))
    parent_ids = pc.if_else(pa.array(quoting), parent_ids, pa.nulls(n, pa.string()))
    return quotes, parent_ids


def _reactions(rng: np.random.Generator, n: int) -> pa.Array:
    has = rng.random(n) < 0.4
    counts = rng.geometric(0.35, int(has.sum()))
    struct = pa.StructArray.from_arrays(
        [pa.array(["Like"] * int(has.sum())), pa.array(counts, pa.int64())], fields=list(REACTION)
    )
    offsets = np.concatenate([[0], np.cumsum(has.astype(np.int32))]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), struct, type=pa.list_(REACTION))


def _posts_table(rng: np.random.Generator, spec: SynthSpec) -> pa.Table:
    n = spec.posts
    thread, position = _thread_layout(rng, spec)
    thread_ids = [f"t{stable_digest('synth', spec.seed, t)}" for t in range(int(thread[-1]) + 1)]
    tid = pa.array(thread_ids).take(pa.array(thread))
    post_ids = pa.array([f"p{stable_digest('synth', spec.seed, i)}" for i in range(n)], pa.string())
    people = pa.array([f"user{i:04d}" for i in range(5000)])
    authors = people.take(pa.array(_zipf_draw(rng, 5000, n, 0.9)))
    bodies = _bodies(rng, n)
    quotes, parent_ids = _quotes(rng, position, authors, bodies, post_ids)
    minutes = np.cumsum(rng.exponential(30, n)).astype("timedelta64[m]")
    posted = np.datetime64(_BASE_TIME.replace(tzinfo=None), "us") + minutes
    columns = {
        "post_id": post_ids,
        "thread_id": tid,
        "thread_title": pc.binary_join_element_wise(
            "Thread ", pc.cast(pa.array(thread), pa.string()), ""
        ),
        "position": pa.array(position, pa.int32()),
        "kind": pa.array(["post"] * n),
        "author": authors,
        "time_text": pa.nulls(n, pa.string()),
        "posted_at": pa.array(posted, pa.timestamp("us")).cast(pa.timestamp("us", tz="UTC")),
        "body": bodies,
        "quotes": quotes,
        "parent_post_id": parent_ids,
        "reactions": _reactions(rng, n),
        "edited_by": pa.nulls(n, pa.string()),
        "author_inferred": pa.nulls(n, POSTS_SCHEMA.field("author_inferred").type),
        "engine": pa.array(["synthetic"] * n),
        "source": pc.binary_join_element_wise("synthetic/", tid, ".txt", ""),
        "flags": pa.array([[]] * n, pa.list_(pa.string())),
    }
    for name in OPTIONAL_POST_COLUMNS:  # what only some engines' pages show
        columns[name] = pa.nulls(n, POSTS_SCHEMA.field(name).type)
    return pa.table(columns, schema=POSTS_SCHEMA)


# ---------------------------------------------------------------------------- labels
_STANCE_P = [0.25, 0.30, 0.20, 0.25]
_PARENT_P = [0.30, 0.35, 0.10, 0.25]
_QUALITY_P = [0.10, 0.25, 0.35, 0.20, 0.10]


def _latent_labels(
    rng: np.random.Generator, schema: LabelSchema, n: int, has_quote: np.ndarray
) -> dict[str, np.ndarray]:
    topics = schema.field("topics").choices
    return {
        "stance_target": rng.choice(4, n, p=_STANCE_P),
        "stance_parent": rng.choice(4, n, p=_PARENT_P),
        "quality": rng.choice(5, n, p=_QUALITY_P),
        "topic": _zipf_draw(rng, len(topics), n, 1.0),
    }


def _noisy(rng: np.random.Generator, truth: np.ndarray, p: list[float]) -> np.ndarray:
    keep = rng.random(len(truth)) < 0.75
    return np.where(keep, truth, rng.choice(len(p), len(truth), p=p))


def _choice_values(schema: LabelSchema, name: str, codes: np.ndarray) -> pa.Array:
    values = [c.value for c in schema.field(name).choices]
    return pa.array(values).take(pa.array(codes))


def _labels_table(
    rng: np.random.Generator,
    schema: LabelSchema,
    post_ids: pa.ChunkedArray,
    truth: dict[str, np.ndarray],
    has_quote: np.ndarray,
    annotator: str,
) -> pa.Table:
    n = len(has_quote)
    topics = [c.value for c in schema.field("topics").choices]
    first = np.where(rng.random(n) < 0.8, truth["topic"], rng.integers(0, len(topics), n))
    second = rng.integers(0, len(topics), n)
    two = (rng.random(n) < 0.3) & (second != first)
    offsets = np.concatenate([[0], np.cumsum(1 + two)]).astype(np.int32)
    flat = np.empty(int(offsets[-1]), np.int64)
    flat[offsets[:-1]] = first
    flat[offsets[:-1][two] + 1] = second[two]
    parent = _choice_values(schema, "stance_parent", _noisy(rng, truth["stance_parent"], _PARENT_P))
    values = {
        "stance_target": _choice_values(
            schema, "stance_target", _noisy(rng, truth["stance_target"], _STANCE_P)
        ),
        "stance_parent": pc.if_else(pa.array(has_quote), parent, pa.nulls(n, pa.string())),
        "topics": pa.ListArray.from_arrays(
            pa.array(offsets), pa.array(topics).take(pa.array(flat))
        ),
        "quality": pa.array(_noisy(rng, truth["quality"], _QUALITY_P) + 1, pa.int64()),
        "unsure": pa.array(rng.random(n) < 0.05),
        "note": pa.nulls(n, pa.string()),
    }
    assert [f.name for f in schema.fields] == list(values), "synth is out of date with the schema"
    status = np.array(["labelled", "skipped", "flagged"])[rng.choice(3, n, p=[0.95, 0.03, 0.02])]
    created = np.datetime64(_BASE_TIME.replace(tzinfo=None), "us") + np.cumsum(
        rng.exponential(9_000, n)
    ).astype("timedelta64[ms]")
    return pa.table(
        {
            "label_id": pa.array([f"l{stable_digest(annotator, i)}" for i in range(n)]),
            "post_id": post_ids,
            "annotator": pa.array([annotator] * n),
            "schema_id": pa.array([schema.schema_id] * n),
            "schema_version": pa.array([schema.version] * n),
            "values": pa.StructArray.from_arrays(list(values.values()), list(values)),
            "status": pa.array(status),
            "supersedes": pa.nulls(n, pa.string()),
            "created_at": pa.array(created, pa.timestamp("us")).cast(pa.timestamp("us", tz="UTC")),
            "duration_ms": pa.array(
                np.clip(rng.lognormal(8.9, 0.7, n), 300, 600_000).astype(np.int64)
            ),
        }
    )
