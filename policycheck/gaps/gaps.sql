-- Disclosure gaps: observations (recipient r, data type d, feature f, scenario s, time t) judged against the
-- claims of the governing policy's version in force at t. Definitions: ../shared/design.md "Disclosure
-- classes", after PoliCheck (Andow et al., USENIX Security 2020) with features and scope added.
-- Installed (create or replace) by policycheck.gaps.classify.install(); every object is derived, none stores data.

-- When each version was the policy: from its stated effective date, or from when it was first seen when the
-- text states no date or repeats an older date (a silent revision).
create or replace view version_validity as
with stated as (
    select v.version_id, v.document_id, d.policy_id, d.language, v.effective_date, v.first_seen,
           coalesce(v.effective_date, v.first_seen::date) as stated_from
    from versions v join documents d using (document_id)
), previous as (
    select *, max(stated_from) over (partition by document_id order by first_seen
                                     rows between unbounded preceding and 1 preceding) as previous_from
    from stated
), valid as (
    select *, case when previous_from is not null and stated_from <= previous_from
                   then greatest(first_seen::date, previous_from + 1) else stated_from end as valid_from
    from previous
)
select version_id, document_id, policy_id, language, effective_date, first_seen, valid_from,
       lead(valid_from) over (partition by document_id order by valid_from, first_seen) as valid_to
from valid;

-- The policy that governs a feature when it is not the account's own: the nearest ancestor's
-- governing_document (features operated by Weixin -> weixin-privacy-policy).
create or replace view feature_governance as
select fc.descendant as feature,
       arg_min(f.governing_document, fc.depth) filter (where f.governing_document is not null) as governing_document
from feature_closure fc join features f on f.id = fc.ancestor
group by fc.descendant;

-- The claims by which a policy version hands a feature over to another policy: a scope exclusion (claims.scope
-- 'excluded') whose context is the feature or one of its ancestors below the ontology's root ("features operated
-- by Weixin such as Advanced Search, Channels, Top Stories"), with the depth of that context above the feature
-- (0: the feature itself). The report quotes them and re-judging cites them when a row becomes handed off.
create or replace view handoff_claims as
select c.claim_id, c.version_id, fc.descendant as feature, fc.depth as context_depth
from claims c
join feature_closure fc on fc.ancestor = c.context
join (select distinct child from feature_edges) below_root on below_root.child = c.context
where c.scope = 'excluded';

-- Which versions of a policy hand a feature over (handoff_claims). A feature's governing_document applies only
-- under a version of the account's policy that says so: the 2020 WeChat texts name no feature operated by Weixin,
-- so Channels flows judged at a 2020 date are judged under the 2020 WeChat text.
create or replace view handoff_statements as
select distinct version_id, feature from handoff_claims;

-- Which policy governs an account: the privacy policy whose first party is the account's platform.
create or replace view account_policies as
select distinct first_party as account_region, policy_id
from documents where doc_type = 'Privacy Policy';

-- Overlapping captures: when capture files are cumulative dumps of one log (each a prefix of the next, as the
-- 2023 Citizen Lab logs are), a request appears in every longer file. Each request is counted once, in the
-- shortest capture that contains it, so a scenario's rows hold the requests its own segment added. Which first
-- lines of a capture a shorter one holds too is computed at ingest (capture_coverage, flows.prefix_hash:
-- policycheck/flows/overlap.py), never by comparing captures here.
create or replace view distinct_flows as
select f.* from flows f left join capture_coverage cc using (capture_id)
where f.line > coalesce(cc.covered_lines, 0);

-- When each distinct request was sent. Requests without a timestamp of their own take the time of the next
-- timestamped request after them in capture order (a capture is chronological), in their own capture or in a
-- capture that holds the same requests up to theirs (same line and prefix_hash), else the capture's time: an
-- upper bound, recorded in time_basis. Only the captures that can give an untimed request its time are ordered
-- (none when every request has a timestamp, as in the 2023 captures).
create or replace view flow_times as
with untimed as (
    select flow_id, capture_id, line, prefix_hash from distinct_flows where "time" is null
), ordered_captures as (
    select capture_id from untimed
    union
    select g.capture_id from flows g join untimed u on g.line = u.line and g.prefix_hash = u.prefix_hash
), next_in_capture as (
    select flow_id, capture_id, line, prefix_hash, "time",
           min("time") over (partition by capture_id order by line desc rows unbounded preceding) as next_time
    from flows
    where capture_id in (select capture_id from ordered_captures)
), via_overlap as (
    -- one distinct flow per (line, prefix_hash): the join grows with the flows, not with pairs of captures
    select f.flow_id, min(g.next_time) as next_time
    from untimed f
    join next_in_capture g on g.line = f.line and g.prefix_hash = f.prefix_hash and g.capture_id <> f.capture_id
    group by f.flow_id
)
select f.flow_id,
       coalesce(f."time", n.next_time, v.next_time, c.captured_at) as flow_time,
       case when f."time" is not null then 'request'
            when n.next_time is not null then 'next_request'
            when v.next_time is not null then 'next_request_overlapping_capture'
            when c.captured_at is not null then 'capture'
            else 'unknown' end as time_basis
