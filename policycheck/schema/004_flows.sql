-- Flow side: captures (files), flows (one per request) and observations (data types found in a flow).
-- Column meanings and the formats behind them: README.md, section flows.

create sequence capture_seq start 1;
create table captures (
    capture_id     integer primary key default nextval('capture_seq'),
    path           varchar not null,
    format         varchar not null,     -- 'citizenlab-jsonl', 'hexdump', ...
    scenario       varchar not null,     -- user activity captured, e.g. 'start_miniapp_example_data'
    account_region varchar not null check (account_region in ('wechat', 'weixin')),
    profile        varchar,              -- device profile file used (path), NULL for none
    sha256         varchar not null unique,
    ingested_at    timestamp not null,
    captured_at    timestamp,            -- capture time (from payload timestamps or --captured-at)
    requests       integer,
    problems       integer,              -- lines that could not be read (see ingest_problems)
    run            integer,              -- run number from the file name ('startup_permissions_on_2' -> 2)
    captured_at_source varchar           -- 'payload median' | 'option' | NULL (no time known)
);

-- A file whose content (sha256) equals an already ingested capture: not ingested again, but recorded,
-- so that a scenario name is never silently lost (e.g. a People Nearby run identical to a hook test).
create table capture_aliases (
    capture_id  integer not null references captures (capture_id),
    path        varchar not null unique,
    scenario    varchar not null,
    run         integer,
    recorded_at timestamp not null
);

create table flows (
    flow_id            bigint primary key,
    capture_id         integer not null references captures (capture_id),
    line               integer not null, -- 1-based line (or entry index) in the capture file
    "time"             timestamp,        -- UTC; see time_source
    host               varchar,
    path               varchar,          -- API path / endpoint (NULL when the request type is unmapped)
    req_type_id        integer,
    feature            varchar not null, -- feature id ('unknown' when no rule matches)
    recipient          varchar not null, -- entity id
    mini_program_appid varchar,
    body_bytes         integer not null,
    decode_status      varchar not null, -- e.g. 'protobuf', 'protobuf+json', 'empty', 'undecodable', 'bad_data'
    time_source        varchar,          -- 'payload' (a timestamp inside the request) | 'capture' (captured_at)
    feature_basis      varchar,          -- what decided the feature: 'rule <pattern>', 'request type <id> (...)'
    body_hash          varchar           -- salted hash of the body: equal bodies are comparable in one store
);

create table observations (
    observation_id bigint primary key,
    flow_id        bigint not null references flows (flow_id),
    data_type      varchar not null,     -- data type id
    field_path     varchar not null,     -- where in the decoded body, e.g. '2.2/$.devicemodel'
    detector       varchar not null,     -- 'profile', 'profile:<encoding>', 'key', 'pattern:<name>'
    confidence     double not null,      -- 0..1
    value_redacted varchar not null,     -- salted hash + short prefix, never the raw value
    field_name     varchar               -- the key that named the value, when there was one
);

create table ingest_problems (
    capture_id integer,
    path       varchar not null,
    line       integer,
    problem    varchar not null
);

-- Per-store settings (the redaction salt: key 'redaction_salt').
create table if not exists settings (key varchar primary key, value varchar not null);

-- Captures whose first requests are identical (same line, request type and body), with the length of
-- the common prefix: the 2023 Citizen Lab logs are prefixes of one another, so only the flows after
-- `common_prefix` are specific to a capture's scenario.
create view capture_overlaps as
with pairs as (
    select a.capture_id, b.capture_id as other_capture_id, a.line,
           a.body_hash = b.body_hash and a.req_type_id is not distinct from b.req_type_id as same
    from flows a join flows b on a.line = b.line and a.capture_id <> b.capture_id
), spans as (
    select capture_id, other_capture_id, count(*) as compared, min(line) filter (where not same) as first_difference
    from pairs group by capture_id, other_capture_id
)
select s.capture_id, s.other_capture_id,
       coalesce(s.first_difference - 1, s.compared) as common_prefix,
       c.requests, o.requests as other_requests
from spans s join captures c on c.capture_id = s.capture_id join captures o on o.capture_id = s.other_capture_id
where coalesce(s.first_difference - 1, s.compared) > 0;
