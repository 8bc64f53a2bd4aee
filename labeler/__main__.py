"""`python -m labeler` runs the command-line interface."""

from labeler.cli.main import main

main()
