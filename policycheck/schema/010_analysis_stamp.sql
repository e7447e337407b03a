-- Captures analysed again when the analysis changed (issue 9, "verdicts a researcher can defend"): ingest records
-- which analysis computed a capture's rows, and replaces them when a later policycheck analyses the file again.
-- Column meanings: README.md, section flows.

-- sha256 of the code, data files, mappings and library versions the flows and observations were computed with
-- (policycheck.flows.stamp.analysis_stamp); NULL for captures stored before: unknown, so analysed again.
alter table captures add column analysis_stamp varchar;
-- the request type (id or API path) a single-body capture (hexdump) was ingested with: a setting the analysis
-- needs again, as the other settings of the row (NULL: none given, or ingested before this column)
alter table captures add column request_type varchar;

-- observations without the foreign key on flows: re-analysis deletes a capture's observations and flows and
-- inserts the new ones in one transaction, and DuckDB checks a foreign key against the rows as committed (a flow
-- whose observations are deleted in the same transaction is still referenced). Ingest writes observations only
-- with the flows they belong to; the table is otherwise the same, rows and ids kept.
create table observations_010 (
    observation_id bigint primary key,
    flow_id        bigint not null,      -- flows.flow_id
    data_type      varchar not null,
    field_path     varchar not null,
    detector       varchar not null,
    confidence     double not null,
    value_redacted varchar not null,
    field_name     varchar
);
insert into observations_010 select observation_id, flow_id, data_type, field_path, detector, confidence,
    value_redacted, field_name from observations;
drop table observations;
alter table observations_010 rename to observations;
