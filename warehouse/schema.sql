-- The archive's schema, written by hand and versioned.
--
-- Each "-- version: N" section migrates an archive at version N-1 to version N; an archive is
-- brought up to date by running, in order, every section above its recorded version, each in
-- its own transaction (see warehouse/schema.py). Sections are never edited once released: a
-- change is a new section. New columns go at the end of a table.
-- Columns named in ../shared/ARCHIVE-CONTRACT.md are the contract: never renamed or retyped.

-- version: 1
CREATE TABLE schema_version (
    version     INTEGER   NOT NULL,
    applied_at  TIMESTAMP NOT NULL
);

-- One row per ingest run, written when it starts and completed when it ends: a run killed
-- midway stays 'running' until the next run marks it 'interrupted'.
CREATE TABLE runs (
    run_id             VARCHAR   PRIMARY KEY,
    started_at         TIMESTAMP NOT NULL,
    finished_at        TIMESTAMP,
    status             VARCHAR   NOT NULL,  -- running | ok | failed | interrupted
    source             VARCHAR   NOT NULL,
    files_seen         INTEGER   NOT NULL DEFAULT 0,
    files_new          INTEGER   NOT NULL DEFAULT 0,
    files_changed      INTEGER   NOT NULL DEFAULT 0,
    files_quarantined  INTEGER   NOT NULL DEFAULT 0,
    documents_added    INTEGER   NOT NULL DEFAULT 0,
    duplicates_found   INTEGER   NOT NULL DEFAULT 0,
    error              VARCHAR,
    flow_run_id        VARCHAR
);

-- One row per version of a raw input file (a changed file at the same path is a new row;
-- the older row gets superseded_at).
CREATE TABLE sources (
    source_path    VARCHAR   NOT NULL,
    sha256         VARCHAR   NOT NULL,
    size_bytes     BIGINT    NOT NULL,
    status         VARCHAR   NOT NULL,  -- ok | quarantined
    error          VARCHAR,             -- why it was quarantined, in words
    error_code     VARCHAR,             -- the same, as a stable code: empty, binary, undecodable, ...
    encoding       VARCHAR,
    run_id         VARCHAR   NOT NULL,
    ingested_at    TIMESTAMP NOT NULL,
    mtime_ns       BIGINT,
    superseded_at  TIMESTAMP,
    same_bytes_as  VARCHAR,             -- an archived path holding exactly these bytes
    PRIMARY KEY (source_path, sha256)
);

CREATE TABLE documents (
    doc_id         VARCHAR   PRIMARY KEY,
    source_path    VARCHAR   NOT NULL,
    part_index     INTEGER   NOT NULL,
    title          VARCHAR   NOT NULL,
    text           VARCHAR   NOT NULL,
    source_url     VARCHAR,
    site           VARCHAR,
    published_at   TIMESTAMP,
    encoding       VARCHAR   NOT NULL,
    is_truncated   BOOLEAN   NOT NULL,
    duplicate_of   VARCHAR,
    char_count     INTEGER   NOT NULL,
    -- beyond the contract
    source_sha256  VARCHAR   NOT NULL,  -- which version of the source file
    content_hash   VARCHAR   NOT NULL,  -- of the folded text: equal for exact duplicates
    split_note     VARCHAR,             -- why a compilation was left whole
    run_id         VARCHAR   NOT NULL,
    ingested_at    TIMESTAMP NOT NULL,
    ingest_seq     BIGINT    NOT NULL,  -- ingestion order: the tie-breaker of the canonical rule
    superseded_at  TIMESTAMP            -- its source file changed since
);

-- What the cleaning rules removed from each document, in order: "why did this line disappear?"
CREATE TABLE removals (
    doc_id  VARCHAR NOT NULL,
    seq     INTEGER NOT NULL,
    rule    VARCHAR NOT NULL,
    text    VARCHAR NOT NULL,
    reason  VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, seq)
);
