"""Reading one raw page: bytes → text, with clear errors for what is not a page.

Page text is untrusted. It is decoded (BOM, UTF-8, the HTML's declared charset, then a
statistical guess) and never interpreted beyond parsing; callers show it literally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import lxml.html
from charset_normalizer import from_bytes

from labeler.errors import CorruptInputError, InputNotFoundError, NoPostsError

# Pages larger than this are refused rather than risk memory (a thread page is rarely > 5 MB).
MAX_PAGE_BYTES = 256 * 1024 * 1024
PAGE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_HTML_TAGS = re.compile(rb"<(?:html|head|body|div|p|span|table|article|section)\b[^>]*>", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


@dataclass(slots=False)
class Page:
    """One page's text; `tree` parses HTML lazily (lxml), `lines` splits text lazily."""

    path: Path
    text: str
    is_html: bool
    encoding: str
    size: int = 0
    notes: list[str] = field(default_factory=list)

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines without line ends (for HTML: the markup's lines).

        Only "\n" ends a line (CR was normalised on reading): form feeds, U+2028 and other
        characters str.splitlines() would break on are page text, not structure.
        """
        lines = self.text.split("\n")
        if lines and not lines[-1]:
            lines.pop()
        return lines

    @cached_property
    def tree(self) -> lxml.html.HtmlElement:
        """The HTML document (only for HTML pages)."""
        if not self.is_html:
            raise TypeError("tree is only available for HTML pages")
        # lxml refuses str input that carries an XML encoding declaration.
        text = re.sub(r"^\s*<\?xml[^>]*>", "", self.text)
        try:
            return lxml.html.document_fromstring(text or "<html></html>")
        except Exception as exc:  # lxml raises ParserError/ValueError on hopeless input
            raise CorruptInputError(f"cannot parse the HTML ({exc})", path=self.path) from exc

    @classmethod
    def from_text(
        cls, text: str, *, path: str | Path = "<text>", is_html: bool | None = None
    ) -> Page:
        """A page from a string (tests, the Python API)."""
        raw = text.encode("utf-8", "surrogatepass")
        html = looks_like_html(raw, Path(path)) if is_html is None else is_html
        return cls(Path(path), _clean(text), html, "utf-8", len(raw))


def looks_like_html(data: bytes, path: Path) -> bool:
    """True for HTML markup: a doctype/<html> start, or an .htm(l) file with tags."""
    head = data[:4096]
    if _HTML_START.match(head):
        return True
    tags = len(_HTML_TAGS.findall(data[:65536]))
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return tags >= 1
    return tags >= 5


def _clean(text: str) -> str:
    # One line-end convention; a stray BOM or NUL never reaches a parser.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\x00", "")


def _is_binary(data: bytes) -> bool:
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text: NUL bytes are half its ASCII characters
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) // 50)


def decode(data: bytes, path: Path, *, html: bool) -> tuple[str, str]:
    """(text, encoding) or a CorruptInputError that names the file and what to do."""
    for bom, name in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if html:
        m = _META_CHARSET.search(data[:8192])
        if m:
            name = m.group(1).decode("ascii", "replace")
            try:
                return data.decode(name), name.lower()
            except (LookupError, UnicodeDecodeError):
                pass
    best = from_bytes(data[: 4 * 1024 * 1024]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding), best.encoding
        except (LookupError, UnicodeDecodeError):
            pass
    raise CorruptInputError(
        "cannot tell the text encoding (not UTF-8, and no reliable guess)",
        path=path,
        hint="Convert it to UTF-8 first, e.g. iconv -f WINDOWS-1252 -t UTF-8",
    )


def read_page(path: Path) -> Page:
    """Read and decode one page file."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputNotFoundError("no such file", path=path, hint="Check the path") from None
    except OSError as exc:
        raise CorruptInputError(f"cannot read: {exc.strerror}", path=path) from None
    if size > MAX_PAGE_BYTES:
        raise CorruptInputError(
            f"page is {size / 2**20:.0f} MB, over the {MAX_PAGE_BYTES // 2**20} MB limit per page",
            path=path,
            hint="Split it into pages (one thread page or article per file)",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorruptInputError(f"cannot read: {exc.strerror}", path=path) from None
    if not data.strip():
        raise NoPostsError("file is empty", path=path, hint="Save the page's text or HTML into it")
    if _is_binary(data):
        raise CorruptInputError(
            "binary file, not a page",
            path=path,
            hint="Pass the page as text (copied or rendered) or as HTML",
        )
    html = looks_like_html(data, path)
    text, encoding = decode(data, path, html=html)
    page = Page(path, _clean(text), html, encoding, size)
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        page.notes.append(f"decoded as {encoding}")
    return page


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files to ingest: files as given, directories walked for page files in name order."""
    out: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputNotFoundError("no such file or directory", path=path, hint="Check the path")
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES and not p.name.startswith(".")
            )
            if not found:
                raise InputNotFoundError(
                    f"no page files ({', '.join(PAGE_SUFFIXES)}) in this directory",
                    path=path,
                    hint="Pass the page files themselves, or a directory that holds them",
                )
            out.extend(found)
        else:
            out.append(path)
    return out
