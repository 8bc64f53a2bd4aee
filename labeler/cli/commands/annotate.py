"""`labeler annotate`: the labelling TUI."""

from __future__ import annotations

from pathlib import Path

import click

from labeler.cli.commands.common import PATH
from labeler.errors import NotAvailableError
from labeler.storage.queue import QueueOrder


@click.command()
@click.argument("dataset_dir", metavar="DIR", type=PATH)
@click.option("--annotator", required=True, metavar="NAME", help="Who is labelling.")
@click.option(
    "--order",
    type=click.Choice([o.value for o in QueueOrder]),
    default=QueueOrder.DOCUMENT.value,
    show_default=True,
    help="Queue order: threads as they appear, random posts, or random threads.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random orders.")
@click.option(
    "--keys",
    "key_file",
    type=PATH,
    help="Key remapping file (default: $XDG_CONFIG_HOME/labeler/keys.toml).",
)
@click.option("--review", is_flag=True, help="Review disagreements and adjudicate.")
def annotate(
    dataset_dir: Path, annotator: str, order: str, seed: int, key_file: Path | None, review: bool
) -> None:
    """Label the posts of a dataset in the terminal, keyboard first.

    Every decision is validated and saved before the screen says so; work resumes at the
    first post you have not decided. Press ? for every key.

    \b
    Exit codes: 0 after ctrl+q; 1 on an internal error (traceback in a log file named on
    stderr); 129, 130, 143 after SIGHUP, SIGINT, SIGTERM (the session is flushed first).
    """
    if review:
        raise NotAvailableError("annotate --review", "review mode", issue=6)
    # Textual is imported only here, so other commands start without it.
    from labeler.tui.app import make_app  # noqa: PLC0415 - keeps Textual out of the other commands

    app = make_app(dataset_dir, annotator, order=QueueOrder(order), seed=seed, key_file=key_file)
    app.run()
    if app.crash_log is not None:
        click.echo(
            f"Error: the labelling screen stopped on an internal error; every decision shown "
            f"as saved is saved. The traceback is in {app.crash_log}; please include it in a "
            "report",
            err=True,
        )
    click.get_current_context().exit(app.return_code or 0)
