-- Qualifiers of a claim that the gap rules need (issue 9).
-- data_subject: the group of people a claim is restricted to ('children' for "from children under 16",
--   儿童/未成年人), NULL when it speaks of users in general. A denial about a subgroup does not deny for others.
-- data_basis: how data_type was found from the words: 'lexicon' (an ontology name or synonym), 'head_word'
--   (the phrase is not in the ontology; its head word gave the nearest ancestor), 'fallback' (nothing known:
--   personal_information). data_text keeps the words either way, so unmapped phrases can be listed and the
--   ontology grown from them.
alter table claims add column data_subject varchar;
alter table claims add column data_basis varchar default 'lexicon';
update claims set data_basis = 'lexicon' where data_basis is null;
