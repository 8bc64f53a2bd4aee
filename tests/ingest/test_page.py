"""Reading page files: encodings, HTML sniffing, and clear errors for what is not a page."""

from __future__ import annotations

from pathlib import Path

import pytest

from labeler.errors import CorruptInputError, ExitCode, InputNotFoundError, NoPostsError
from labeler.ingest.page import expand_paths, looks_like_html, read_page

TEXT = "Café owners say the new parking rules cost them customers — “a disaster”.\n"


def test_utf8_text_is_read_as_is(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(TEXT, encoding="utf-8")
    page = read_page(path)
    assert page.text == TEXT
    assert not page.is_html
    assert page.notes == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_byte_order_marks_decide_the_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(TEXT.encode(encoding))
    assert read_page(path).text == TEXT


def test_legacy_encodings_are_detected_and_noted(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    text = "Les cafés du quartier ferment à cause des travaux, dit-on à la mairie.\n" * 20
    path.write_bytes(text.encode("cp1252"))
    page = read_page(path)
    assert page.text == text
    assert page.notes and page.notes[0].startswith("decoded as")


def test_html_declared_charset_is_used(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    html = (
        '<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xe9 ferm\xe9</p></body></html>'
    )
    path.write_bytes(html.encode("latin-1"))
    page = read_page(path)
    assert page.is_html
    assert "Café fermé" in page.text
    assert page.tree.findtext(".//p") == "Café fermé"


def test_crlf_and_nul_characters_never_reach_parsers(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"line one\r\nline two\rline three\n")
    assert read_page(path).lines == ["line one", "line two", "line three"]


def test_html_is_sniffed_from_content_not_only_the_suffix(tmp_path: Path) -> None:
    assert looks_like_html(b"<!DOCTYPE html><html><body>x</body></html>", Path("a.txt"))
    assert looks_like_html(b"<div>post</div>", Path("a.html"))
    assert not looks_like_html(b"I wrote <b> in a post once", Path("a.txt"))


def test_an_empty_file_is_refused_as_having_no_posts(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(NoPostsError, match="empty") as caught:
        read_page(path)
    assert caught.value.exit_code == ExitCode.DATA_ERRORS
    assert str(path) in caught.value.render()


def test_a_binary_file_is_refused_as_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    with pytest.raises(CorruptInputError, match="binary") as caught:
        read_page(path)
    assert caught.value.exit_code == ExitCode.UNREADABLE


def test_missing_paths_are_reported_before_anything_is_read(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text("x", encoding="utf-8")
    with pytest.raises(InputNotFoundError) as caught:
        expand_paths([good, tmp_path / "missing.txt"])
    assert caught.value.exit_code == ExitCode.UNREADABLE


def test_directories_expand_to_their_page_files_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.html").write_text("<p>b</p>", encoding="utf-8")
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "notes.source.md").write_text("origin", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    assert [p.name for p in expand_paths([tmp_path])] == ["a.txt", "b.html"]
    empty = tmp_path / "nothing"
    empty.mkdir()
    with pytest.raises(InputNotFoundError, match="no page files"):
        expand_paths([empty])
