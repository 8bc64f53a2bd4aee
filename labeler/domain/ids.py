"""Stable identifiers: the same page ingested twice yields the same ids on any machine.

Python's `hash()` is salted per process and polars' hash may change between releases, so
ids come from BLAKE2b over a canonical encoding of their parts.
"""

from __future__ import annotations

import hashlib
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalise_text(text: str) -> str:
    """NFC, NBSP as space, zero-width characters removed, whitespace runs collapsed."""
    # str.split() splits on exactly the characters re's \s matches (NBSP included), faster
    if text.isascii():  # the common case: nothing to compose or remove
        return " ".join(text.split())
    return " ".join(unicodedata.normalize("NFC", text).translate(_INVISIBLE).split())


def stable_digest(*parts: str | int | None, size: int = 8) -> str:
    """Hex digest of the parts; `None` and "" are distinguished, order matters."""
    chunks: list[bytes] = []
    for part in parts:
        encoded = b"\x00" if part is None else b"\x01" + str(part).encode("utf-8")
        chunks.append(len(encoded).to_bytes(4, "big"))
        chunks.append(encoded)
    return hashlib.blake2b(b"".join(chunks), digest_size=size).hexdigest()


def thread_id_for(site: str, thread_key: str) -> str:
    """Thread id from the site and the thread's own key (its title or URL path)."""
    return "t" + stable_digest(site.lower(), normalise_text(thread_key).lower())


def post_id_for(
    source: str, thread_id: str, position: int, text: str, *, normalised: bool = False
) -> str:
    """Post id from source, thread, position in the thread and normalised text.

    `normalised=True` says `text` already went through `normalise_text` (saves a pass).
    """
    return "p" + stable_digest(
        source, thread_id, position, text if normalised else normalise_text(text)
    )
