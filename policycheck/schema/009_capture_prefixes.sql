-- Capture overlap computed at ingest (issue 16), replacing the capture_overlaps view, which joined flows to itself on
-- line number across all captures (work growing with the square of the number of capture files).
--
-- flows.prefix_hash: a running hash of the capture's requests from line 1 up to this one (line, body hash, request
-- type of each): the sum of md5 numbers of those requests, folded to 64 bits. Two captures agree on their first L
-- requests exactly when their flows at line L have the same prefix hash. NULL past the first line at which the
-- capture's lines stop being 1, 2, 3, ... (a pcap's frame numbers, two requests on one line): comparing requests
-- line by line only holds for captures whose lines are numbered from 1 without gaps.
-- Filled for the flows already stored by policycheck.flows.overlap.rebuild (store.MIGRATION_STEPS), written by
-- ingest for new ones.
alter table flows add column prefix_hash bigint;

drop view if exists capture_overlaps;
drop view if exists capture_coverage;  -- a derived view of gaps.sql before this migration

-- Per capture, refreshed at the end of every ingest (policycheck.flows.overlap.refresh_coverage): how many of its
-- first lines an earlier capture holds too (the shortest capture holding a request counts it: distinct_flows), and
-- the other capture sharing the longest prefix with it (shown by `policycheck ingest`).
create table capture_coverage (
    capture_id         integer primary key,
    covered_lines      integer not null,  -- its first covered_lines requests are counted in a shorter capture
    overlap_capture_id integer,           -- the capture sharing the longest identical prefix (lowest id on ties)
    overlap_lines      integer not null   -- the length of that prefix (0: none)
);
