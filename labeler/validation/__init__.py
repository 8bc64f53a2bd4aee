"""Schema registry, compatibility rules, migrations, record and bulk validation, reports."""
