"""End-to-end tests: real processes, real files, real signals."""
