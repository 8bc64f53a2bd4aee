"""Aggregation, agreement, splits and the dataset card."""
