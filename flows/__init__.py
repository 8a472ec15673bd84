"""Orchestration: the Prefect flows and the `docarchive` command line. No cleaning rules here."""
