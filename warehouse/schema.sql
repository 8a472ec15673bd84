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

-- version: 2
-- The views users want first, and the meaning of every table and column. These COMMENTs are
-- the one place meanings are written: `docarchive schema`, the export's schema description and
-- the Python API's docs all read them from the catalog. A view column without a COMMENT of its
-- own means what the column of the same name in `documents` means.

-- Canonical = the copy other projects should read: not a duplicate, and its file not changed since.
CREATE VIEW canonical_documents AS
SELECT * FROM documents WHERE duplicate_of IS NULL AND superseded_at IS NULL;

-- One row per duplicate cluster that has copies, built from documents.duplicate_of (it keeps
-- working when a later version records how each copy was matched).
CREATE VIEW duplicate_clusters AS
SELECT
    c.doc_id                                                AS canonical_doc_id,
    c.title                                                 AS title,
    c.source_path                                           AS source_path,
    count(*)::INTEGER                                       AS copies,
    list(d.doc_id ORDER BY d.ingest_seq)                    AS duplicate_doc_ids,
    list(d.source_path ORDER BY d.ingest_seq)               AS duplicate_source_paths
FROM documents d
JOIN documents c ON c.doc_id = d.duplicate_of
WHERE d.superseded_at IS NULL
GROUP BY c.doc_id, c.title, c.source_path;

-- How often each cleaning rule fired on the documents the archive holds now.
CREATE VIEW rule_hits AS
SELECT
    r.rule                              AS rule,
    count(DISTINCT r.doc_id)::INTEGER   AS documents,
    count(*)::INTEGER                   AS hits,
    mode(r.reason)                      AS reason,
    mode(r.text)                        AS example
FROM removals r
JOIN documents d ON d.doc_id = r.doc_id
WHERE d.superseded_at IS NULL
GROUP BY r.rule;

COMMENT ON TABLE schema_version IS 'Every schema version applied to this archive, and when.';
COMMENT ON COLUMN schema_version.version IS 'the schema version (a "-- version: N" section of warehouse/schema.sql)';
COMMENT ON COLUMN schema_version.applied_at IS 'when the migration to this version ran (local time)';

COMMENT ON TABLE runs IS 'One row per ingest run, written when it starts and completed when it ends.';
COMMENT ON COLUMN runs.run_id IS 'the run''s id; documents.run_id and sources.run_id name the run that added them';
COMMENT ON COLUMN runs.started_at IS 'when the run started (local time); orders runs for export --since RUN_ID';
COMMENT ON COLUMN runs.finished_at IS 'when the run ended; NULL while it runs or when it was killed';
COMMENT ON COLUMN runs.status IS 'running, ok, failed, or interrupted (killed midway, found by the next run)';
COMMENT ON COLUMN runs.source IS 'the SOURCE directory the run read, as an absolute path';
COMMENT ON COLUMN runs.files_seen IS 'input files found under SOURCE';
COMMENT ON COLUMN runs.files_new IS 'files at paths the archive had not seen';
COMMENT ON COLUMN runs.files_changed IS 'files whose bytes changed since they were archived';
COMMENT ON COLUMN runs.files_quarantined IS 'files that could not be cleaned (see sources.error)';
COMMENT ON COLUMN runs.documents_added IS 'documents the run added';
COMMENT ON COLUMN runs.duplicates_found IS 'added documents that are copies of another document';
COMMENT ON COLUMN runs.error IS 'why the run failed, when it did';
COMMENT ON COLUMN runs.flow_run_id IS 'the Prefect flow run''s id, to find its logs; NULL when Prefect was not started';

