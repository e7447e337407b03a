-- Ontologies loaded from mappings/ (replaced as a whole on every load) and their transitive closures.
-- Closures hold every (descendant, ancestor) pair including (x, x) at depth 0.

create table data_types (
    id          varchar primary key,     -- snake_case English concept name: 'device_model'
    name_en     varchar not null,
    name_zh     varchar,
    synonyms_en varchar[] not null default [],
    synonyms_zh varchar[] not null default [],
    keys        varchar[] not null default [], -- JSON/form keys and protobuf field paths that carry it
    patterns    varchar[] not null default [], -- value-pattern detector names that recognise it
    sensitivity varchar,                 -- 'low' | 'medium' | 'high'
    description varchar
);
create table data_type_edges (child varchar not null, parent varchar not null, primary key (child, parent));
create table data_type_closure (descendant varchar not null, ancestor varchar not null, depth integer not null,
                                primary key (descendant, ancestor));

create table entities (
    id         varchar primary key,      -- 'wechat', 'weixin', 'mini_program_developer', ...
    name_en    varchar not null,
    name_zh    varchar,
    kind       varchar not null,         -- 'platform' | 'affiliate' | 'third_party' | 'group' | 'user'
    aliases_en varchar[] not null default [],
    aliases_zh varchar[] not null default [],
    hosts      varchar[] not null default [], -- host suffixes whose servers belong to the entity
    description varchar
);
create table entity_edges (child varchar not null, parent varchar not null, primary key (child, parent));
create table entity_closure (descendant varchar not null, ancestor varchar not null, depth integer not null,
                             primary key (descendant, ancestor));

create table features (
    id                 varchar primary key, -- 'mini_programs', 'channels', 'moments', ...
    name_en            varchar not null,
    name_zh            varchar,
    operator           varchar not null,    -- entity id of who operates the feature
    governing_document varchar,             -- policy_id that governs it when not the account's own policy
    synonyms_en        varchar[] not null default [],
    synonyms_zh        varchar[] not null default [],
    description        varchar
);
create table feature_edges (child varchar not null, parent varchar not null, primary key (child, parent));
create table feature_closure (descendant varchar not null, ancestor varchar not null, depth integer not null,
                              primary key (descendant, ancestor));

create table ontology_files (path varchar primary key, sha256 varchar not null, loaded_at timestamp not null);
