-- Policy side: documents, their snapshots (every capture or fetch), distinct versions and their blocks.
-- Integer ids are assigned by the loader (store.next_id) inside the load's transaction.

create table documents (
    document_id varchar primary key,      -- '<service>-<doc type>-<language>', e.g. 'wechat-privacy-policy-en'
    service     varchar not null,         -- Open Terms Archive service name, e.g. 'WeChat', 'Weixin'
    doc_type    varchar not null,         -- Open Terms Archive terms type, e.g. 'Privacy Policy'
    language    varchar not null,         -- ISO 639-1 code of the text: 'en', 'zh'
    url         varchar,                  -- fetch URL (NULL when only archived copies are known)
    policy_id   varchar not null,         -- the document across languages: 'wechat-privacy-policy'
    first_party varchar not null          -- entity id of the policy's "we": 'wechat', 'weixin'
);

create table versions (
    version_id          integer primary key,
    document_id         varchar not null references documents (document_id),
    language            varchar not null,
    effective_date      date,             -- parsed from the text ("Last Updated", 生效日期, ...); NULL if absent
    first_seen          timestamp not null, -- UTC capture/fetch time this text was first seen
    last_seen           timestamp not null, -- UTC capture/fetch time this text was last seen
    sha256              varchar not null, -- of the normalized text
    text                varchar not null, -- the normalized text; blocks and claims point into it
    origin              varchar not null, -- 'scrape' | 'archive' (where the text was first seen)
    title               varchar,
    previous_version_id integer,          -- the version this one replaced when first seen (NULL for the first)
    unique (document_id, sha256)
);

create table snapshots (
    snapshot_id       integer primary key,
    document_id       varchar not null references documents (document_id),
    observed_at       timestamp not null, -- UTC capture or fetch time
    origin            varchar not null,   -- 'scrape' | 'archive'
    source            varchar not null,   -- URL fetched or archive file path
    raw_path          varchar,            -- stored raw content (content-addressed), NULL for 304 Not Modified
    sha256            varchar,            -- of the raw content
    text_sha256       varchar,            -- of the normalized text
    status            varchar not null check (status in ('ok', 'unchanged', 'quarantined')),
    reason            varchar,            -- why quarantined (or a note for ok/unchanged)
    version_id        integer,            -- the version this snapshot holds (NULL when quarantined)
    http_status       integer,
    etag              varchar,
    last_modified     varchar,
    content_type      varchar,
    text              varchar             -- normalized text of a quarantined capture (kept as evidence)
);

-- A change event: the current version of a document changed from one version to another.
-- Quarantined snapshots never produce one; a restore of the previous text after a broken capture neither.
create table changes (
    change_id       integer primary key,
    document_id     varchar not null references documents (document_id),
    observed_at     timestamp not null,
    from_version_id integer,              -- NULL for the first version of a document
    to_version_id   integer not null,
    snapshot_id     integer not null
);

create table blocks (
    block_id     integer primary key,
    version_id   integer not null references versions (version_id),
    ordinal      integer not null,       -- 0-based position in the version
    kind         varchar not null check (kind in ('heading', 'paragraph', 'list_item', 'table_row')),
    level        integer,                -- heading level (1-6), list nesting depth (1-based); else NULL
    section_path varchar not null,       -- enclosing headings / clause numbers joined by ' > '
    text         varchar not null,       -- the block's text as it appears in versions.text[start:end]
    "start"      integer not null,       -- character offset into versions.text (0-based, inclusive)
    "end"        integer not null,       -- character offset into versions.text (exclusive)
    lead_in      varchar,                -- list items: the sentence that introduces the list
    header       varchar[],              -- table rows: the table's header cells
    cells        varchar[],              -- table rows: this row's cells
    unique (version_id, ordinal)
);
