--liquibase formatted sql

--changeset team-crm:20240410-1 labels:release-2024.05 dbms:postgresql
--comment: CRM-440: look up customers by e-mail in the support tool; customers has 8 million rows
CREATE INDEX idx_customers_email ON customers (email);
--rollback DROP INDEX idx_customers_email;

--changeset team-crm:20240410-2 labels:release-2024.05 dbms:postgresql
--comment: CRM-441: "phone" is ambiguous now that we also store landlines
ALTER TABLE customers RENAME COLUMN phone TO mobile_phone;
--rollback ALTER TABLE customers RENAME COLUMN mobile_phone TO phone;

--changeset team-crm:20240410-3 labels:release-2024.05 dbms:postgresql
--comment: CRM-445: every address belongs to a customer; customer_addresses has 12 million rows
ALTER TABLE customer_addresses ADD CONSTRAINT fk_customer_addresses_customers FOREIGN KEY (customer_id) REFERENCES customers (id);
