"""Threading: each post's parent from the reply depths the page prints."""

from __future__ import annotations

from labeler.ingest.model import ParsedPost


def link_parents(posts: list[ParsedPost]) -> None:
    """Parent = the nearest earlier item one level up (level-1 comments → the submission)."""
    stack: list[int | None] = []
    for i, post in enumerate(posts):
        depth = post.depth
        if depth is None:
            continue
        if depth >= 1 and depth - 1 < len(stack):
            post.parent_index = stack[depth - 1]
        del stack[depth:]
        stack.extend([None] * (depth - len(stack)))
        stack.append(i)
