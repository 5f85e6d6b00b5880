"""Admin accounts: createsuperuser that validates every password, and the local-only demo admin."""
