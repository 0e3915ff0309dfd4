"""The register's storage: engine and sessions, models, migrations."""
