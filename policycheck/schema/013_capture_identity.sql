-- One identity per capture file (robust2): the content (captures.sha256, unique) and, for the file itself, its
-- canonical path: absolute, symbolic links resolved, when it was ingested. captures.path keeps the path as given
-- (relative to the working directory of that ingest), so the same file named by another path (absolute, from
-- another folder, through a link) was once taken for a different file and recorded as an alias of itself.
-- Filled for rows stored before by policycheck.flows.identity.backfill (the path resolved against the store's
-- folder, then the working directory, when a file is there); NULL when it cannot be found.
-- Column meanings: README.md, section flows.
alter table captures add column if not exists canonical_path varchar;
alter table capture_aliases add column if not exists canonical_path varchar;
