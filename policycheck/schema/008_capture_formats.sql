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

-- Overlapping captures compare requests line by line, which holds for files whose lines are numbered from 1.
-- A pcap's flows are numbered by frame (and a mitmproxy file's by flow, non-HTTP flows skipped), so two captures
-- overlap only when they agree from their very first line on: without this, a pcap whose first request sits at
-- frame 49 would be taken as sharing 48 leading requests with any other capture.
create or replace view capture_overlaps as
with pairs as (
    select a.capture_id, b.capture_id as other_capture_id, a.line,
           a.body_hash = b.body_hash and a.req_type_id is not distinct from b.req_type_id as same
    from flows a join flows b on a.line = b.line and a.capture_id <> b.capture_id
), spans as (
    select capture_id, other_capture_id, count(*) as compared, min(line) as first_line,
           min(line) filter (where not same) as first_difference
    from pairs group by capture_id, other_capture_id
)
select s.capture_id, s.other_capture_id,
       coalesce(s.first_difference - 1, s.compared) as common_prefix,
       c.requests, o.requests as other_requests
from spans s join captures c on c.capture_id = s.capture_id join captures o on o.capture_id = s.other_capture_id
where s.first_line = 1 and coalesce(s.first_difference - 1, s.compared) > 0;
