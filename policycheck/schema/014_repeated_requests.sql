-- A published request body that repeats a request of another capture counts once (policycheck.flows.overlap
-- REPEATS_SQL: the 2024 hex dump is the pcap's secautoauth request): capture_coverage, refreshed at the end of
-- every ingest, now also covers such a body-only capture. Recomputed here for the captures already stored
-- (policycheck.flows.overlap.fill_coverage, store.MIGRATION_STEPS), so that a store ingested before counts the
-- same requests without a new ingest. No table changes.
select 1;
