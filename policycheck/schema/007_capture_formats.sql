-- Captures beyond the Citizen Lab logs (issue 10): pcap with an MMTLS key log, HAR, mitmproxy flow files, and the
-- capture manifest (captures.yaml). Column meanings: README.md, section flows.
alter table flows add column method varchar;      -- HTTP method ('POST' for MMTLS shortlinks), NULL when none
alter table flows add column url varchar;         -- scheme://host[:port]/path, never the query string
alter table flows add column connection varchar;  -- transport connection within the capture ('tcp3 49.51.67.253:80')
alter table flows add column protocol varchar;    -- 'http', 'https', 'mmtls', NULL when the format does not say

alter table captures add column app_version varchar;  -- from the manifest
alter table captures add column key_log varchar;      -- MMTLS key log used for a pcap
alter table captures add column timezone varchar;     -- IANA zone local times of the capture were read in
alter table captures add column manifest varchar;     -- the captures.yaml the settings came from, NULL: conventions

-- Data the server sent back: not data the phone disclosed, so never a flow and never judged by the gap rules.
create table responses (
    capture_id    integer not null references captures (capture_id),
    flow_id       bigint,            -- the request it answers, when the format pairs them (HTTP exchanges)
    line          integer not null,  -- line, entry or frame number in the capture file
    "time"        timestamp,
    connection    varchar,
    protocol      varchar,
    status        integer,           -- HTTP status code
    content_type  varchar,
    body_bytes    integer not null,
    decode_status varchar not null   -- as flows.decode_status; 'encrypted' when not decrypted
);
