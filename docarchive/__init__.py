"""docarchive: a clean, deduplicated archive of scraped documents.

The command line is `docarchive` (flows/cli.py); the Python API for other projects lives here.
"""
