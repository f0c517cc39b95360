--liquibase formatted sql

--changeset team-billing:20240419-1 labels:release-2024.05
--comment: BILL-600: invoice_pdf_cache is unused since the PDF service went live in release 2024.03
DROP TABLE invoice_pdf_cache;

--changeset team-billing:20240419-2 labels:release-2024.05 runOnChange:true
--comment: BILL-601: standard payment terms offered to new billing accounts
INSERT INTO payment_terms (code, days_until_due) VALUES ('NET30', 30);
INSERT INTO payment_terms (code, days_until_due) VALUES ('NET60', 60);
