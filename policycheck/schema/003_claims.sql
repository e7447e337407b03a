-- Data-practice claims extracted from versions (see README "claims").

create table claims (
    claim_id    integer primary key,
    version_id  integer not null references versions (version_id),
    block_id    integer not null references blocks (block_id),
    sentence    varchar not null,        -- the sentence (or table row / list item with its lead-in) stated
    "start"     integer not null,        -- offset of the sentence in versions.text
    "end"       integer not null,
    actor       varchar not null,        -- entity id
    actor_role  varchar not null check (actor_role in ('first_party', 'affiliate', 'third_party')),
    action      varchar not null check (action in ('collect', 'use', 'share', 'retain', 'transfer', 'process')),
    negated     boolean not null,
    data_text   varchar not null,        -- the words as written
    data_type   varchar not null,        -- data type id (most specific match)
    context     varchar,                 -- feature id, NULL when not tied to a feature
    purpose     varchar,
    modality    varchar check (modality in ('will', 'may', 'only_if_necessary')),
    "condition" varchar,
    scope       varchar not null default 'in_scope' check (scope in ('in_scope', 'excluded')),
    recipient   varchar,                 -- share/transfer: entity id of the receiving party
    language    varchar not null,        -- language of the text the claim was read from
    extractor   varchar not null         -- '<name> <version>'
);

-- Defined terms ("Log Data", "Location Data"): member data types listed in a definition.
create table defined_terms (
    version_id  integer not null references versions (version_id),
    block_id    integer not null,
    term        varchar not null,        -- data type id of the defined term: 'log_data'
    member      varchar not null,        -- data type id of a listed member: 'ip_address'
    member_text varchar not null
);

-- Parse cache: keyed by (sha256 of the block text, extractor version); holds the claims found in the block
-- relative to the block, as JSON, so an unchanged paragraph is parsed once across versions.
create table claim_cache (
    text_sha256 varchar not null,
    extractor   varchar not null,
    result      json not null,
    primary key (text_sha256, extractor)
);

create table extraction_runs (
    version_id  integer not null,
    extractor   varchar not null,
    finished_at timestamp not null,
    blocks      integer not null,
    sentences   integer not null,
    skipped     integer not null,        -- sentences the extractor could not parse (too long, not the language ...)
    claims      integer not null,
    primary key (version_id, extractor)
);
