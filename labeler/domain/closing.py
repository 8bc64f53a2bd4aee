"""`with` support for the objects that hold something until closed (a lock, a journal)."""

from __future__ import annotations

from typing import Self


class Closing:
    """Closed when a `with` block ends, however it ends; subclasses define `close`."""

    def close(self) -> None:
        """Release what the object holds (safe to call twice)."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
