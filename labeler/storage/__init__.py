"""Durable storage: the dataset directory, Parquet files with identity, journals and locks."""
