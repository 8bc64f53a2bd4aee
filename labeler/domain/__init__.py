"""Pure domain model: posts, label events and the label-schema view. No I/O here."""
