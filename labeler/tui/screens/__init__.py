"""Screens and dialogs of the labelling app."""
