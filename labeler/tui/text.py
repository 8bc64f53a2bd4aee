"""Page text shown literally: never read as markup, never sent to the terminal as control.

Posts come from scraped pages, so a body may hold `[bold]`, `[link=...]` or escape
sequences. Widgets get `Content` objects (Textual does not parse markup in those), and
control characters are replaced by visible symbols first, so an ESC shows as `␛` instead of
being dropped or, worse, reaching the terminal.
"""

from __future__ import annotations

from textual.content import Content

_KEEP = {"\n", "\t"}


def visible(text: str) -> str:
    """`text` with C0/C1 control characters (and DEL) shown as symbols."""
    if text.isprintable():
        return text
    return "".join(_symbol(ch) for ch in text)


def _symbol(ch: str) -> str:
    code = ord(ch)
    if ch in _KEEP:
        return ch
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟ (ESC is ␛)
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0x80 <= code < 0xA0:
        return f"\\x{code:02x}"
    return ch


def literal(text: str) -> Content:
    """Untrusted text as Textual content: no markup, control characters visible."""
    return Content(visible(text))
