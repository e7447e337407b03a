-- The session envelope (issue 9, "verdicts a researcher can defend"): an observation found inside a message the
-- client sends with every request, whatever the feature (WeChat's BaseRequest header: uin, device id, client
-- version, device type; `envelope: true` in mappings/endpoints.yaml). What the envelope carries shows the
-- platform's collection in general, not collection in the feature the request serves: a scope exclusion of that
-- feature is not contradicted by it (policycheck/gaps/gaps.sql). Column meanings: README.md, section flows.

-- NULL for observations stored before: their captures rest on an older analysis and are analysed again
-- (policycheck/flows/stamp.py), which fills it.
alter table observations add column envelope boolean;
