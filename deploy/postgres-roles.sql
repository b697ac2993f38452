-- PostgreSQL roles for Acompaña: run as the postgres superuser, e.g.
--   sudo -u postgres psql -v app_password="'...'" -v owner_password="'...'" -f deploy/postgres-roles.sql
-- acompana_owner owns the database and its tables and runs migrations, backups and restores;
-- acompana_app is what the web app logs in as: it reads and writes records but owns nothing,
-- so it cannot drop the audit trail's triggers, and it may only add to the audit trail.

CREATE ROLE acompana_owner LOGIN PASSWORD :owner_password;
CREATE ROLE acompana_app LOGIN PASSWORD :app_password;
CREATE DATABASE acompana OWNER acompana_owner ENCODING 'UTF8' TEMPLATE template0;
\connect acompana
REVOKE ALL ON DATABASE acompana FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE acompana TO acompana_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO acompana_owner;
GRANT USAGE ON SCHEMA public TO acompana_app;
