"""`labeler ingest`: pages → parsed posts → rows appended to a dataset, idempotently.

For each file: read and decode it, pick the engine (the most confident detector, or the one
asked for), parse, then apply the page-level steps every engine shares (quoted posts,
unsigned authors, double posts, parsed times). Rows are matched to the thread's rows already
in the dataset by content fingerprint (writer, normalised text, quoted texts; the k-th
repetition of the same content counts separately), so ingesting a page twice adds nothing
and a thread's second page continues its positions. Every new row of a run is written in
one Parquet file, atomically; a file that fails adds nothing.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import polars as pl
import pyarrow as pa

from labeler.domain.ids import normalise_text, post_id_for, stable_digest, thread_id_for
from labeler.domain.post import Flag, InferredAuthor, PostKind, Quote, Reaction
from labeler.errors import LabelerError, NoPostsError, UsageError
from labeler.ingest.engines import ENGINE_NAMES, all_engines, engine
from labeler.ingest.engines.base import Engine
from labeler.ingest.link import QuoteIndex, all_quotes, flag_duplicates, infer_authors, link_quotes
from labeler.ingest.model import PageKind, ParsedPage, ParsedPost, ParsedQuote
from labeler.ingest.page import Page, expand_paths, read_page
from labeler.ingest.times import date_order, parse_time
from labeler.storage.dataset import Dataset
from labeler.storage.posts import columns_table, write_posts

# Below this detection confidence a page goes to the generic forum parser.
MIN_CONFIDENCE = 0.3
# Detection on large text pages reads this much of the start (and a quarter of it at the end).
DETECT_SAMPLE_CHARS = 256_000
_PAGE_SUFFIX = re.compile(r"[-_. ](?:p|page|pg)?\d{1,4}$", re.I)


@dataclass
class FileResult:
    """What ingesting one file did (the per-file summary)."""

    path: Path
    engine: str | None = None
    kind: str | None = None
    confidence: float | None = None
    title: str | None = None
    thread_id: str | None = None
    parsed: int = 0
    added: int = 0
    already: int = 0
    flagged: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: LabelerError | None = None

    def to_json(self) -> dict[str, Any]:
        """The summary as JSON-ready data (`--format json`)."""
        return {
            "path": str(self.path),
            "engine": self.engine,
            "kind": self.kind,
            "confidence": None if self.confidence is None else round(self.confidence, 3),
            "title": self.title,
            "thread_id": self.thread_id,
            "parsed": self.parsed,
            "added": self.added,
            "already_present": self.already,
            "flagged": self.flagged,
            "notes": self.notes,
            "error": None if self.error is None else self.error.render(),
            "exit_code": None if self.error is None else int(self.error.exit_code),
        }


@dataclass
class IngestResult:
    """The whole run: per-file results and the posts file written (if any)."""

    files: list[FileResult]
    written: Path | None
    dataset: Path

    @property
    def added(self) -> int:
        """New rows written."""
        return sum(f.added for f in self.files)


# ---------------------------------------------------------------- detection and parsing
def detect(page: Page) -> tuple[Engine, float]:
    """The most confident engine for `page` (ties go to the earlier in ENGINE_NAMES)."""
    best: tuple[Engine, float] | None = None
    sample = _sample(page)
    for candidate in all_engines():
        if candidate.name == "generic":
            continue
        score = candidate.detect(sample)
        if best is None or score > best[1]:
            best = (candidate, score)
    if best is None or best[1] < MIN_CONFIDENCE:
        return engine("generic"), 0.0 if best is None else best[1]
    return best


def _sample(page: Page) -> Page:
    """A large text page's head and tail: enough to recognise the engine, at a fixed cost."""
    if page.is_html or len(page.text) <= 2 * DETECT_SAMPLE_CHARS:
        return page
    head = page.text[:DETECT_SAMPLE_CHARS]
    tail = page.text[-DETECT_SAMPLE_CHARS // 4 :]
    text = head[: head.rfind("\n") + 1] + tail[tail.find("\n") + 1 :]
    return Page(page.path, text, page.is_html, page.encoding, page.size)


def parse_page(page: Page, engine_name: str = "auto") -> tuple[ParsedPage, float | None]:
    """Parse one page with the named engine (or the detected one) and link its posts."""
    if engine_name == "auto":
        chosen, confidence = detect(page)
    elif engine_name in ENGINE_NAMES:
        chosen, confidence = engine(engine_name), None
    else:
        raise UsageError(f"unknown engine {engine_name!r}; choose from {', '.join(ENGINE_NAMES)}")
    parsed = chosen.parse(page)
    if parsed.kind is PageKind.FORUM:
        link_quotes(parsed)
        infer_authors(parsed)
        flag_duplicates(parsed)
    return parsed, confidence


# ---------------------------------------------------------------- identity of rows
def fingerprint(
    author: str | None, body: str, quote_texts: Iterable[str], *, normalised: bool = False
) -> str:
    """Content identity of a row within its thread (time text excluded: "2 hours ago" drifts).

    `normalised=True` says `body` already went through `normalise_text`.
    """
    return stable_digest(
        (author or "").strip(),
        body if normalised else normalise_text(body),
        *(normalise_text(t) for t in quote_texts),
    )


def thread_identity(parsed: ParsedPage, page: Page) -> tuple[str, str, str]:
    """(site, thread key, title) of a page: its URL when known, else engine + title/file."""
    site = parsed.site
    key = parsed.thread_key
    if parsed.url and (site is None or key is None):
        parts = urlsplit(parsed.url)
        site = site or parts.netloc or None
        key = key or _PAGE_SUFFIX.sub("", parts.path.rstrip("/")) or None
    title = (parsed.title or "").strip()
    if not title:
        stem = page.path.name.split(".")[0]
        title = _PAGE_SUFFIX.sub("", stem) or stem
    return (site or parsed.engine), (key or title), title


@dataclass
class _Thread:
    """A thread's rows already in the dataset (or added earlier in this run)."""

    seen: Counter[str] = field(default_factory=Counter)
    positions: set[int] = field(default_factory=set)
    # post ids by fingerprint, in position order (the k-th repetition is the k-th id)
    ids: dict[str, list[str]] = field(default_factory=dict)
    # stored rows (id, author, body) for quotes of posts on earlier pages
    rows: list[tuple[str, str | None, str]] = field(default_factory=list)
    _index: QuoteIndex | None = None

    def find(self, quote: ParsedQuote) -> str | None:
        """The id of the stored row `quote` copies (a quote of an earlier page's post)."""
        if not self.rows:
            return None
        if self._index is None:
            self._index = QuoteIndex()
            for _, _, body in self.rows:
                self._index.add(body)
        found = self._index.best(quote, [author for _, author, _ in self.rows])
        return None if found is None else self.rows[found][0]

    def remember(self, post_id: str, author: str | None, body: str) -> None:
        """A row added in this run (later pages of the run may quote it)."""
        self.rows.append((post_id, author, body))
        if self._index is not None:
            self._index.add(body)

    @property
    def last(self) -> int:
        return max(self.positions, default=0)


class ExistingRows:
    """Fingerprints and positions of the dataset's rows, loaded per thread on demand."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.threads: dict[str, _Thread] = {}

    def thread(self, thread_id: str) -> _Thread:
        if thread_id in self.threads:
            return self.threads[thread_id]
        state = _Thread()
        if self.dataset.posts_files():
            frame = (
                self.dataset.posts()
                .filter(pl.col("thread_id") == thread_id)
                .sort("position")
                .select(
                    "position",
                    "post_id",
                    "author",
                    "body",
                    pl.col("quotes").list.eval(pl.element().struct.field("text")),
                )
                .collect()
            )
            for position, post_id, author, body, quotes in frame.iter_rows():
                mark = fingerprint(author, body, quotes or [])
                state.positions.add(position)
                state.seen[mark] += 1
                state.ids.setdefault(mark, []).append(post_id)
                state.rows.append((post_id, author, body))
        self.threads[thread_id] = state
        return state


# ---------------------------------------------------------------- building rows
def _quote(quote: ParsedQuote, ids: Sequence[str | None], elsewhere: dict[int, str]) -> Quote:
    post_id = ids[quote.post_index] if quote.post_index is not None else elsewhere.get(id(quote))
    return Quote(
        author=quote.author,
        text=quote.text,
        time_text=quote.time_text,
        post_id=post_id,
        quotes=tuple(_quote(q, ids, elsewhere) for q in quote.quotes),
    )


def _place(
    posts: list[ParsedPost],
    bodies: list[str],
    prints: list[str],
    new: list[bool],
    state: _Thread,
    where: tuple[str, str],
) -> tuple[list[int], list[str | None]]:
    """Position and id of every post of a page (-1 and the stored id for rows already in)."""
    site, thread_id = where
    # Positions: the page's own post numbers when every post has a distinct one that is free,
    # otherwise after the thread's last row (a continued thread goes on from its end).
    numbers = [p.post_number for p in posts]
    use_numbers = (
        bool(posts)
        and all(n is not None and n > 0 for n in numbers)
        and len(set(numbers)) == len(numbers)
        and not any(n in state.positions for n, fresh in zip(numbers, new, strict=True) if fresh)
    )
    positions: list[int] = []
    next_position = state.last + 1
    ids: list[str | None] = []
    repeat: Counter[str] = Counter()
    for i, mark in enumerate(prints):
        k = repeat[mark]
        repeat[mark] += 1
        if not new[i]:
            # already stored: reuse its id so new rows can point to it
            stored = state.ids.get(mark, [])
            positions.append(-1)
            ids.append(stored[k] if k < len(stored) else None)
            continue
        position = (numbers[i] or 0) if use_numbers else next_position
        next_position = max(next_position, position) + 1
        positions.append(position)
        ids.append(post_id_for(site, thread_id, position, bodies[i], normalised=True))
    return positions, ids


def _links(
    rows: list[ParsedPost], ids: list[str | None], state: _Thread
) -> tuple[list[list[Quote]], list[str | None]]:
    """Quotes (with the ids they point to) and parent ids of a page's new rows.

    A quote link_quotes did not match on the page may copy a row stored from another page of
    the thread (or added earlier in this run).
    """
    # quotes of posts not on this page: look among the thread's stored rows
    elsewhere: dict[int, str] = {}
    for post in rows:
        for quote in all_quotes(post.quotes):
            if quote.post_index is None and (found := state.find(quote)) is not None:
                elsewhere[id(quote)] = found
    parents: list[str | None] = []
    for post in rows:
        parent = None if post.parent_index is None else ids[post.parent_index]
        if parent is None and elsewhere:
            parent = next((elsewhere[id(q)] for q in post.quotes if id(q) in elsewhere), None)
        parents.append(parent)
    quotes = [[_quote(q, ids, elsewhere) for q in p.quotes] for p in rows]
    return quotes, parents


def build_posts(
    parsed: ParsedPage, page: Page, existing: ExistingRows, source: str
) -> tuple[pa.Table, int, str, str]:
    """New rows for a parsed page: (rows in POSTS_SCHEMA, rows already present, thread id,
    title). Rows are built column by column: a large page has ~10^5 of them."""
    site, key, title = thread_identity(parsed, page)
    thread_id = thread_id_for(site, key)
    state = existing.thread(thread_id)
    posts = parsed.posts
    bodies = [normalise_text(p.body) for p in posts]
    prints = [
        fingerprint(p.author, body, [q.text for q in p.quotes], normalised=True)
        for p, body in zip(posts, bodies, strict=True)
    ]
    occurrence: Counter[str] = Counter()
    new: list[bool] = []
    for mark in prints:
        occurrence[mark] += 1
        new.append(occurrence[mark] > state.seen[mark])
    already = new.count(False)
    positions, ids = _place(posts, bodies, prints, new, state, (site, thread_id))
    order = date_order(p.time_text for p in posts)
    fresh = [i for i, is_new in enumerate(new) if is_new]
    rows = [posts[i] for i in fresh]
    new_ids: list[str] = []
    for i in fresh:
        post_id = ids[i]
        assert post_id is not None
        new_ids.append(post_id)
        state.seen[prints[i]] += 1
        state.positions.add(positions[i])
        state.ids.setdefault(prints[i], []).append(post_id)
    quotes, parents = _links(rows, ids, state)
    paragraph = PostKind.PARAGRAPH if parsed.kind is not PageKind.FORUM else None
    count = len(rows)
    columns: dict[str, list[Any]] = {
        "post_id": new_ids,
        "thread_id": [thread_id] * count,
        "thread_title": [title] * count,
        "position": [positions[i] for i in fresh],
        "kind": [paragraph or p.kind for p in rows],
        "author": [p.author for p in rows],
        "time_text": [p.time_text for p in rows],
        "posted_at": [parse_time(p.time_text, order) for p in rows],
        "body": [p.body for p in rows],
        "quotes": quotes,
        "parent_post_id": parents,
        "reactions": [[Reaction(name, n) for name, n in p.reactions] for p in rows],
        "edited_by": [p.edited_by for p in rows],
        "author_inferred": [
            None if p.author_inferred is None else InferredAuthor(*p.author_inferred) for p in rows
        ],
        "engine": [parsed.engine] * count,
        "source": [source] * count,
        "flags": [sorted(p.flags) for p in rows],
        "signature": [p.signature for p in rows],
        "post_number": [p.post_number for p in rows],
        "user_title": [p.user_title for p in rows],
        "subject": [p.subject for p in rows],
        "depth": [p.depth for p in rows],
        "is_submission": [p.is_submission or None for p in rows],
        "edited_text": [p.edited_text for p in rows],
        "url": [parsed.url] * count,
    }
    # Only now may later pages' quotes find this page's rows (link_quotes covered this page).
    for post_id, post in zip(new_ids, rows, strict=True):
        state.remember(post_id, post.author, post.body)
    return columns_table(columns), already, thread_id, title


# ---------------------------------------------------------------- the run
@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one page (and restore its state after).

    Parsing and building rows make hundreds of thousands of objects per large page and no
    reference cycles; the collector's passes would re-walk all of them for nothing (a
    quarter to a third of the time on a 20 MB page). Reference counting still frees garbage.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def ingest(
    paths: Sequence[Path],
    dataset_dir: Path,
    *,
    engine_name: str = "auto",
    target: str | None = None,
    on_file: Callable[[FileResult], None] | None = None,
) -> IngestResult:
    """Ingest page files (or directories of them) into the dataset at `dataset_dir`.

    Missing paths fail the run before anything is read. A file that cannot be read or has
    no recognisable posts is reported (its `error`) and adds nothing; the others go on.
    """
    files = expand_paths(list(paths))
    dataset = Dataset.open_or_create(dataset_dir)
    existing = ExistingRows(dataset)
    results: list[FileResult] = []
    tables: list[pa.Table] = []
    titles: dict[str, str] = {}
    for path in files:
        result = FileResult(path)
        try:
            with _collector_paused():
                table, title = _ingest_file(path, engine_name, existing, result)
            assert result.thread_id is not None  # set with the rows
            titles[result.thread_id] = title
            if table.num_rows:
                tables.append(table)
        except LabelerError as exc:
            result.error = exc
        results.append(result)
        if on_file is not None:
            on_file(result)
    written = _write(dataset, tables) if tables else None
    if target is not None:
        _set_targets(dataset, titles, target)
    return IngestResult(results, written, dataset.root)


def _ingest_file(
    path: Path, engine_name: str, existing: ExistingRows, result: FileResult
) -> tuple[pa.Table, str]:
    """Read, parse and build the new rows of one file (its summary goes in `result`)."""
    page = read_page(path)
    result.notes.extend(page.notes)
    parsed, result.confidence = parse_page(page, engine_name)
    result.engine, result.kind, result.title = parsed.engine, parsed.kind.value, parsed.title
    result.notes.extend(parsed.warnings)
    if not any(p.body.strip() or p.quotes for p in parsed.posts):
        raise NoPostsError(
            f"no {'paragraphs' if parsed.kind is PageKind.NEWS else 'posts'} "
            f"recognised (read as {engine(parsed.engine).title})",
            path=path,
            hint="Check it is a thread or article page; try --engine to pick the parser",
        )
    table, result.already, result.thread_id, title = build_posts(parsed, page, existing, path.name)
    result.parsed = len(parsed.posts)
    result.added = table.num_rows
    counts = Counter(flag for p in parsed.posts for flag in p.flags)
    result.flagged = {flag.value: counts[flag] for flag in Flag if counts[flag]}
    return table, title


def _write(dataset: Dataset, tables: list[pa.Table]) -> Path:
    table = pa.concat_tables(tables)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    digest = stable_digest(*table.column("post_id").to_pylist())
    path = dataset.posts_dir / f"{stamp}-{digest}.parquet"
    write_posts(path, table)
    return path


def _set_targets(dataset: Dataset, titles: dict[str, str], target: str) -> None:
    targets = dict(dataset.config.targets)
    for thread_id in titles:
        targets[thread_id] = target
    dataset.config = replace(dataset.config, targets=targets)
    dataset.config.save(dataset.root)
