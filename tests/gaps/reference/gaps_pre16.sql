-- REFERENCE ONLY (tests): the gap SQL as it was before issue 16, with the pairwise capture_overlaps view of
-- migration 008, and with the one deliberate change of verdicts since: a feature is handed to its governing
-- policy only under a version of the account's policy that states the hand-off (handoff_statements; written
-- here with correlated subqueries, independently of the package's joins); and a scope exclusion does not decide
-- a row whose requests carry its data type only in the request header (observations.envelope; written here with
-- lists of flows, independently of the package's per-flow flags); and a published request body that repeats a
-- request of another capture counts once (repeated_bodies). The equality tests (tests/gaps/test_scale_equal.py) install it as temporary objects over the
-- real data's store and compare its gap rows with those of policycheck/gaps/gaps.sql column by column. It joins
-- flows to themselves across all captures (quadratic in capture files): never used by the package.
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

-- Versions of a policy that hand a feature over: a scope exclusion whose context is the feature or an ancestor
-- below the root.
create or replace view handoff_statements as
select distinct c.version_id, fc.descendant as feature
from claims c join feature_closure fc on fc.ancestor = c.context
where c.scope = 'excluded' and c.context in (select child from feature_edges);

-- Which policy governs an account: the privacy policy whose first party is the account's platform.
create or replace view account_policies as
select distinct first_party as account_region, policy_id
from documents where doc_type = 'Privacy Policy';

-- Overlapping captures: when capture files are cumulative dumps of one log (each a prefix of the next, as the
-- 2023 Citizen Lab logs are), a request appears in every longer file. Each request is counted once, in the
-- shortest capture that contains it, so a scenario's rows hold the requests its own segment added.
create or replace view capture_coverage as
select o.capture_id, max(o.common_prefix) as covered_lines
from capture_overlaps o join captures c using (capture_id)
where o.other_requests < c.requests or (o.other_requests = c.requests and o.other_capture_id < o.capture_id)
group by o.capture_id;

-- A published request body (a hex dump: one request, nothing else) repeating a request of another capture counts
-- there (the package computes it at ingest: REPEATS_SQL of policycheck/flows/overlap.py; written here with nested
-- EXISTS over the observations, independently): every detection of the body is one of the other request's (same
-- data type, detector and field path below gzip/zlib/base64/url layers), there are at least 5, and 90% of them
-- carry the same redacted value.
create or replace macro ref_leaf(path) as regexp_replace(path, '^((gzip|zlib|base64|url)\.)+', '');

create or replace view repeated_bodies as
with body as (
    select f.flow_id, f.capture_id from flows f join captures c using (capture_id)
    where c.format = 'hexdump' and (select count(*) from flows x where x.capture_id = f.capture_id) = 1
      and (select count(*) from observations o where o.flow_id = f.flow_id) >= 5
), candidates as (  -- requests of other captures with at least one of the body's detections
    select distinct b.flow_id as body_flow_id, b.capture_id, p.flow_id
    from body b join observations o on o.flow_id = b.flow_id
    join observations p on p.data_type = o.data_type and p.detector = o.detector
                       and ref_leaf(p.field_path) = ref_leaf(o.field_path)
    join flows x on x.flow_id = p.flow_id and x.capture_id <> b.capture_id
)
select b.flow_id from body b
where exists (
    select 1 from candidates g
    where g.body_flow_id = b.flow_id
      and not exists (select 1 from observations o where o.flow_id = b.flow_id and not exists (
          select 1 from observations p where p.flow_id = g.flow_id and p.data_type = o.data_type
                 and p.detector = o.detector and ref_leaf(p.field_path) = ref_leaf(o.field_path)))
      and (select count(*) from observations o where o.flow_id = b.flow_id and exists (
          select 1 from observations p where p.flow_id = g.flow_id and p.data_type = o.data_type
                 and p.detector = o.detector and ref_leaf(p.field_path) = ref_leaf(o.field_path)
                 and p.value_redacted is not distinct from o.value_redacted))
          >= 0.9 * (select count(*) from observations o where o.flow_id = b.flow_id));

create or replace view distinct_flows as
select f.* from flows f left join capture_coverage cc using (capture_id)
where f.line > coalesce(cc.covered_lines, 0) and f.flow_id not in (select flow_id from repeated_bodies);