from distinct_flows f
join captures c on c.capture_id = f.capture_id
left join next_in_capture n on n.flow_id = f.flow_id and f."time" is null
left join via_overlap v on v.flow_id = f.flow_id;

-- Observations of data a request carries to its recipient: all but those of the privacy_interface detector,
-- which say what a Mini Program's developer obtains through a WeChat interface the request names (getLocation,
-- scope.userLocation): the request does not carry that data to its recipient, so no verdict rests on them (the
-- report lists them per Mini Program, policycheck/reports/crosscheck.py).
create or replace view carried_observations as
select * from observations where detector not like 'privacy_interface%';

-- Data types a claim speaks of: its own type and its descendants, and, for a defined term ("Log Data"),
-- the members its definition lists in the same version and their descendants (via_term).
create or replace view claim_data_coverage as
select c.claim_id, c.version_id, dc.descendant as data_type, dc.depth, false as via_term
from claims c join data_type_closure dc on dc.ancestor = c.data_type
union all
select c.claim_id, c.version_id, dc.descendant, dc.depth, true
from claims c
join (select distinct version_id, term, member from defined_terms) t
  on t.version_id = c.version_id and t.term = c.data_type
join data_type_closure dc on dc.ancestor = t.member;

-- Root terms: concepts at the top of the data-type and entity ontologies ("personal information", "third
-- parties"). PoliCheck's intermediate consistency model (Andow et al., USENIX Security 2020) ignores statements
-- whose data type or entity is such a root.
create or replace view ontology_roots as
select 'data_type' as ontology, id from data_types where id not in (select child from data_type_edges)
union all
select 'entity', id from entities where id not in (select child from entity_edges);

-- What a claim says about receipt of its data: one rule, shared by the gap verdicts (gap_judgements), the
-- contradictions (contradictions.sql) and the comparisons (compare.sql). After PolicyLint's verb categories
-- (Andow et al., USENIX Security 2019): its "collect" verbs (collect, gather, obtain, receive, access, use, store,
-- save ...) say the actor holds the data, its "share" verbs (share, disclose, provide, transfer, sell ...) also
-- say the recipient receives it. (Roots are found by joins, not IN-subqueries, so that Spark reads it too.)
--   positive: in scope, not negated, about users in general: the actor holds the data (collect, use, retain,
--     process, share, transfer) and, when names_recipient (share, transfer), the recipient receives it;
--   denies_actor / denies_recipient: an unconditional denial of receipt about users in general: a negated
--     collect by the actor, a negated share/transfer to the recipient. A denial with a condition ("without such
--     consent", "knowingly", "unless required by law": claims.condition) or about a group of people
--     (claims.data_subject: "from children under 16") is never one; a negated use, process or retention limits
--     what happens after receipt and denies nothing;
--   root_data / root_actor / root_recipient: the data type or party is an ontology root (ontology_roots).
create or replace view claim_receipt as
select c.claim_id,
       c.action in ('share', 'transfer') as names_recipient,
       c.scope = 'in_scope' and not c.negated and c.data_subject is null as positive,
       c.scope = 'in_scope' and c.negated and c."condition" is null and c.data_subject is null
         and c.action = 'collect' as denies_actor,
       c.scope = 'in_scope' and c.negated and c."condition" is null and c.data_subject is null
         and c.action in ('share', 'transfer') as denies_recipient,
       rd.id is not null as root_data,
       ra.id is not null as root_actor,
       rr.id is not null as root_recipient
from claims c
left join ontology_roots rd on rd.ontology = 'data_type' and rd.id = c.data_type
left join ontology_roots ra on ra.ontology = 'entity' and ra.id = c.actor
left join ontology_roots rr on rr.ontology = 'entity' and rr.id = c.recipient;

-- The verdicts: gap_judgements computes the rows judged at the flows' time (or as_of) and the policy history
-- (every group under every version) in one evaluation; gap_verdicts returns one of the two.
--   as_of: NULL judges each observation at its flow's time; a date judges all at that date.
--   current_rows / history_rows: which rows to return. History rows (version_basis 'history') judge every group
--     against every version of its governing policy; their flow_ids are NULL (flow_count counts the group's
--     flows, the same under every version).
--   mode: 'permissive' (every statement counts), 'intermediate' (statements whose data type or party is an
--     ontology root are ignored, as in PoliCheck's intermediate model; default), 'strict' (as intermediate, and
--     only a statement naming the data type itself and the receiving party itself discloses: no vague).
--   min_confidence: observations below it are not judged (they are listed apart as low-confidence detections).
--   explain: TRUE also names, per row, each claim whose removal alone would change the verdict.
--   dates: a list of dates: every observation is also judged at each of them (rows with judged_at; as with
--     as_of, their flow_ids are NULL): re-judging on policy change evaluates all its dates at once.
-- Which actions disclose receipt, and which denials count: the claim_receipt view (after PolicyLint's verb
-- categories). Only a denial of receipt is negative evidence: a negated collect by the party, or a negated
-- share/transfer to it; a negated use, process or retention limits what happens after receipt.
-- How it scales (README "Scale"): observations are aggregated to their distinct keys (recipient, data type,
-- feature, scenario, day) before anything else; claims are matched once per distinct (party, data type, feature,
-- versions) judgement; the flows of each row are listed by a separate join of the observations with their key.
-- Written in the SQL that both DuckDB and, transpiled by sqlglot, Spark accept (policycheck/gaps/spark.py): no
-- ASOF join, no ordered aggregates (lists of structs sorted instead), no IN-subqueries outside WHERE, an empty
-- list and NULL treated alike.
create or replace macro gap_judgements(as_of, current_rows, history_rows, mode := 'intermediate',
                                       min_confidence := 0.5, explain := false, dates := null) as table
with typed as (
    -- the only step at the scale of the observations, kept narrow: one row per flow and data type.
    -- envelope_only: the flow carries the data type only in the request header it would send in any feature
    -- (observations.envelope; NULL, stored before migration 011, counts as the body's)
    select o.flow_id, o.data_type, count(*) as observation_count,
           bool_and(coalesce(o.envelope, false)) as envelope_only
    from carried_observations o
    where o.confidence >= min_confidence
    group by o.flow_id, o.data_type
), flow_values as (
    -- per flow: what its verdict depends on besides the data type
    select fl.flow_id, ft.flow_time, fl.recipient, fl.feature, c.scenario, c.account_region,
           ap.policy_id as account_policy,
           -- the policy the feature is handed to, if a version of the account's policy says so (decided below)
           case when fg.governing_document is distinct from ap.policy_id then fg.governing_document end
             as handoff_to,
           coalesce(cast(as_of as date), cast(ft.flow_time as date)) as judge_date
    from distinct_flows fl
    join flow_times ft on ft.flow_id = fl.flow_id
    join captures c on c.capture_id = fl.capture_id
    left join account_policies ap on ap.account_region = c.account_region
    left join feature_governance fg on fg.feature = fl.feature
), key_values as (
    -- the distinct keys (a few thousand), numbered: key_id
    select recipient, feature, scenario, account_region, account_policy, handoff_to, judge_date,
           row_number() over (order by recipient, feature, scenario, account_region, account_policy, handoff_to,
                                       judge_date) as key_id
    from (select distinct recipient, feature, scenario, account_region, account_policy, handoff_to, judge_date
          from flow_values) k
), flow_keys as (
    -- each flow's key: the join on the key's columns is made once per flow, not once per observation
    select f.flow_id, f.flow_time, k.key_id
    from flow_values f
    join key_values k
      on k.recipient is not distinct from f.recipient and k.feature is not distinct from f.feature
         and k.scenario is not distinct from f.scenario and k.account_region is not distinct from f.account_region
         and k.account_policy is not distinct from f.account_policy
         and k.handoff_to is not distinct from f.handoff_to and k.judge_date is not distinct from f.judge_date
), observed as (
    -- (key, data type, flow), each once: flows are listed and counted from it by integer keys
    select k.key_id, t.data_type, t.flow_id, t.observation_count, t.envelope_only, k.flow_time
    from typed t join flow_keys k on k.flow_id = t.flow_id
), dated as (
    -- the distinct keys: observations of one (recipient, data type, feature, scenario) and day share versions
    select k.key_id, k.recipient, o.data_type, k.feature, k.scenario, k.account_region, k.account_policy,
           k.handoff_to, k.judge_date, o.observation_count, o.flow_count, o.first_time, o.last_time, o.envelope_only
    from (select key_id, data_type, cast(sum(observation_count) as bigint) as observation_count,
                 count(*) as flow_count, bool_and(envelope_only) as envelope_only,
                 min(flow_time) as first_time, max(flow_time) as last_time
          from observed group by key_id, data_type) o
    join key_values k on k.key_id = o.key_id
), undated as (
    -- the days of a key taken together: the policy history judges every version regardless of date, and the
    -- judgements at given dates judge every day at each of them
    select recipient, data_type, feature, scenario, account_region, account_policy, handoff_to,
           cast(sum(observation_count) as bigint) as observation_count,
           cast(sum(flow_count) as bigint) as flow_count, min(first_time) as first_time,
           max(last_time) as last_time, bool_and(envelope_only) as envelope_only
    from dated where history_rows or dates is not null
    group by recipient, data_type, feature, scenario, account_region, account_policy, handoff_to
), keyed as (
    -- kind: 'current' (each day at its own date, or at as_of), 'history' (every version), 'dated' (each date
    -- of dates)
    select key_id, recipient, data_type, feature, scenario, account_region, account_policy, handoff_to,
           judge_date, observation_count, flow_count, first_time, last_time, envelope_only, 'current' as kind,
           cast(as_of as date) as judged_at
    from dated where current_rows
    union all
    select cast(null as bigint), recipient, data_type, feature, scenario, account_region, account_policy,
           handoff_to, cast(null as date), observation_count, flow_count, first_time, last_time, envelope_only,
           'history', cast(null as date)
    from undated where history_rows
    union all
    select cast(null as bigint), u.recipient, u.data_type, u.feature, u.scenario, u.account_region,
           u.account_policy, u.handoff_to, d.judge_date, u.observation_count, u.flow_count,
           u.first_time, u.last_time, u.envelope_only, 'dated', d.judge_date
    from undated u cross join (select unnest(cast(dates as date[])) as judge_date) d
), bounds as (
    select document_id, arg_min(version_id, valid_from) as earliest_version,
           arg_max(version_id, valid_from) as latest_version
    from version_validity group by document_id
), handoff_segments as (
    -- the days between two changes of version of any document of a policy: each segment has one version in
    -- force per document (before the first, the earliest known: the first segment reaches back indefinitely)
    select policy_id, case when seg_from = min(seg_from) over (partition by policy_id) then cast('0001-01-01' as date)
                           else seg_from end as seg_from,
           seg_from as first_day, lead(seg_from) over (partition by policy_id order by seg_from) as seg_to
    from (select distinct policy_id, valid_from as seg_from from version_validity) s
), segment_handoffs as (
    -- the features a policy hands over during a segment: some document's version in force then states it (a
    -- day without a time is judged under the latest versions: the last segment, seg_to NULL). Independent of the
    -- observed keys, so at most one segment matches a (policy, feature, day).
    select distinct g.policy_id as account_policy, hs.feature, g.seg_from, g.seg_to
    from handoff_segments g
    join documents d on d.policy_id = g.policy_id
    join bounds b on b.document_id = d.document_id
    left join version_validity vv
      on vv.document_id = d.document_id and g.first_day >= vv.valid_from
         and (vv.valid_to is null or g.first_day < vv.valid_to)
    join handoff_statements hs on hs.version_id = coalesce(vv.version_id, b.earliest_version)
), handoff_policies as (
    -- for the policy history: the features some version of a policy hands over
    select distinct vv.policy_id as account_policy, hs.feature
    from handoff_statements hs join version_validity vv on vv.version_id = hs.version_id
), unversioned_policies as (
    -- policies with no stored version: nothing of theirs can state or withhold a hand-off
    select d.policy_id
    from documents d left join version_validity vv on vv.document_id = d.document_id
    group by d.policy_id having count(vv.version_id) = 0
), decided as (
    -- handed_off: the row is judged under the feature's governing policy, because the account's policy in force
    -- says so at the day (segment_handoffs; an account without a known policy, or whose policy has no stored
    -- version: the governing policy alone decides). The policy history judges a group both ways: under the account
    -- policy's versions that do not hand the feature over (`selected`), and under the governing policy's versions
    -- when some version does.
    select k.*, b.handed_off, case when b.handed_off then k.handoff_to else k.account_policy end as judged_policy
    from keyed k
    cross join (select unnest([false, true]) as handed_off) b
    left join segment_handoffs sh
      on k.kind <> 'history' and sh.account_policy = k.account_policy and sh.feature = k.feature
         and ((k.judge_date is null and sh.seg_to is null)
              or (k.judge_date >= sh.seg_from and (sh.seg_to is null or k.judge_date < sh.seg_to)))
    left join handoff_policies hp on hp.account_policy = k.account_policy and hp.feature = k.feature
    left join unversioned_policies u on u.policy_id = k.account_policy
    where case when k.kind <> 'history'
               then b.handed_off = (k.handoff_to is not null
                                    and (k.account_policy is null or u.policy_id is not null
                                         or sh.feature is not null))
               else not b.handed_off
                    or (k.handoff_to is not null
                        and (k.account_policy is null or u.policy_id is not null or hp.feature is not null)) end
), per_document as (
    -- Under a handed-off policy the platform's own servers act for that policy's first party (the WeChat
    -- policy: "we will share your information with Weixin"), so its claims are matched for that party.
    select k.key_id, k.recipient, k.data_type, k.feature, k.scenario, k.account_region, k.account_policy,
           k.judged_policy, k.handed_off,
           k.handoff_to, k.judge_date, k.observation_count, k.flow_count, k.first_time, k.last_time,
           k.envelope_only, k.kind, k.judged_at, d.document_id,
           case when k.handed_off and k.recipient = k.account_region then d.first_party else k.recipient end
             as judged_recipient
    from decided k
    join documents d on d.policy_id = k.judged_policy
), selected as (
    -- the version in force at the day, else (the flow predates every known version) the earliest known version
    -- (a flow whose time is unknown: the latest version)
    select p.key_id, p.recipient, p.judged_recipient, p.data_type, p.feature, p.scenario, p.account_region,
           p.account_policy, p.judged_policy, p.handed_off, p.judge_date, p.observation_count, p.flow_count,
           p.first_time, p.last_time, p.envelope_only, p.kind,
           p.judged_at, coalesce(vv.version_id, case when p.judge_date is null then b.latest_version
                                        else b.earliest_version end) as version_id,
           case when p.judge_date is null then 'time_unknown'
                when vv.version_id is null then 'earliest_known' else 'in_force' end as version_basis,
           cast(null as integer) as version_key
    from per_document p
    left join version_validity vv
      on vv.document_id = p.document_id and p.judge_date >= vv.valid_from
         and (vv.valid_to is null or p.judge_date < vv.valid_to)
    left join bounds b on b.document_id = p.document_id
    where p.kind <> 'history'
    union all
    -- policy history: every version on its own (version_key keeps them apart when grouping)
    select p.key_id, p.recipient, p.judged_recipient, p.data_type, p.feature, p.scenario, p.account_region,
           p.account_policy, p.judged_policy, p.handed_off, p.judge_date, p.observation_count, p.flow_count,
           p.first_time, p.last_time, p.envelope_only, p.kind,
           p.judged_at, vv.version_id, 'history', vv.version_id
    from per_document p join version_validity vv on vv.document_id = p.document_id
    -- (the account policy's versions that hand the feature over judge it under the governing policy instead)
    left join handoff_statements hs
      on hs.version_id = vv.version_id and hs.feature = p.feature and p.handoff_to is not null and not p.handed_off
    where p.kind = 'history' and hs.feature is null
), dated_versions as (
    select key_id, recipient, judged_recipient, data_type, feature, scenario, account_region, account_policy,
           judged_policy, handed_off, judge_date, observation_count, flow_count, first_time, last_time,
           envelope_only, kind, judged_at, version_basis, version_key, list_sort(list(version_id)) as version_ids
    from selected
    group by key_id, recipient, judged_recipient, data_type, feature, scenario, account_region, account_policy,
             judged_policy, handed_off, judge_date, observation_count, flow_count, first_time, last_time,
             envelope_only, kind, judged_at, version_basis, version_key
), groups as (
    select recipient, judged_recipient, data_type, feature, scenario, account_policy, judged_policy, handed_off,
           version_ids, kind, judged_at, min(version_basis) as version_basis,
           cast(sum(observation_count) as bigint) as observation_count,
           cast(sum(flow_count) as bigint) as flow_count, min(first_time) as first_time, max(last_time) as last_time,
           bool_and(envelope_only) as envelope_only
    from dated_versions
    group by recipient, judged_recipient, data_type, feature, scenario, account_policy, judged_policy, handed_off,
             version_ids, kind, judged_at
), judgements as (
    -- what a verdict depends on (not the scenario): each is matched against the claims once
    select judged_recipient, data_type, feature, version_ids, envelope_only,
           row_number() over (order by judged_recipient, data_type, feature, version_ids, envelope_only) as gid
    from (select distinct judged_recipient, data_type, feature, version_ids, envelope_only from groups) j
), judged_versions as (
    select g.gid, g.judged_recipient, g.data_type, g.feature, g.envelope_only, v.version_id
    from judgements g join (select gid, unnest(version_ids) as version_id from judgements) v on v.gid = g.gid
), matches as (
    -- each judgement meets only the claims of its versions that cover its data type (one join on both keys,
    -- never every claim of a version)
    select g.gid, c.claim_id, c.negated, c.scope, c.action, c.context, c.language,
           min(cov.depth) as data_depth, bool_or(cov.depth = 0) as exact_type,
           -- 1 when the claim covers the data type at that depth only through a defined term's definition
           min(cov.depth * 2 + cast(cov.via_term as integer)) % 2 as via_term_only,
           ea.depth as actor_depth, er.depth as recipient_depth,
           c.context is not null as specific_context,
           fc.depth as context_depth,  -- how far the claim's context is above the feature (0: the feature)
           ent.kind = 'platform' as recipient_is_platform, g.envelope_only,
           cr.root_data, cr.root_actor, cr.root_recipient, cr.names_recipient, cr.positive as receipt_positive,
           cr.denies_actor, cr.denies_recipient
    from judged_versions g
    join claim_data_coverage cov on cov.version_id = g.version_id and cov.data_type = g.data_type
    join claims c on c.claim_id = cov.claim_id
    join claim_receipt cr on cr.claim_id = c.claim_id
    left join feature_closure fc on fc.descendant = g.feature and fc.ancestor = c.context
    left join entity_closure ea on ea.descendant = g.judged_recipient and ea.ancestor = c.actor
    left join entity_closure er on er.descendant = g.judged_recipient and er.ancestor = c.recipient
    left join entities ent on ent.id = g.judged_recipient
    where c.context is null or fc.depth is not null
    group by g.gid, c.claim_id, c.negated, c.scope, c.action, c.context, c.language, ea.depth, er.depth, fc.depth,
             ent.kind, g.envelope_only, cr.root_data, cr.root_actor, cr.root_recipient, cr.names_recipient, cr.positive,
             cr.denies_actor, cr.denies_recipient
), parties as (
    select *,
           -- the party through which the claim covers the recipient: its actor, or the recipient of a share
           actor_depth is not null as by_actor,
           recipient_depth is not null and names_recipient as by_recipient
    from matches
), evidence as (
    select *,
           -- a root term: the data type is the ontology's root, or the covering party is a root entity
           root_data or (by_actor and root_actor and not (by_recipient and not root_recipient))
             or (by_recipient and not by_actor and root_recipient) as root_term,
           coalesce(case when by_actor then actor_depth end, case when by_recipient then recipient_depth end)
             as party_depth
    from parties
), flagged as (
    select *,
           -- evidence that counts in this mode: root terms only in permissive mode
           (mode = 'permissive' or not root_term) as counts,
           receipt_positive and (by_actor or by_recipient) as positive_base,
           -- only an unconditional denial of receipt about users in general decides (claim_receipt): a denial
           -- with a condition ("without your consent", "knowingly", "unless required by law") or about a
           -- subgroup ("from children under 16") may not hold for the observed flow
           (by_actor and denies_actor) or (by_recipient and denies_recipient) as negative_base,
           -- a scope exclusion of the feature ("Mini Programs ... in accordance with their own privacy policies
           -- and not this Privacy Policy") while the platform itself receives the data
           scope = 'excluded' and specific_context and actor_depth is null and recipient_is_platform
             as excluded_feature,
           exact_type and party_depth = 0 as exact,
           -- specificity for ordering evidence: exact data type (a statement naming it, or its closest broader
           -- type, in its own words before one that covers it only through a defined term's definition: "device
           -- attributes, such as ..." before the bare "'Log Data' is information ..., including:"), then the
           -- feature itself, then the party itself, root terms last
           [cast(root_term as integer), data_depth, via_term_only, coalesce(context_depth, 1000),
            coalesce(party_depth, 1000)]
             as specificity
    from evidence
), weighed as (
    select *,
           -- scope exclusions concern a feature or a party, not a data type: they apply in every mode, except to
           -- data the platform receives only in the request header its client sends whatever the feature
           -- (envelope_only: WeChat's BaseRequest, Citizen Lab 2023 Table 1): that shows its collection in general,
           -- not in the excluded feature (Citizen Lab's gap is WeChat collecting "usage data related to Mini
           -- Programs", which the request bodies carry)
           excluded_feature and not envelope_only as exclusion,
           positive_base and counts and (mode <> 'strict' or exact) as positive,
           negative_base and counts as negative,
           -- root-term statements that would have counted in permissive mode (shown, labelled as such)
           (positive_base or negative_base) and not counts as root_only
    from flagged
), ranked as (
    select *,
           min(case when excluded_feature then context_depth end) over (partition by gid) as min_exclusion_depth,
           bool_or(positive and exact) over (partition by gid) as has_exact,
           min(case when positive then data_depth end) over (partition by gid) as min_positive_depth
    from weighed
), variants as (
    -- the full evidence (removed = NULL) and, with explain, the evidence without each deciding claim
    select gid, cast(null as integer) as removed from judgements
    union all
    select distinct gid, claim_id from weighed where explain and (positive or negative or exclusion)
), summary as (
    -- lists of claims in order of specificity: sorted lists of {key, claim} (an empty list where none)
    select v.gid, v.removed,
           bool_or(positive) as any_positive,
           -- a positive claim outweighs a scope exclusion only when its context is at least as specific as
           -- the exclusion's ("we collect ... when you use Mini Programs" against "Mini Programs are governed
           -- by their developers' policies"; not a statement about third-party services in general). Like the
           -- exclusion, this is about the feature and the party, so any data term counts, in every mode.
           bool_or(positive_base and specific_context
                   and context_depth <= coalesce(min_exclusion_depth, context_depth)) as any_specific_positive,
           bool_or(negative) as any_negative,
           bool_or(exclusion) as any_exclusion,
           -- a scope exclusion of the feature not applied: the row's data came only in the request header
           coalesce(bool_or(excluded_feature and envelope_only), false) as header_only_exclusion,
           bool_or(positive and exact) as any_exact,
           -- the positive claims that decide: exact ones when there are any, else those naming the closest
           -- broader data type; most specific first
           coalesce(list_transform(list_sort(list({'k': specificity, 'id': claim_id}) filter (
               where positive and (exact or (not has_exact and data_depth = min_positive_depth)))),
               lambda x: x.id), []) as positive_ids,
           coalesce(list_transform(list_sort(list({'k': specificity, 'id': claim_id}) filter (where negative)),
                                   lambda x: x.id), []) as negative_ids,
           coalesce(list_transform(list_sort(list({'k': context_depth, 'id': claim_id}) filter (where exclusion)),
                                   lambda x: x.id), []) as exclusion_ids,
           coalesce(list_transform(list_sort(list({'k': specificity, 'id': claim_id}) filter (where root_only)),
                                   lambda x: x.id), []) as root_term_ids,
           arg_min(context, context_depth) filter (where exclusion) as excluded_context,
           coalesce(list_sort(list(distinct language) filter (where positive or negative or exclusion)), [])
             as languages
    from variants v
    left join ranked w on w.gid = v.gid and w.claim_id is distinct from v.removed
    group by v.gid, v.removed
), verdicts as (
    select gid, removed,
           case when any_exclusion and not coalesce(any_specific_positive, false) then 'incorrect'
                when any_positive and any_negative then 'ambiguous'
                when any_negative then 'incorrect'
                when any_exact then 'clear'
                when any_positive then 'vague'
                else 'omitted' end as verdict,
           case when any_exclusion and not coalesce(any_specific_positive, false)
                  then 'undisclosed_first_party_' || regexp_replace(excluded_context, 's$', '')
                when any_negative and not coalesce(any_positive, false) then 'contradicts_negative_claim'
                when any_positive and any_negative then 'positive_and_negative_claims'
                when not coalesce(any_positive, false) and array_length(root_term_ids) > 0 then 'root_terms_only'
           end as verdict_label,
           case when any_exclusion and not coalesce(any_specific_positive, false) then exclusion_ids
                when any_negative then list_concat(positive_ids, negative_ids)
                else positive_ids end as claim_ids,
           root_term_ids as root_term_claim_ids,
           languages,
           -- the exclusion not applied would have decided: no statement as specific outweighs it
           header_only_exclusion and not coalesce(any_specific_positive, false) as exclusion_set_aside
    from summary
), explained as (
    -- each claim whose removal alone changes the verdict, with the verdict it would then be
    select f.gid, f.verdict, f.verdict_label, f.claim_ids, f.root_term_claim_ids, f.languages,
           f.exclusion_set_aside,
           coalesce(list_sort(list({'claim_id': w.removed, 'verdict_without': w.verdict})
                              filter (where w.verdict <> f.verdict)), []) as pivotal_claims
    from verdicts f left join verdicts w on w.gid = f.gid and w.removed is not null
    where f.removed is null
    group by f.gid, f.verdict, f.verdict_label, f.claim_ids, f.root_term_claim_ids, f.languages,
             f.exclusion_set_aside
), current_keys as (
    -- the rows judged at their flows' time, numbered (row_id), each with the (key, data type) pairs it
    -- gathers: a few thousand rows
    select key_id, data_type, recipient, judged_recipient, feature, scenario, account_policy, judged_policy,
           handed_off, version_ids,
           dense_rank() over (order by recipient, judged_recipient, data_type, feature, scenario, account_policy,
                                       judged_policy, handed_off, version_ids) as row_id
    from dated_versions where kind = 'current'
), current_flows as (
    -- the flows of each such row: the observed flows joined with the small table of (key, data type) pairs
    -- and listed per integer row_id (each flow has one key, so no flow is listed twice)
    select k.recipient, k.judged_recipient, k.data_type, k.feature, k.scenario, k.account_policy, k.judged_policy,
           k.handed_off, k.version_ids, f.flow_ids, f.header_only_flow_ids
    from (select k.row_id, list_sort(list(o.flow_id)) as flow_ids,
                 -- the flows that carry the data type only in the request header (envelope_only)
                 coalesce(list_sort(list(o.flow_id) filter (where o.envelope_only)), []) as header_only_flow_ids
          from observed o join current_keys k on k.key_id = o.key_id and k.data_type = o.data_type
          group by k.row_id) f
    join (select distinct row_id, recipient, judged_recipient, data_type, feature, scenario, account_policy,
                          judged_policy, handed_off, version_ids from current_keys) k on k.row_id = f.row_id
), classified as (
    select g.recipient, g.judged_recipient, g.data_type, g.feature, g.scenario, g.account_policy, g.judged_policy,
           g.handed_off, g.version_ids, g.kind, g.judged_at, g.version_basis, g.observation_count, g.first_time,
           g.last_time, g.envelope_only,
           e.verdict, e.verdict_label, e.claim_ids, e.root_term_claim_ids, e.languages, e.pivotal_claims,
           e.exclusion_set_aside,
           cf.flow_ids, cf.header_only_flow_ids, g.flow_count
    from groups g
    join judgements j
      on j.judged_recipient = g.judged_recipient and j.data_type = g.data_type and j.feature = g.feature
         and j.version_ids = g.version_ids and j.envelope_only = g.envelope_only
    join explained e on e.gid = j.gid
    left join current_flows cf
      on g.kind = 'current' and cf.recipient = g.recipient and cf.judged_recipient = g.judged_recipient
         and cf.data_type = g.data_type and cf.feature = g.feature and cf.scenario = g.scenario
         and cf.account_policy is not distinct from g.account_policy
         and cf.judged_policy is not distinct from g.judged_policy and cf.handed_off = g.handed_off
         and cf.version_ids = g.version_ids
)
select recipient, data_type, feature, scenario,
       case when handed_off then 'handed_off' else verdict end as disclosure,
       case when handed_off then 'handed_off_to_' || replace(judged_policy, '-', '_') else verdict_label end as label,
       judged_policy as governing_document,
       version_ids[1] as version_id,
       version_ids,
       claim_ids,
       flow_count,
       observation_count,
       case when handed_off then verdict end as handoff_verdict,
       case when handed_off then verdict_label end as handoff_label,
       account_policy,
       languages,
       version_basis,
       first_time,
       last_time,
       flow_ids,
       header_only_flow_ids,
       root_term_claim_ids,
       case when explain then pivotal_claims end as pivotal_claims,
       cast(mode as varchar) as consistency_mode,
       cast(min_confidence as double) as min_confidence,
       envelope_only,
       exclusion_set_aside,
       judged_at
from classified;

-- One of the two row sets of gap_judgements: all_versions FALSE, the rows judged at the flows' time (or as_of);
-- TRUE, the policy history.
create or replace macro gap_verdicts(as_of, all_versions, mode := 'intermediate', min_confidence := 0.5,
                                     explain := false) as table
select * from gap_judgements(as_of, not all_versions, all_versions, mode := mode, min_confidence := min_confidence,
                             explain := explain);

-- The gap table users query: every observation at or above the default confidence judged at its flow's time,
-- in the default (intermediate) mode.
create or replace view gaps as select * from gap_verdicts(null, false);
