-- Two policy texts compared practice by practice: two documents of one company (the WeChat policy and the Weixin
-- guidelines), two languages of one document, or two versions. Installed after gaps.sql and relations.sql (it
-- reuses claim_receipt, ontology_roots and the relation macros) (policycheck.store.DERIVED_SQL).
--
-- A practice is what positive claims of one side state (claim_receipt.positive: in scope, not negated, about users
-- in general), aligned on ontology ids: the party (the document's own first party as 'first_party', so WeChat's
-- "we" and Weixin's "we" align; any other party by entity id), the action, the data type, the feature
-- (claims.context; NULL = the whole service) and, for a share or transfer, the recipient. Each practice of each
-- side is looked up in the claims of the other side with the same action, every dimension related through the
-- ontology closures ("same"; "broader": the other side's term is an ancestor; "narrower": a descendant; a NULL
-- feature or recipient is the broadest), and classed, first that applies:
--   excluded  the other side takes the practice's feature out of its scope (a scope = 'excluded' claim whose
--             context is the feature or an ancestor), and none of its aligned positive claims is about a feature
--             at least as specific as the exclusion's (as the gap rules weigh exclusions, gaps.sql);
--   same      an aligned positive claim states it in the same terms;
--   denied    the other side denies it in the same terms: an unconditional denial (no condition, about users in
--             general) of the same action with the same party, data type, feature and recipient;
--   broader   the other side states it only through broader terms (a parent data type, an enclosing feature or
--             the whole service, a broader party or recipient);
--   denied    (also) the other side denies it in the same or broader terms and states it in no broader term;
--   narrower  the other side states only part of it (a narrower data type, feature, party or recipient, or
--             narrower in one dimension and broader in another);
--   absent    nothing aligned.
-- mode, as in the gap rules: 'permissive' counts every claim of the other side; 'intermediate' (default) does not
-- let its root-term claims (data type personal_information, or a root party: ontology_roots) cover a practice
-- through broader or narrower terms, except a denial tied to a feature (it concerns the feature, as in
-- contradictions.sql); they are listed apart (root_term_ids); 'strict' counts only claims in the same terms.
-- Exclusions concern a feature, not a data type: they count in every mode.
create or replace macro compare_claims(a_versions, b_versions, mode := 'intermediate') as table
with sides as (
    select 'a' as side, unnest(a_versions::integer[]) as version_id
    union all
    select 'b', unnest(b_versions::integer[])
), stated as (
    select s.side, c.claim_id, c.action, c.data_type, c.context, c.scope,
           case when c.actor_role = 'first_party' then 'first_party' else c.actor end as party,
           case when c.recipient = d.first_party then 'first_party' else c.recipient end as recipient,
           r.positive, c.scope = 'in_scope' and c.negated and c."condition" is null and c.data_subject is null as denial,
           r.root_data or r.root_actor or (r.names_recipient and r.root_recipient) as root_term
    from sides s
    join claims c using (version_id)
    join versions v using (version_id)
    join documents d using (document_id)
    join claim_receipt r using (claim_id)
), practices as (
    select side, party, action, data_type, context, recipient, bool_or(root_term) as root_term,
           list(claim_id order by claim_id) as claim_ids, min(claim_id) as claim_id,
           row_number() over (order by side, party, action, data_type, context, recipient) as practice_id
    from stated where positive
    group by side, party, action, data_type, context, recipient
), aligned as (
    -- each practice against each claim of the other side about the same action, in related terms; every
    -- relation is the other claim's term seen from the practice's ('broader': the other side's term is broader)
    select p.practice_id, o.claim_id as other_claim_id, o.root_term, o.context is not null as other_context,
           case when o.positive then 'positive' else 'denial' end as polarity,
           case when p.party = 'first_party' or o.party = 'first_party'
                  then case when p.party = o.party then 'same' end
                else entity_relation(o.party, p.party) end as party_relation,
           data_relation(o.claim_id, o.data_type, p.claim_id, p.data_type) as data_relation,
           feature_relation(o.context, p.context) as feature_relation,
           entity_relation(o.recipient, p.recipient) as recipient_relation,
           (select fc.depth from feature_closure fc where fc.descendant = p.context and fc.ancestor = o.context)
             as context_depth
    from practices p
    join stated o on o.side <> p.side and o.action = p.action and (o.positive or o.denial)
), related as (
    select *,
           mode = 'permissive' or relation = 'same' or not root_term or (polarity = 'denial' and other_context)
             as counts
    from (
        select *,
               case when [party_relation, data_relation, feature_relation, recipient_relation]
                         = ['same', 'same', 'same', 'same'] then 'same'
                    when not list_contains([party_relation, data_relation, feature_relation, recipient_relation],
                                           'narrower') then 'broader'
                    else 'narrower' end as relation,
               -- how far the claim's feature is above the practice's (0: the feature itself or a sub-feature;
               -- the whole service last), to weigh it against a scope exclusion
               case when feature_relation in ('same', 'narrower') then 0 else coalesce(context_depth, 1000) end
                 as feature_distance
        from aligned
        where party_relation is not null and data_relation is not null and feature_relation is not null
          and recipient_relation is not null)
    where mode <> 'strict' or relation = 'same'
), exclusions as (
    select p.practice_id, o.claim_id as other_claim_id, fc.depth as exclusion_depth
    from practices p
    join stated o on o.side <> p.side and o.scope = 'excluded' and o.context is not null
    join feature_closure fc on fc.descendant = p.context and fc.ancestor = o.context
), summary as (
    select p.practice_id,
           bool_or(r.counts and r.polarity = 'positive' and r.relation = 'same') as has_same,
           bool_or(r.counts and r.polarity = 'positive' and r.relation = 'broader') as has_broader,
           bool_or(r.counts and r.polarity = 'positive' and r.relation = 'narrower') as has_narrower,
           bool_or(r.counts and r.polarity = 'denial' and r.relation = 'same') as denied_same,
           bool_or(r.counts and r.polarity = 'denial' and r.relation in ('same', 'broader')) as denied,
           min(r.feature_distance) filter (where r.counts and r.polarity = 'positive') as positive_distance,
           list(distinct r.other_claim_id order by r.other_claim_id)
             filter (where r.counts and r.polarity = 'positive' and r.relation = 'same') as same_ids,
           list(distinct r.other_claim_id order by r.other_claim_id)
             filter (where r.counts and r.polarity = 'positive' and r.relation = 'broader') as broader_ids,
           list(distinct r.other_claim_id order by r.other_claim_id)
             filter (where r.counts and r.polarity = 'positive' and r.relation = 'narrower') as narrower_ids,
           list(distinct r.other_claim_id order by r.other_claim_id)
             filter (where r.counts and r.polarity = 'denial' and r.relation in ('same', 'broader')) as denial_ids,
           list(distinct r.other_claim_id order by r.other_claim_id) filter (where not r.counts) as root_term_ids
    from practices p left join related r using (practice_id)
    group by p.practice_id
), excluded as (
    -- the exclusions of the practice's feature, the closest feature first
    select practice_id, min(exclusion_depth) as exclusion_depth,
           list(other_claim_id order by exclusion_depth, other_claim_id) as exclusion_ids
    from (select distinct * from exclusions)
    group by practice_id
)
select *,
       -- the other side's claims that decide the class (its exclusions, denials or statements in those terms)
       case class when 'excluded' then exclusion_ids when 'same' then same_ids when 'broader' then broader_ids
                  when 'narrower' then narrower_ids when 'denied' then denial_ids else [] end as deciding_ids
from (
select p.side, p.party, p.action, p.data_type, p.context, p.recipient, p.root_term, p.claim_ids,
       case when e.exclusion_depth is not null and coalesce(s.positive_distance, 1000) > e.exclusion_depth
              then 'excluded'
            when s.has_same then 'same'
            when s.denied_same then 'denied'
            when s.has_broader then 'broader'
            when s.denied then 'denied'
            when s.has_narrower then 'narrower'
            else 'absent' end as class,
       coalesce(s.same_ids, []) as same_ids, coalesce(s.broader_ids, []) as broader_ids,
       coalesce(s.narrower_ids, []) as narrower_ids, coalesce(s.denial_ids, []) as denial_ids,
       coalesce(e.exclusion_ids, []) as exclusion_ids, coalesce(s.root_term_ids, []) as root_term_ids,
       mode::varchar as consistency_mode
from practices p
join summary s using (practice_id)
left join excluded e using (practice_id));
