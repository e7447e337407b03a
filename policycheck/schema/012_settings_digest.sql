-- Captures analysed again when their settings files changed (a device profile corrected, a key log completed): a
-- capture's flows are computed from its file, the analysis (captures.analysis_stamp, migration 010) and the content
-- of the settings files it was ingested with. Column meanings: README.md, section flows.

-- sha256 over the content of the device profile and MMTLS key log the capture was analysed with
-- (policycheck.flows.stamp.SettingsDigests); NULL for captures stored before: unknown, so analysed again.
-- From this migration on, captures.profile and captures.key_log are stored as absolute paths.
alter table captures add column settings_sha256 varchar;
