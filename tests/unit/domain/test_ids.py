"""Stable ids: same inputs give the same id on every machine and Python process."""

from __future__ import annotations

import subprocess
import sys

from labeler.domain.ids import normalise_text, post_id_for, stable_digest, thread_id_for


def test_post_id_is_pinned_across_releases() -> None:
    # A changed id would orphan every label already given: this value must never move.
    tid = thread_id_for("example.org", "Bridge Street")
    assert tid == "t4ffde53876e5b94a"
    assert post_id_for("page.txt", tid, 3, "Close it.") == "p217b9d852bfedbcf"
    assert stable_digest("a", 1, None) == "264282f9016a5679"


def test_ids_do_not_depend_on_the_process() -> None:
    code = "from labeler.domain.ids import post_id_for; print(post_id_for('s', 't', 1, 'x'))"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    }
    assert runs == {post_id_for("s", "t", 1, "x")}


def test_whitespace_and_invisible_characters_do_not_change_the_post_id() -> None:
    plain = post_id_for("s", "t", 0, "Close the bridge now")
    assert post_id_for("s", "t", 0, "  Close\u00a0the\n\nbridge\u200b now ") == plain


def test_every_part_changes_the_post_id() -> None:
    base = post_id_for("s", "t", 0, "x")
    assert (
        len(
            {
                base,
                post_id_for("s2", "t", 0, "x"),
                post_id_for("s", "t2", 0, "x"),
                post_id_for("s", "t", 1, "x"),
                post_id_for("s", "t", 0, "y"),
            }
        )
        == 5
    )


def test_digest_parts_cannot_run_into_each_other() -> None:
    assert stable_digest("ab", "c") != stable_digest("a", "bc")
    assert stable_digest(None) != stable_digest("")


def test_thread_id_ignores_case_and_spacing_of_the_title() -> None:
    assert thread_id_for("Example.org", "Bridge  Street ") == thread_id_for(
        "example.org", "bridge street"
    )


def test_normalise_text() -> None:
    assert normalise_text("a\u00a0b\u200b c\t\nd") == "a b c d"
    assert normalise_text("e\u0301") == "\u00e9"  # NFC
