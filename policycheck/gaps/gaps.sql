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

create or replace view distinct_flows as
select f.* from flows f left join capture_coverage cc using (capture_id)
where f.line > coalesce(cc.covered_lines, 0);

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

-- The verdicts. as_of: NULL judges each observation at its flow's time; a date judges all at that date.
-- all_versions: TRUE judges every group against every version of its governing policy (policy history).
create or replace macro gap_verdicts(as_of, all_versions) as table
with obs as (
    select o.flow_id, fl.recipient, o.data_type, fl.feature, c.scenario, c.account_region,
           ft.flow_time, ap.policy_id as account_policy, fg.governing_document
    from observations o
    join distinct_flows fl using (flow_id)
    join flow_times ft using (flow_id)
    join captures c using (capture_id)
    left join account_policies ap on ap.account_region = c.account_region
    left join feature_governance fg on fg.feature = fl.feature
), judged as (
    select *,
           coalesce(governing_document, account_policy) as judged_policy,
           governing_document is not null and governing_document is distinct from account_policy as handed_off,
           -- policy history judges every version regardless of date
           case when all_versions then null else coalesce(as_of::date, flow_time::date) end as judge_date
    from obs
), dated as (
    -- observations grouped by the day they are judged at: flows of one day share their policy versions
    select recipient, data_type, feature, scenario, account_region, account_policy, judged_policy, handed_off,
           judge_date, count(*) as observation_count, count(distinct flow_id) as flow_count,
           min(flow_time) as first_time, max(flow_time) as last_time
    from judged
    group by all
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
), dated_versions as (
    select recipient, judged_recipient, data_type, feature, scenario, account_policy, judged_policy, handed_off,
           judge_date, observation_count, flow_count, first_time, last_time, version_basis, version_key,
           list(version_id order by version_id) as version_ids
    from selected
    group by all
), groups as (
    select recipient, judged_recipient, data_type, feature, scenario, account_policy, judged_policy, handed_off,
           version_ids, min(version_basis) as version_basis,
           sum(observation_count)::bigint as observation_count, sum(flow_count)::bigint as flow_count,
           min(first_time) as first_time, max(last_time) as last_time
    from dated_versions
    group by recipient, judged_recipient, data_type, feature, scenario, account_policy, judged_policy, handed_off,
             version_ids
), judgements as (
    -- what a verdict depends on (not the scenario): each is matched against the claims once
    select judged_recipient, data_type, feature, version_ids, row_number() over () as gid
    from (select distinct judged_recipient, data_type, feature, version_ids from groups)
), matches as (
    select g.gid, c.claim_id, c.negated, c.scope, c.action, c.context, c.language,
           c.condition,
           min(cov.depth) as data_depth, bool_or(cov.depth = 0) as exact_type,
           ea.depth as actor_depth, er.depth as recipient_depth,
           c.context is not null as specific_context,
           fc.depth as context_depth,  -- how far the claim's context is above the feature (0: the feature)
           ent.kind = 'platform' as recipient_is_platform
    from judgements g
    join (select gid, unnest(version_ids) as version_id from judgements) gv using (gid)
    join claims c on c.version_id = gv.version_id
    join claim_data_coverage cov on cov.claim_id = c.claim_id and cov.data_type = g.data_type
    left join feature_closure fc on fc.descendant = g.feature and fc.ancestor = c.context
    left join entity_closure ea on ea.descendant = g.judged_recipient and ea.ancestor = c.actor
    left join entity_closure er on er.descendant = g.judged_recipient and er.ancestor = c.recipient
    left join entities ent on ent.id = g.judged_recipient
    where c.context is null or fc.depth is not null
    group by all
), evidence as (
    select *,
           scope = 'in_scope' and not negated
             and ((actor_depth is not null)
                  or (recipient_depth is not null and action in ('share', 'transfer'))) as positive,
           -- Only a denial of receiving counts against a flow: "we do not collect / cannot obtain" by the
           -- recipient, or "we do not share with" the recipient. A negated use, process or retention ("we do
           -- not use it for marketing", "we do not keep chat data") limits what happens after receipt.
           -- Only an unconditional denial decides: one with a condition ("without your consent", "except
           -- where ...", "from any Child", 除非 ...) may not hold for the observed flow.
           scope = 'in_scope' and negated and condition is null
             and ((actor_depth is not null and action = 'collect')
                  or (recipient_depth is not null and action in ('share', 'transfer'))) as negative,
           scope = 'excluded' and specific_context and actor_depth is null and recipient_is_platform as exclusion
    from matches
), summary as (
    select gid,
           bool_or(positive) as any_positive,
           -- a positive claim outweighs a scope exclusion only when its context is at least as specific as
           -- the exclusion's ("we collect ... when you use Mini Programs" against "Mini Programs are governed
           -- by their developers' policies"; not a statement about third-party services in general)
           bool_or(positive and specific_context
                   and context_depth <= coalesce(min_exclusion_depth, context_depth)) as any_specific_positive,
           bool_or(negative) as any_negative,
           bool_or(exclusion) as any_exclusion,
           bool_or(positive and exact_type and coalesce(actor_depth, recipient_depth) = 0) as any_exact,
           -- the positive claims that decide: exact ones when there are any, else those naming the closest
           -- broader data type (ties broken by the closest actor)
           list(claim_id order by claim_id) filter (where positive and (
               (exact_type and coalesce(actor_depth, recipient_depth) = 0)
               or (not has_exact and data_depth = min_positive_depth))) as positive_ids,
           list(claim_id order by claim_id) filter (where negative) as negative_ids,
           list(claim_id order by context_depth, claim_id) filter (where exclusion) as exclusion_ids,
           arg_min(context, context_depth) filter (where exclusion) as excluded_context,
           list(distinct language) filter (where positive or negative or exclusion) as languages
    from (select *, min(context_depth) filter (where exclusion) over (partition by gid) as min_exclusion_depth,
                 bool_or(positive and exact_type and coalesce(actor_depth, recipient_depth) = 0)
                   over (partition by gid) as has_exact,
                 min(data_depth) filter (where positive) over (partition by gid) as min_positive_depth
          from evidence)
    group by gid
), classified as (
    select g.*,
           case when s.any_exclusion and not coalesce(s.any_specific_positive, false) then 'incorrect'
                when s.any_positive and s.any_negative then 'ambiguous'
                when s.any_negative then 'incorrect'
                when s.any_exact then 'clear'
                when s.any_positive then 'vague'
                else 'omitted' end as verdict,
           case when s.any_exclusion and not coalesce(s.any_specific_positive, false)
                  then 'undisclosed_first_party_' || regexp_replace(s.excluded_context, 's$', '')
                when s.any_negative and not coalesce(s.any_positive, false) then 'contradicts_negative_claim'
                when s.any_positive and s.any_negative then 'positive_and_negative_claims'
           end as verdict_label,
           case when s.any_exclusion and not coalesce(s.any_specific_positive, false) then s.exclusion_ids
                when s.any_negative then list_concat(coalesce(s.positive_ids, []), s.negative_ids)
                else coalesce(s.positive_ids, []) end as claim_ids,
           coalesce(s.languages, []) as languages
    from groups g
    join judgements j using (judged_recipient, data_type, feature, version_ids)
    left join summary s on s.gid = j.gid
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
       last_time
from classified;

-- The gap table users query: every observation judged at its flow's time.
create or replace view gaps as select * from gap_verdicts(null, false);
