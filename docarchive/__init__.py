"""docarchive: a clean, deduplicated archive of scraped documents, for other projects to read.

The command line is `docarchive` (flows/cli.py). The Python API is read-only::

    from docarchive import open_archive

    archive = open_archive("warehouse")          # default: $DOCARCHIVE_WAREHOUSE or ./warehouse
    for doc in archive.documents(where="site = ?", params=["taowenge.com"]):
        print(doc.doc_id, doc.title, doc.char_count)
    table = archive.to_arrow(columns=["doc_id", "title", "text"])   # a pyarrow.Table
    archive.sql("select rule, hits from rule_hits order by hits desc")

Errors are `ArchiveError` subclasses: `ArchiveMissingError`, `ArchiveBusyError`,
`DocumentNotFoundError`, `QueryError`, ...
"""

from docarchive.api import ArchiveReader, Document, QueryError, Removal, open_archive
from warehouse.catalog import ColumnInfo, SchemaVersionError, TableInfo
from warehouse.inspection import AmbiguousDocumentIdError, DocumentNotFoundError
from warehouse.store import ArchiveBusyError, ArchiveError, ArchiveMissingError

__all__ = [
    "AmbiguousDocumentIdError",
    "ArchiveBusyError",
    "ArchiveError",
    "ArchiveMissingError",
    "ArchiveReader",
    "ColumnInfo",
    "Document",
    "DocumentNotFoundError",
    "QueryError",
    "Removal",
    "SchemaVersionError",
    "TableInfo",
    "open_archive",
]