-- When each distinct request was sent. Requests without a timestamp of their own take the time of the next
-- timestamped request after them in capture order (a capture is chronological), in their own capture or in a
-- capture they overlap, else the capture's time: an upper bound, recorded in time_basis.
create or replace view flow_times as
with next_in_capture as (
    select flow_id, capture_id, line, "time",
           min("time") over (partition by capture_id order by line desc rows unbounded preceding) as next_time
    from flows
), via_overlap as (
    select f.flow_id, min(g.next_time) as next_time
    from distinct_flows f
    join capture_overlaps o on o.capture_id = f.capture_id and o.common_prefix >= f.line
    join next_in_capture g on g.capture_id = o.other_capture_id and g.line = f.line
    where f."time" is null
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
join next_in_capture n using (flow_id)
join captures c on c.capture_id = f.capture_id
left join via_overlap v using (flow_id);

-- Observations of data a request carries to its recipient: all but those of the privacy_interface detector,
-- which say what a Mini Program's developer obtains through a WeChat interface the request names (getLocation,
-- scope.userLocation): the request does not carry that data to its recipient, so no verdict rests on them (the
-- report lists them per Mini Program, policycheck/reports/crosscheck.py).
create or replace view carried_observations as
select * from observations where detector not like 'privacy_interface%';

-- Data types a claim speaks of: its own type and its descendants, and, for a defined term ("Log Data"),
-- the members its definition lists in the same version and their descendants (via_term).
create or replace view claim_data_coverage as
select c.claim_id, dc.descendant as data_type, dc.depth, false as via_term
from claims c join data_type_closure dc on dc.ancestor = c.data_type
union all
select c.claim_id, dc.descendant, dc.depth, true
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

