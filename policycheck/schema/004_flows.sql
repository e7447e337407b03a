-- Flow side: captures (files), flows (one per request) and observations (data types found in a flow).

create sequence capture_seq start 1;
create table captures (
    capture_id     integer primary key default nextval('capture_seq'),
    path           varchar not null,
    format         varchar not null,     -- 'citizenlab-jsonl', 'har', ...
    scenario       varchar not null,     -- user activity captured, e.g. 'start_miniapp_example_data'
    account_region varchar not null check (account_region in ('wechat', 'weixin')),
    profile        varchar,              -- device profile file used (path), NULL for none
    sha256         varchar not null unique,
    ingested_at    timestamp not null,
    captured_at    timestamp,            -- capture time (from payload timestamps or --captured-at)
    requests       integer,
    problems       integer               -- lines that could not be read (see ingest_problems)
);

create table flows (
    flow_id            bigint primary key,
    capture_id         integer not null references captures (capture_id),
    line               integer not null, -- 1-based line (or entry index) in the capture file
    "time"             timestamp,        -- UTC
    host               varchar,
    path               varchar,          -- API path / endpoint
    req_type_id        integer,
    feature            varchar not null, -- feature id ('unknown' when no rule matches)
    recipient          varchar not null, -- entity id
    mini_program_appid varchar,
    body_bytes         integer not null,
    decode_status      varchar not null  -- e.g. 'protobuf', 'protobuf+json', 'empty', 'undecodable'
);

create table observations (
    observation_id bigint primary key,
    flow_id        bigint not null references flows (flow_id),
    data_type      varchar not null,     -- data type id
    field_path     varchar not null,     -- where in the decoded body, e.g. '2.2/$.devicemodel'
    detector       varchar not null,     -- 'profile', 'key', 'pattern', 'endpoint'
    confidence     double not null,      -- 0..1
    value_redacted varchar not null      -- salted hash + short prefix, never the raw value
);

create table ingest_problems (
    capture_id integer,
    path       varchar not null,
    line       integer,
    problem    varchar not null
);
