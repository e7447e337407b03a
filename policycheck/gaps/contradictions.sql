-- Contradictions inside one policy version: a positive and a negative statement about who receives which data,
-- after PolicyLint (Andow et al., "PolicyLint: Investigating Internal Privacy Policy Contradictions on Google
-- Play", USENIX Security 2019), with features added. Installed after gaps.sql and relations.sql (it reuses
-- claim_receipt, ontology_roots and the relation macros) (policycheck.store.DERIVED_SQL).

-- Each claim as the statements it makes about receipt (claim_receipt, the rule the gap verdicts use): a positive
-- claim says its actor holds the data and, for a share or transfer, that its recipient receives it; an
-- unconditional denial about users in general says that its actor does not collect the data (negated collect)
-- or that its recipient does not receive it (negated share or transfer). PolicyLint reads statements the same
-- way: "we share X with advertisers" is (advertiser, collect, X), "we do not share X with advertisers" is
-- (advertiser, not_collect, X).
create or replace view receipt_statements as
select c.claim_id, c.version_id, c.block_id, c.sentence, c.actor as party, 'actor' as via,
       case when r.positive then 'positive' else 'negative' end as polarity, c.data_type, c.context,
       r.root_data, r.root_actor as root_party
from claims c join claim_receipt r using (claim_id)
where r.positive or r.denies_actor
union all
select c.claim_id, c.version_id, c.block_id, c.sentence, c.recipient, 'recipient',
       case when r.positive then 'positive' else 'negative' end, c.data_type, c.context,
       r.root_data, r.root_recipient
from claims c join claim_receipt r using (claim_id)
where c.recipient is not null and r.names_recipient and (r.positive or r.denies_recipient);

-- The types, from the relation of the positive statement P = (party p, data d_p) to the negative statement
-- N = (party n, data d_n): "=" equal, "<" P's term lies under N's in the ontology, ">" P's term is broader.
-- PolicyLint's released code (github.com/benandow/PrivacyPolicyAnalysis, Consistency.py: checkContradiction1-16,
-- labelled in RemoveSameSentenceContradictions.py's contradictionMap) names the nine combinations:
--   logical contradictions   C1 p = n, d_p = d_n;  C2 p = n, d_p < d_n;  C3 p < n, d_p = d_n;  C4 p < n, d_p < d_n;
--                            C5 p > n, d_p < d_n
--   narrowing definitions    N1 p = n, d_p > d_n;  N2 p < n, d_p > d_n;  N3 p > n, d_p = d_n;  N4 p > n, d_p > d_n
-- (its C6-C12, "approximately equal" terms that share a parent, are not used: siblings do not contradict).
-- policycheck adds the feature (claims.context; NULL = the whole service): the two statements must concern
-- overlapping features (the same, or one within the other). A pair is a logical contradiction (kind 'logical')
-- when its type is C1-C5 and P's feature lies within N's (N denies it wherever P says it happens); otherwise
-- the negative statement only carves something out of the positive one (kind 'narrowing': N1-N4, or a C type
-- whose denial is about a narrower feature: "we collect your location; we do not collect it in Moments").
--
-- mode (as in the gap rules, gaps.sql): 'permissive' counts every statement; 'intermediate' (default) sets
-- root-term statements aside (data type personal_information, or a root party: third_party, tencent_group,
-- other_users; the ontology_roots view), except a denial tied to a feature whose party is not a root ("we cannot
-- obtain information you generate in third-party services"): like a scope exclusion in the gap rules, it concerns
-- the feature, not a data type, and denies everything in it; 'strict' as intermediate, and only pairs naming the
-- same party and the same data type (C1). Statements read from the same sentence never contradict each other
-- (PolicyLint, RemoveSameSentenceContradictions.py: "we do not collect personal information except your e-mail").
create or replace macro contradiction_pairs(mode := 'intermediate') as table
with statements as (
    select *,
           mode = 'permissive' or not (root_data or root_party)
             or (polarity = 'negative' and context is not null and not root_party) as counts,
           root_data or root_party as root_term
    from receipt_statements
), related as (
    select p.version_id, p.claim_id as positive_claim_id, n.claim_id as negative_claim_id,
           p.party as positive_party, n.party as negative_party, p.via as positive_via, n.via as negative_via,
           p.root_term or n.root_term as root_term,
           entity_relation(p.party, n.party) as party_relation,
           data_relation(p.claim_id, p.data_type, n.claim_id, n.data_type) as data_relation,
           feature_relation(p.context, n.context) as feature_relation
    from statements p
    join statements n on n.version_id = p.version_id and n.polarity = 'negative' and n.counts
                     and not (n.block_id = p.block_id and n.sentence = p.sentence)
    where p.polarity = 'positive' and p.counts
), typed as (
    select *,
           case party_relation || '/' || data_relation
                when 'same/same' then 'C1' when 'same/narrower' then 'C2' when 'narrower/same' then 'C3'
                when 'narrower/narrower' then 'C4' when 'broader/narrower' then 'C5'
                when 'same/broader' then 'N1' when 'narrower/broader' then 'N2' when 'broader/same' then 'N3'
                when 'broader/broader' then 'N4' end as type
    from related
    where party_relation is not null and data_relation is not null and feature_relation is not null
      and (mode <> 'strict' or (party_relation = 'same' and data_relation = 'same'))
), kinds as (
    select *,
           case when type like 'C%' and feature_relation in ('same', 'narrower') then 'logical' else 'narrowing'
           end as kind
    from typed
), best as (
    -- one row per pair of claims: a claim about a share is a statement about two parties; keep the strongest
    select * from kinds
    qualify row_number() over (partition by positive_claim_id, negative_claim_id
                               order by kind, type, feature_relation <> 'same', positive_via, negative_via) = 1
)
select b.version_id, v.document_id, d.language, v.effective_date, b.kind, b.type, b.party_relation,
       b.data_relation, b.feature_relation, b.root_term,
       b.positive_claim_id, b.positive_party, p.action as positive_action, p.data_type as positive_data_type,
       p.context as positive_context, p.sentence as positive_sentence, bp.section_path as positive_section,
       b.negative_claim_id, b.negative_party, n.action as negative_action, n.data_type as negative_data_type,
       n.context as negative_context, n.sentence as negative_sentence, bn.section_path as negative_section,
       mode::varchar as consistency_mode
from best b
join versions v using (version_id)
join documents d on d.document_id = v.document_id
join claims p on p.claim_id = b.positive_claim_id
join claims n on n.claim_id = b.negative_claim_id
join blocks bp on bp.block_id = p.block_id
join blocks bn on bn.block_id = n.block_id;

-- The contradictions users query: every version, intermediate mode.
create or replace view contradictions as select * from contradiction_pairs();