COMMENT ON TABLE sources IS 'One row per version of a raw input file; a changed file is a new row and the older one is superseded.';
COMMENT ON COLUMN sources.source_path IS 'the raw file''s path relative to SOURCE, /-separated';
COMMENT ON COLUMN sources.sha256 IS 'SHA-256 of the raw bytes';
COMMENT ON COLUMN sources.size_bytes IS 'size of the raw file in bytes';
COMMENT ON COLUMN sources.status IS 'ok, or quarantined when the file could not be cleaned';
COMMENT ON COLUMN sources.error IS 'why the file was quarantined, in words a person understands';
COMMENT ON COLUMN sources.error_code IS 'the quarantine reason as a stable code (empty, binary, undecodable, ...)';
COMMENT ON COLUMN sources.encoding IS 'the raw file''s detected encoding (Python codec name)';
COMMENT ON COLUMN sources.run_id IS 'the run that archived this file version';
COMMENT ON COLUMN sources.ingested_at IS 'when this file version was archived (local time)';
COMMENT ON COLUMN sources.mtime_ns IS 'the file''s modification time when read, in nanoseconds since the epoch';
COMMENT ON COLUMN sources.superseded_at IS 'when a changed version of the file replaced this one; NULL for the current version';
COMMENT ON COLUMN sources.same_bytes_as IS 'an archived path holding exactly these bytes, when there is one';

COMMENT ON TABLE documents IS 'One row per clean document; a compilation file yields one row per part.';
COMMENT ON COLUMN documents.doc_id IS 'stable id of the document: the same raw bytes and clean text always give the same id';
COMMENT ON COLUMN documents.source_path IS 'the raw file''s path relative to SOURCE, /-separated';
COMMENT ON COLUMN documents.part_index IS '0 for a whole file; 1..n for the parts of a compilation, in order';
COMMENT ON COLUMN documents.title IS 'the document''s own title, no site name, no file extension';
COMMENT ON COLUMN documents.text IS 'the clean body: NFC Unicode, paragraphs separated by one newline, no title line, no site chrome, no page-number markers';
COMMENT ON COLUMN documents.source_url IS 'the page''s URL where the input shows it';
COMMENT ON COLUMN documents.site IS 'the site the page came from (a domain or the site''s name)';
COMMENT ON COLUMN documents.published_at IS 'publication time where the input shows it';
COMMENT ON COLUMN documents.encoding IS 'the raw file''s detected encoding (Python codec name)';
COMMENT ON COLUMN documents.is_truncated IS 'the page showed only a preview of the document';
COMMENT ON COLUMN documents.duplicate_of IS 'doc_id of the canonical document of its duplicate cluster; NULL for a canonical or unique document. Can change later, when a better copy arrives';
COMMENT ON COLUMN documents.char_count IS 'characters in text';
COMMENT ON COLUMN documents.source_sha256 IS 'sha256 of the file version the document came from (sources.sha256)';
COMMENT ON COLUMN documents.content_hash IS 'hash of the folded text: equal for exact duplicates';
COMMENT ON COLUMN documents.split_note IS 'why a compilation was left whole, when it was';
COMMENT ON COLUMN documents.run_id IS 'the run that added the document (runs.run_id)';
COMMENT ON COLUMN documents.ingested_at IS 'when the document was added (local time); export --since DATE compares with it';
COMMENT ON COLUMN documents.ingest_seq IS 'ingestion order, increasing; the tie-breaker of the canonical rule';
COMMENT ON COLUMN documents.superseded_at IS 'when its source file changed (the new version is another row); NULL for current documents';

COMMENT ON TABLE removals IS 'What the cleaning rules removed from each document, in order: why did this line disappear?';
COMMENT ON COLUMN removals.doc_id IS 'the document the text was removed from';
COMMENT ON COLUMN removals.seq IS 'order of the removal within the document, from 0';
COMMENT ON COLUMN removals.rule IS 'the cleaning rule that removed it (a function in cleaners/)';
COMMENT ON COLUMN removals.text IS 'the removed text';
COMMENT ON COLUMN removals.reason IS 'what the removed text was, in words';

COMMENT ON VIEW canonical_documents IS 'The documents other projects should read: no duplicates, no superseded versions.';

COMMENT ON VIEW duplicate_clusters IS 'One row per canonical document that has copies, with its copies.';
COMMENT ON COLUMN duplicate_clusters.canonical_doc_id IS 'doc_id of the canonical copy; the copies'' duplicate_of';
COMMENT ON COLUMN duplicate_clusters.title IS 'the canonical copy''s title';
COMMENT ON COLUMN duplicate_clusters.source_path IS 'the canonical copy''s source_path';
COMMENT ON COLUMN duplicate_clusters.copies IS 'how many current documents are copies of it (not counting itself)';
COMMENT ON COLUMN duplicate_clusters.duplicate_doc_ids IS 'the copies'' doc_ids, in ingestion order';
COMMENT ON COLUMN duplicate_clusters.duplicate_source_paths IS 'the copies'' source paths, in the same order';

