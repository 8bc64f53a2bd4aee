"""Shared fixtures: the default schema, fresh datasets, sample posts, a CLI runner."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from labeler.cli.main import cli
from labeler.domain.ids import post_id_for, thread_id_for
from labeler.domain.post import Flag, Post, PostKind, Quote, Reaction
from labeler.domain.schema import LabelSchema
from labeler.storage.dataset import Dataset, default_schema

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def schema() -> LabelSchema:
    """The built-in post-labels schema."""
    return default_schema()


@pytest.fixture
def dataset(tmp_path: Path, schema: LabelSchema) -> Dataset:
    """A new, empty dataset in a temp directory."""
    return Dataset.create(tmp_path / "ds", schema, name="test")


def make_posts(count: int = 3, *, thread: str = "A thread", source: str = "page.txt") -> list[Post]:
    """`count` posts of one thread; the second quotes the first."""
    tid = thread_id_for("example.org", thread)
    posts: list[Post] = []
    for i in range(count):
        body = f"Post number {i} says something about the bridge."
        quotes: tuple[Quote, ...] = ()
        parent = None
        if i == 1:
            parent = posts[0].post_id
            quotes = (
                Quote(
                    "alice", posts[0].body, "1 hour ago", parent, (Quote(None, "an older remark"),)
                ),
            )
        posts.append(
            Post(
                post_id=post_id_for(source, tid, i, body),
                thread_id=tid,
                thread_title=thread,
                position=i,
                kind=PostKind.POST,
                body=body,
                engine="invision",
                source=source,
                author="alice" if i % 2 == 0 else None,
                quotes=quotes,
                parent_post_id=parent,
                reactions=(Reaction("Like", i),) if i else (),
                flags=(Flag.DUPLICATE,) if i == 2 else (),
            )
        )
    return posts


@dataclass
class CliResult:
    """What a CLI run printed and returned."""

    exit_code: int
    stdout: str
    stderr: str


CliRun = Callable[..., CliResult]


@pytest.fixture
def run_cli() -> CliRun:
    """Run `labeler ARGS...` in-process; stdout and stderr kept apart."""

    def run(*args: str | Path, env: dict[str, str] | None = None) -> CliResult:
        runner = CliRunner()
        result = runner.invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


def run_labeler_process(
    args: Sequence[str | Path], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `labeler` entry point in a subprocess (as a user's shell would)."""
    argv = [sys.executable, "-m", "labeler", *map(str, args)]
    return subprocess.run(argv, capture_output=True, text=True, check=False, env=env, cwd=cwd)
