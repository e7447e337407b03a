-- How two terms relate in the ontology, seen from the first: 'same'; 'narrower' (the first lies under the second);
-- 'broader' (the second lies under the first); NULL (unrelated). A NULL term is the broadest: a statement without a
-- feature, or a share without a named recipient, speaks of all of them. Shared by contradictions.sql and
-- compare.sql; installed after gaps.sql (policycheck.store.DERIVED_SQL).
create or replace macro feature_relation(a, b) as
    case when a is not distinct from b then 'same'
         when b is null or exists (select 1 from feature_closure fc
                                   where fc.descendant = a and fc.ancestor = b and fc.depth > 0) then 'narrower'
         when a is null or exists (select 1 from feature_closure fc
                                   where fc.descendant = b and fc.ancestor = a and fc.depth > 0) then 'broader' end;

create or replace macro entity_relation(a, b) as
    case when a is not distinct from b then 'same'
         when b is null or exists (select 1 from entity_closure ec
                                   where ec.descendant = a and ec.ancestor = b and ec.depth > 0) then 'narrower'
         when a is null or exists (select 1 from entity_closure ec
                                   where ec.descendant = b and ec.ancestor = a and ec.depth > 0) then 'broader' end;

-- The data types of two claims, through claim_data_coverage: a defined term ("Log Data") covers its members.
create or replace macro data_relation(claim_a, type_a, claim_b, type_b) as
    case when type_a = type_b then 'same'
         when exists (select 1 from claim_data_coverage cov where cov.claim_id = claim_b and cov.data_type = type_a)
           then 'narrower'
         when exists (select 1 from claim_data_coverage cov where cov.claim_id = claim_a and cov.data_type = type_b)
           then 'broader' end;