COMMENT ON VIEW rule_hits IS 'How often each cleaning rule fired on the current (not superseded) documents.';
COMMENT ON COLUMN rule_hits.rule IS 'the cleaning rule (removals.rule)';
COMMENT ON COLUMN rule_hits.documents IS 'documents it removed something from';
COMMENT ON COLUMN rule_hits.hits IS 'removals it made in all';
COMMENT ON COLUMN rule_hits.reason IS 'its most frequent reason';
COMMENT ON COLUMN rule_hits.example IS 'the text it removed most often';

-- version: 3
-- Duplicate detection across runs: every document's signatures, and every confirmed match.
-- The signatures let a document ingested today be compared with everything archived before
-- without re-reading old files (cleaners/dedup.py computes and compares them).
CREATE TABLE signatures (
    doc_id             VARCHAR PRIMARY KEY,
    content_hash       VARCHAR NOT NULL,
    minhash            BLOB    NOT NULL,
    sketch             BLOB    NOT NULL,
    is_truncated       BOOLEAN NOT NULL,
    char_count         INTEGER NOT NULL,
    content_chars      INTEGER NOT NULL,
    "order"            BIGINT  NOT NULL,
    signature_version  VARCHAR NOT NULL
);

CREATE TABLE duplicates (
    doc_id          VARCHAR NOT NULL,
    cluster_id      VARCHAR NOT NULL,
    matched_doc_id  VARCHAR NOT NULL,
    method          VARCHAR NOT NULL,
    similarity      DOUBLE  NOT NULL,
    run_id          VARCHAR NOT NULL
);

COMMENT ON TABLE signatures IS 'Each document''s duplicate-detection signatures (MinHash and FracMinHash sketch of its folded text), so later runs compare new documents with it without re-reading its file.';
COMMENT ON COLUMN signatures.doc_id IS 'the document (documents.doc_id)';
COMMENT ON COLUMN signatures.content_hash IS 'hash of the folded text: equal for exact duplicates';
COMMENT ON COLUMN signatures.minhash IS 'MinHash of the folded text''s character n-grams: num_perm little-endian uint32';
COMMENT ON COLUMN signatures.sketch IS 'FracMinHash sample of the n-gram hashes (sorted little-endian uint32), for containment';
COMMENT ON COLUMN signatures.is_truncated IS 'the document is a preview (documents.is_truncated)';
COMMENT ON COLUMN signatures.char_count IS 'characters in the document''s text';
COMMENT ON COLUMN signatures.content_chars IS 'characters of the folded text: what the canonical rule''s "longest" compares';
COMMENT ON COLUMN signatures."order" IS 'ingestion order (documents.ingest_seq)';
COMMENT ON COLUMN signatures.signature_version IS 'the settings the signature values depend on (n-gram size, permutations, sketch scale)';

COMMENT ON TABLE duplicates IS 'Every confirmed duplicate match: which document matched which, how, and how similar.';
COMMENT ON COLUMN duplicates.doc_id IS 'the later document of the pair';
COMMENT ON COLUMN duplicates.cluster_id IS 'doc_id of the canonical copy of the cluster both belong to (kept current when links move)';
COMMENT ON COLUMN duplicates.matched_doc_id IS 'the earlier document it matched';
COMMENT ON COLUMN duplicates.method IS 'exact (same folded text), near (n-gram Jaccard) or containment (one text inside the other)';
COMMENT ON COLUMN duplicates.similarity IS 'Jaccard for near, the containment of the shorter text otherwise; 1.0 for exact';
COMMENT ON COLUMN duplicates.run_id IS 'the run that found the match';

-- version: 4
-- How damaged a file's text was: the decoder keeps U+FFFD for bytes it could not read, and
-- counts them, so a user can find pages worth scraping again.
ALTER TABLE sources ADD COLUMN replacement_chars INTEGER;
COMMENT ON COLUMN sources.replacement_chars IS 'U+FFFD characters the decoder put in place of unreadable bytes: a sign of a damaged page; NULL when the file was not decoded';
