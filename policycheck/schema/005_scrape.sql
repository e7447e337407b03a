-- Scraping: one row per source per `policycheck scrape` run, whatever happened (the only trace of a failed
-- fetch, which stores no snapshot). A scheduled job's history:
--   select attempted_at, document_id, outcome, detail from fetch_log order by attempted_at desc;

create table fetch_log (
    log_id       integer primary key,
    document_id  varchar not null,       -- documents.document_id of the source (the row may not exist yet)
    url          varchar not null,       -- the URL fetched (sources.json `fetch`)
    attempted_at timestamp not null,     -- UTC start of the attempt (robots.txt check included)
    duration_ms  integer not null,       -- wall time of the attempt, retries and polite delays included
    outcome      varchar not null check (outcome in
                 ('new_version', 'changed', 'unchanged', 'not_modified', 'quarantined', 'failed')),
    http_status  integer,                -- final HTTP status (NULL when no response: network error, robots.txt)
    version_id   integer,                -- the document's current version after the attempt (NULL if none)
    snapshot_id  integer,                -- the snapshots row made (NULL for failed)
    raw_path     varchar,                -- raw response stored under policies/snapshots/ (NULL when no body)
    detail       varchar                 -- why it failed or was quarantined; a note otherwise
);