-- What a claim says about receipt of its data: one rule, shared by the gap verdicts (gap_verdicts), the
-- contradictions (contradictions.sql) and the comparisons (compare.sql). After PolicyLint's verb categories (Andow et al., USENIX Security 2019):
-- its "collect" verbs (collect, gather, obtain, receive, access, use, store, save ...) say the actor holds the data,
-- its "share" verbs (share, disclose, provide, transfer, sell ...) also say the recipient receives it.
--   positive: in scope, not negated, about users in general: the actor holds the data (collect, use, retain,
--     process, share, transfer) and, when names_recipient (share, transfer), the recipient receives it;
--   denies_actor / denies_recipient: an unconditional denial of receipt about users in general: a negated
--     collect by the actor, a negated share/transfer to the recipient. A denial with a condition ("without such
--     consent", "knowingly", "unless required by law": claims.condition) or about a group of people
--     (claims.data_subject: "from children under 16") is never one; a negated use, process or retention limits
--     what happens after receipt and denies nothing;
--   root_data / root_actor / root_recipient: the data type or party is an ontology root (ontology_roots).
create or replace view claim_receipt as
select claim_id,
       action in ('share', 'transfer') as names_recipient,
       scope = 'in_scope' and not negated and data_subject is null as positive,
       scope = 'in_scope' and negated and "condition" is null and data_subject is null and action = 'collect'
         as denies_actor,
       scope = 'in_scope' and negated and "condition" is null and data_subject is null
         and action in ('share', 'transfer') as denies_recipient,
       data_type in (select id from ontology_roots where ontology = 'data_type') as root_data,
       actor in (select id from ontology_roots where ontology = 'entity') as root_actor,
       coalesce(recipient in (select id from ontology_roots where ontology = 'entity'), false) as root_recipient
from claims;

-- The verdicts.
--   as_of: NULL judges each observation at its flow's time; a date judges all at that date.
--   all_versions: TRUE judges every group against every version of its governing policy (policy history).
--   mode: 'permissive' (every statement counts), 'intermediate' (statements whose data type or party is an
--     ontology root are ignored, as in PoliCheck's intermediate model; default), 'strict' (as intermediate, and
--     only a statement naming the data type itself and the receiving party itself discloses: no vague).
--   min_confidence: observations below it are not judged (they are listed apart as low-confidence detections).
--   explain: TRUE also names, per row, each claim whose removal alone would change the verdict.
-- Which actions disclose receipt, and which denials count: the claim_receipt view (after PolicyLint's verb
-- categories). Only a denial of receipt is negative evidence: a negated collect by the party, or a negated
-- share/transfer to it; a negated use, process or retention limits what happens after receipt.
create or replace macro gap_verdicts(as_of, all_versions, mode := 'intermediate', min_confidence := 0.5,
                                     explain := false) as table
with obs as (
    select o.flow_id, fl.recipient, o.data_type, fl.feature, c.scenario, c.account_region,
           ft.flow_time, ap.policy_id as account_policy, fg.governing_document, o.envelope is true as in_header
    from carried_observations o
    join distinct_flows fl using (flow_id)
    join flow_times ft using (flow_id)
    join captures c using (capture_id)
    left join account_policies ap on ap.account_region = c.account_region
    left join feature_governance fg on fg.feature = fl.feature
    where o.confidence >= min_confidence
), judged_at as (
    select *,
           governing_document is not null and governing_document is distinct from account_policy as governed,
           -- policy history judges every version regardless of date
           case when all_versions then null else coalesce(as_of::date, flow_time::date) end as judge_date
    from obs
), handoffs as (
    -- handed off when the account policy's version in force at the day (else the earliest known, or the latest
    -- when the time is unknown) states it; the history judges a governed group both ways
    select j.*, j.governed and (j.account_policy is null
                                or not exists (select 1 from documents d join version_validity vv using (document_id)
                                               where d.policy_id = j.account_policy)
                                or exists (
               select 1 from documents d
               where d.policy_id = j.account_policy
                 and exists (select 1 from handoff_statements hs
                             where hs.feature = j.feature and hs.version_id = (
                                 select coalesce(arg_max(vv.version_id, vv.valid_from)
                                                   filter (where vv.valid_from <= j.judge_date),
                                                 case when j.judge_date is null
                                                      then arg_max(vv.version_id, vv.valid_from)
                                                      else arg_min(vv.version_id, vv.valid_from) end)
                                 from version_validity vv where vv.document_id = d.document_id)))) as handed_off
    from judged_at j where not all_versions
    union all
    select j.*, false from judged_at j where all_versions
    union all
    select j.*, true from judged_at j
    where all_versions and j.governed
      and (j.account_policy is null
           or not exists (select 1 from documents d join version_validity vv using (document_id)
                          where d.policy_id = j.account_policy)
           or exists (select 1 from handoff_statements hs join version_validity vv using (version_id)
                      where vv.policy_id = j.account_policy and hs.feature = j.feature))
), judged as (
    select *, case when handed_off then governing_document else account_policy end as judged_policy
    from handoffs
), dated as (
    -- observations grouped by the day they are judged at: flows of one day share their policy versions
    select recipient, data_type, feature, scenario, account_region, account_policy, judged_policy, handed_off,
           judge_date, count(*) as observation_count, list(distinct flow_id) as flow_ids,
           -- flows with an observation in the header and none in the body
           list_filter(coalesce(list(distinct flow_id) filter (where in_header), []),
                       lambda x: not list_contains(coalesce(list(distinct flow_id) filter (where not in_header), []), x))
             as header_only_flow_ids,
           min(flow_time) as first_time, max(flow_time) as last_time
    from judged
    group by recipient, data_type, feature, scenario, account_region, account_policy, judged_policy, handed_off,
             judge_date
), per_document as (
    -- Under a handed-off policy the platform's own servers act for that policy's first party (the WeChat
    -- policy: "we will share your information with Weixin"), so its claims are matched for that party.
    select j.*, d.document_id,
           case when j.handed_off and j.recipient = j.account_region then d.first_party else j.recipient end
             as judged_recipient
    from dated j join documents d on d.policy_id = j.judged_policy
), in_force as (
    select p.*, vv.version_id as in_force_version
    from per_document p asof left join version_validity vv
      on vv.document_id = p.document_id and p.judge_date >= vv.valid_from
), selected as (
    -- the version in force, else (the flow predates every known version) the earliest known version
    -- (a flow whose time is unknown: the latest version)
    select i.* exclude (in_force_version),
           coalesce(i.in_force_version,
                    (select case when i.judge_date is null then arg_max(version_id, valid_from)
                                 else arg_min(version_id, valid_from) end
                     from version_validity e where e.document_id = i.document_id)) as version_id,
           case when i.judge_date is null then 'time_unknown'
                when i.in_force_version is null then 'earliest_known' else 'in_force' end as version_basis,
           null::integer as version_key
    from in_force i where not all_versions
    union all
    -- policy history: every version on its own (version_key keeps them apart when grouping)
    select p.*, vv.version_id, 'history' as version_basis, vv.version_id as version_key
    from per_document p join version_validity vv on vv.document_id = p.document_id
    where all_versions
      and (p.handed_off or not exists (
          select 1 from handoff_statements hs join feature_governance fg using (feature)
          where hs.version_id = vv.version_id and hs.feature = p.feature and fg.governing_document is not null
            and fg.governing_document is distinct from p.account_policy))
), dated_versions as (
    select recipient, judged_recipient, data_type, feature, scenario, account_policy, judged_policy, handed_off,
           judge_date, observation_count, flow_ids, header_only_flow_ids, first_time, last_time, version_basis,
           version_key, list(version_id order by version_id) as version_ids
    from selected
    group by all
), groups as (
    select recipient, judged_recipient, data_type, feature, scenario, account_policy, judged_policy, handed_off,
           version_ids, min(version_basis) as version_basis,
           sum(observation_count)::bigint as observation_count,
           list_sort(flatten(list(flow_ids))) as flow_ids,
           list_sort(flatten(list(header_only_flow_ids))) as header_only_flow_ids,
           min(first_time) as first_time, max(last_time) as last_time
    from dated_versions
    group by recipient, judged_recipient, data_type, feature, scenario, account_policy, judged_policy, handed_off,
             version_ids
), judgements as (
    -- what a verdict depends on (not the scenario): each is matched against the claims once
    select judged_recipient, data_type, feature, version_ids, header_only, row_number() over () as gid
    from (select distinct judged_recipient, data_type, feature, version_ids,
                 len(header_only_flow_ids) = len(flow_ids) as header_only from groups)
), matches as (
    select g.gid, c.claim_id, c.negated, c.scope, c.action, c.context, c.language, c.condition, c.data_subject,
           min(cov.depth) as data_depth, bool_or(cov.depth = 0) as exact_type,
           -- 1 when the claim covers the data type at that depth only through a defined term's definition
           min(cov.depth * 2 + cast(cov.via_term as integer)) % 2 as via_term_only,
           ea.depth as actor_depth, er.depth as recipient_depth,
           c.context is not null as specific_context,
           fc.depth as context_depth,  -- how far the claim's context is above the feature (0: the feature)
           ent.kind = 'platform' as recipient_is_platform, g.header_only,
           cr.root_data, cr.root_actor, cr.root_recipient, cr.names_recipient, cr.positive as receipt_positive,
           cr.denies_actor, cr.denies_recipient
    from judgements g
    join (select gid, unnest(version_ids) as version_id from judgements) gv using (gid)
    join claims c on c.version_id = gv.version_id
    join claim_receipt cr on cr.claim_id = c.claim_id
    join claim_data_coverage cov on cov.claim_id = c.claim_id and cov.data_type = g.data_type
    left join feature_closure fc on fc.descendant = g.feature and fc.ancestor = c.context
    left join entity_closure ea on ea.descendant = g.judged_recipient and ea.ancestor = c.actor
    left join entity_closure er on er.descendant = g.judged_recipient and er.ancestor = c.recipient
    left join entities ent on ent.id = g.judged_recipient
    where c.context is null or fc.depth is not null
    group by all
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
           -- scope exclusions concern a feature or a party, not a data type: they apply in every mode
           scope = 'excluded' and specific_context and actor_depth is null and recipient_is_platform
             and not header_only as exclusion,
           scope = 'excluded' and specific_context and actor_depth is null and recipient_is_platform
             and header_only as header_exclusion,
           exact_type and party_depth = 0 as exact,
           -- specificity for ordering evidence: exact data type (named in the claim's own words before only
           -- through a defined term), then the feature itself, then the party itself, root terms last
           [root_term::int, data_depth, via_term_only, coalesce(context_depth, 1000), coalesce(party_depth, 1000)]
             as specificity
    from evidence
), weighed as (
    select *,
           positive_base and counts and (mode <> 'strict' or exact) as positive,
           negative_base and counts as negative,
           -- root-term statements that would have counted in permissive mode (shown, labelled as such)
           (positive_base or negative_base) and not counts as root_only
    from flagged
), variants as (
    -- the full evidence (removed = NULL) and, with explain, the evidence without each deciding claim
    select gid, null::integer as removed from judgements
    union all
    select distinct gid, claim_id from weighed where explain and (positive or negative or exclusion)
), summary as (
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
           bool_or(header_exclusion) and not coalesce(bool_or(positive_base and specific_context
               and context_depth <= coalesce(min_header_exclusion_depth, context_depth)), false)
             as exclusion_set_aside,
           bool_or(positive and exact) as any_exact,
           -- the positive claims that decide: exact ones when there are any, else those naming the closest
           -- broader data type; most specific first
           list(claim_id order by specificity, claim_id) filter (where positive and (
               exact or (not has_exact and data_depth = min_positive_depth))) as positive_ids,
           list(claim_id order by specificity, claim_id) filter (where negative) as negative_ids,
           list(claim_id order by context_depth, claim_id) filter (where exclusion) as exclusion_ids,
           list(claim_id order by specificity, claim_id) filter (where root_only) as root_term_ids,
           arg_min(context, context_depth) filter (where exclusion) as excluded_context,
           list(distinct language) filter (where positive or negative or exclusion) as languages
    from variants v
    left join (select *, min(context_depth) filter (where exclusion) over (partition by gid) as min_exclusion_depth,
                      min(context_depth) filter (where header_exclusion) over (partition by gid)
                        as min_header_exclusion_depth,
                      bool_or(positive and exact) over (partition by gid) as has_exact,
                      min(data_depth) filter (where positive) over (partition by gid) as min_positive_depth
               from weighed) w
      on w.gid = v.gid and w.claim_id is distinct from v.removed
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
                when not coalesce(any_positive, false) and root_term_ids is not null then 'root_terms_only'
           end as verdict_label,
           case when any_exclusion and not coalesce(any_specific_positive, false) then exclusion_ids
                when any_negative then list_concat(coalesce(positive_ids, []), negative_ids)
                else coalesce(positive_ids, []) end as claim_ids,
           coalesce(root_term_ids, []) as root_term_claim_ids,
           coalesce(languages, []) as languages,
           coalesce(exclusion_set_aside, false) as exclusion_set_aside
    from summary
), explained as (
    -- each claim whose removal alone changes the verdict, with the verdict it would then be
    select f.gid, f.verdict, f.verdict_label, f.claim_ids, f.root_term_claim_ids, f.languages,
           f.exclusion_set_aside,
           list({'claim_id': w.removed, 'verdict_without': w.verdict} order by w.removed)
             filter (where w.verdict <> f.verdict) as pivotal_claims
    from verdicts f left join verdicts w on w.gid = f.gid and w.removed is not null
    where f.removed is null
    group by f.gid, f.verdict, f.verdict_label, f.claim_ids, f.root_term_claim_ids, f.languages,
             f.exclusion_set_aside
), classified as (
    select g.*, j.header_only as envelope_only, e.verdict, e.verdict_label, e.claim_ids, e.root_term_claim_ids,
           e.languages, e.pivotal_claims, e.exclusion_set_aside
    from groups g
    join judgements j on j.judged_recipient = g.judged_recipient and j.data_type = g.data_type
         and j.feature = g.feature and j.version_ids = g.version_ids
         and j.header_only = (len(g.header_only_flow_ids) = len(g.flow_ids))
    join explained e on e.gid = j.gid
)
select recipient, data_type, feature, scenario,
       case when handed_off then 'handed_off' else verdict end as disclosure,
       case when handed_off then 'handed_off_to_' || replace(judged_policy, '-', '_') else verdict_label end as label,
       judged_policy as governing_document,
       version_ids[1] as version_id,
       version_ids,
       claim_ids,
       len(flow_ids)::bigint as flow_count,
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
       case when explain then coalesce(pivotal_claims, []) end as pivotal_claims,
       mode::varchar as consistency_mode,
       min_confidence::double as min_confidence,
       envelope_only,
       exclusion_set_aside
from classified;

-- The gap table users query: every observation at or above the default confidence judged at its flow's time,
-- in the default (intermediate) mode.
create or replace view gaps as select * from gap_verdicts(null, false);
