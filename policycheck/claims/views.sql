-- Views over the claims tables (installed with the store's derived SQL, policycheck/store.py DERIVED_SQL).

-- Data phrases the ontology does not name: claims whose data_type was typed from the phrase's head word or
-- modifiers ('head_word') or fell back to personal_information ('fallback'), grouped by the words as written,
-- most frequent first. The list to grow mappings/data_types.yaml from (README, section "claims"):
--   policycheck sql "select * from unmapped_data_phrases limit 30"
create or replace view unmapped_data_phrases as
select lower(data_text) as data_text, data_type, data_basis, language,
       count(*) as claims, count(distinct version_id) as versions
from claims
where data_basis in ('head_word', 'fallback') and scope = 'in_scope'
group by all
order by claims desc, versions desc, data_text;
