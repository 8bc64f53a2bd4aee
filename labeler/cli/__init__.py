"""Command-line front end: parse, call the core, print, exit with a contract exit code."""
