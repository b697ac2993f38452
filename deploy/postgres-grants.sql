-- Run as acompana_owner after every `acompana migrate` (docs/deployment.md), e.g.
--   psql "postgres://acompana_owner:...@127.0.0.1/acompana" -f deploy/postgres-grants.sql
-- The app may read and write records, but only add to the audit trail: never change it,
-- delete from it or empty it (the triggers refuse changes too; TRUNCATE skips triggers).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO acompana_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO acompana_app;
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_auditentry FROM acompana_app;
-- Migrations belong to the owner; the app only reads which ones ran.
REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM acompana_app;
