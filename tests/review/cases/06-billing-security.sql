--liquibase formatted sql

--changeset team-billing:20240409-1 labels:release-2024.05 dbms:postgresql
--comment: BILL-520: login for the nightly invoice export job
CREATE ROLE invoice_export LOGIN PASSWORD 'Exp0rt!Nightly2024';
GRANT SELECT ON invoices TO invoice_export;

--changeset team-billing:20240409-2 labels:release-2024.05
--comment: BILL-523: void the draft invoices left over from the old billing run
UPDATE invoices SET status = 'VOID';

--changeset jdoe:20240409-3 labels:release-2024.05
--comment: BILL-530: invoice overview for the support dashboard
CREATE VIEW invoice_overview AS SELECT * FROM invoices;
--rollback DROP VIEW invoice_overview;
