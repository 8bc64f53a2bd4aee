"""What the annotate screen draws, as Rich `Text` built piece by piece (never parsed as
markup), from the post, the label form and the session's progress."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from labeler.domain.post import Quote
from labeler.domain.schema import FieldKind, FieldSpec
from labeler.session import Progress
from labeler.storage.postreader import PostView
from labeler.tui.form import LabelForm
from labeler.tui.text import visible

PARENT_CHARS = 200  # about five lines of the post column at 80x24
NEIGHBOUR_CHARS = 120  # a paragraph's neighbours: a few lines each
TITLE_WIDTH = 18  # the label panel is 38 cells wide: marker, title, value
VALUE_WIDTH = 14
_NOT_SET = "—"


def thread_header(post: PostView) -> Text:
    """Thread title, then the claim stance is judged toward (when the dataset has one)."""
    text = Text()
    text.append(visible(post.thread_title or "(untitled thread)"), "bold")
    text.append(f"  #{post.position}", "dim")
    if post.target:
        text.append("\nTarget: ", "dim")
        text.append(visible(post.target), "italic")
    return text


def parent_box(parent: PostView | None, quoted: Quote | None) -> Text | None:
    """What the post replies to: the resolved parent post, else the quote as printed;
    its beginning only (PARENT_CHARS), so the post itself stays in view."""
    if parent is not None:
        who, body = parent.author, parent.body
    elif quoted is not None:
        who, body = quoted.author, quoted.text
    else:
        return None
    text = Text()
    text.append("replying to ", "dim")
    text.append(visible(who or "someone"), "bold")
    shown = visible(body or "")
    if len(shown) > PARENT_CHARS:
        cut = shown[:PARENT_CHARS].rsplit(" ", 1)[0]
        text.append("\n" + cut + " …")
        text.append(f" ({len(shown) - len(cut):,} more characters)", "dim")
    else:
        text.append("\n" + shown)
    return text


def post_meta(post: PostView) -> Text:
    """Author, time, reactions, who edited it, and ingestion's suggestions."""
    text = Text()
    text.append(visible(post.author or "(unknown author)"), "bold")
    if post.time_text:
        text.append(" · " + visible(post.time_text), "dim")
    for reaction in post.reactions:
        text.append(f" · {visible(reaction.name)} {reaction.count}", "dim")
    if post.edited_by:
        text.append(" · edited by " + visible(post.edited_by), "dim")
    for flag in post.flags:
        text.append(f"  [{visible(flag)}?]", "yellow")
    return text


def neighbour(post: PostView | None, where: str) -> Text | None:
    """A paragraph next to the one being labelled, dimmed and cut short: its article's
    context (`where`: "before" or "after")."""
    if post is None:
        return None
    shown = visible(post.body)
    if len(shown) > NEIGHBOUR_CHARS:
        shown = shown[:NEIGHBOUR_CHARS].rsplit(" ", 1)[0] + " …"
    text = Text(f"¶ {where}: ", "dim bold")
    text.append(shown, "dim")
    return text


def post_body(post: PostView) -> Text:
    """The post's own text, literally."""
    return Text(visible(post.body))


def field_summary(form: LabelForm) -> Text:
    """One line per field: title, required mark and current value; the focus marked."""
    text = Text()
    titles = short_titles([f.title for f in form.fields], TITLE_WIDTH - 2)
    for i, (spec, title) in enumerate(zip(form.fields, titles, strict=True)):
        focused = i == form.focus
        required = spec.required or spec.context is not None
        style = "bold" if focused else ""
        text.append("▸ " if focused else "  ", style)
        text.append(_fit(title + (" *" if required else ""), TITLE_WIDTH), style)
        value = _fit(_value_text(form, spec), VALUE_WIDTH)
        text.append(" " + value + "\n", "" if _has_value(form, spec) else "dim")
    return text


def short_titles(titles: list[str], width: int) -> list[str]:
    """Titles cut to `width`, keeping their ends when the beginnings would look alike
    ("…toward the target" and "…oward the quoted post", not "Stance toward the…" twice)."""
    heads = [t[: width - 1] for t in titles]
    shown = []
    for title, head in zip(titles, heads, strict=True):
        if len(title) <= width:
            shown.append(title)
        elif heads.count(head) > 1:
            shown.append("…" + title[-(width - 1) :])
        else:
            shown.append(head + "…")
    return shown


def _fit(words: str, width: int) -> str:
    """`words` cut to `width` cells with an ellipsis, padded to it."""
    return (words if len(words) <= width else words[: width - 1] + "…").ljust(width)


def focused_choices(form: LabelForm, *, guideline: bool) -> Text:
    """The focused field's values with their number and schema key, chosen ones marked;
    with `guideline`, the highlighted value's guideline under it instead of the others."""
    spec = form.focused
    text = Text()
    text.append(spec.title, "bold underline")
    options = form.options(spec)
    if spec.kind is FieldKind.TEXT:
        text.append("\n(free text: ctrl+e to edit)", "dim")
        return text
    for n, choice in enumerate(options, start=1):
        highlighted = n - 1 == form.cursor
        if guideline and not highlighted:
            continue
        chosen = form.is_chosen(spec, choice)
        marks = "■□" if spec.kind is FieldKind.MULTI else "●○"
        key = f"[{choice.key}]" if choice.key else "   "
        line = f"\n{n:>2} {key} {marks[0] if chosen else marks[1]} {choice.title}"
        text.append(line, "reverse" if highlighted else "")
        if guideline:
            words = choice.description or spec.description
            text.append("\n\n" + words + "\n\n↑/↓ other values · ctrl+o back", "italic")
    return text


def status_line(
    progress: Progress,
    annotator: str,
    schema: str,
    saved: str,
    post_id: str | None,
    where: str | None = None,
) -> Text:
    """Whether the last change is saved (first, so a narrow terminal never hides it), then
    progress, rate, time left, who, schema version and the post's id."""
    text = Text()
    styles = {"saved": "bold green", "unsaved": "bold yellow", "error": "bold red"}
    text.append(f" {saved.upper()} ", styles.get(saved, ""))
    if where:
        text.append(f" {where} ·", "bold")
    text.append(f" {progress.done:,}/{progress.total:,} done")
    if progress.rate_per_hour is not None:
        text.append(f" · {progress.rate_per_hour:,.0f}/h")
    if progress.eta_seconds is not None:
        text.append(f" · ETA {_duration(progress.eta_seconds)}")
    text.append(f" · {visible(annotator)} · {schema}")
    if post_id:
        text.append(f" · {post_id}", "dim")
    return text


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes >= 60 else f"{minutes}m"


def _has_value(form: LabelForm, spec: FieldSpec) -> bool:
    return form.values.get(spec.name) not in (None, [], "")


def _value_text(form: LabelForm, spec: FieldSpec) -> str:
    value = form.values.get(spec.name)
    if value in (None, [], ""):
        return _NOT_SET
    if spec.kind is FieldKind.BOOLEAN:
        return "yes" if value else "no"
    if spec.kind is FieldKind.TEXT:
        return visible(str(value)).replace("\n", " ")
    values = value if isinstance(value, list) else [value]
    return ", ".join(_title(spec, v) for v in values)


def _title(spec: FieldSpec, value: Any) -> str:
    choice = spec.choice(value)
    return choice.title if choice else visible(str(value))
