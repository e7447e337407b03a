-- Re-judging on change (issue 11): when a new current version of a document is recorded, the stored flows
-- governed by it are judged again at the previous and the new version, and every gap row whose class changed
-- is kept here, with the policy sentences that made the difference.

-- One row per change event that has been re-judged (a change event is re-judged once, the first time the store
-- holds flows after it was recorded; see README "policies", re-judging).
create table rejudged_changes (
    change_id       integer primary key,  -- changes.change_id
    document_id     varchar not null,
    from_version_id integer,              -- NULL for the first version of a document (nothing to compare)
    to_version_id   integer not null,
    as_of_before    date,                 -- the date the previous version was judged at (`gaps --as-of`)
    as_of_after     date,                 -- the date the new version was judged at
    rows_judged     integer not null,     -- gap rows governed by the document's policy
    verdicts_changed integer not null,
    rejudged_at     timestamp not null,   -- UTC
    note            varchar               -- e.g. why nothing was compared
);

-- One row per gap row (recipient, data type, feature, scenario) whose class changed at a change event.
-- The class is the disclosure class, or for a handed-off row the verdict under the governing policy.
create table verdict_changes (
    change_id         integer not null,   -- rejudged_changes.change_id
    document_id       varchar not null,
    from_version_id   integer,
    to_version_id     integer not null,
    recipient         varchar not null,
    data_type         varchar not null,
    feature           varchar not null,
    scenario          varchar not null,
    from_class        varchar not null,
    to_class          varchar not null,
    from_label        varchar,
    to_label          varchar,
    added_sentences   varchar[] not null, -- deciding sentences of the new version that the old one lacked
    removed_sentences varchar[] not null, -- deciding sentences of the old version that the new one lacks
    from_claim_ids    integer[] not null, -- deciding claims at the time of re-judging (ids change on re-extraction)
    to_claim_ids      integer[] not null
);
