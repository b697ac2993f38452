"""The database chains every audit entry to the previous one by hash, at insert.

PostgreSQL: a BEFORE INSERT trigger takes the chain's advisory lock (held to the end of the
transaction, so concurrent writers extend the chain one after the other), numbers the entry
under it and sets prev_hash and hash. SQLite: an AFTER INSERT trigger seals the new row (the
only update the append-only trigger lets through: a row without hash getting one, nothing else
changed); the hash function is registered on every connection (acompana.audit.chain).
Entries already written are chained here, in the order they were written.
"""

from django.db import migrations

POSTGRES = [
    """CREATE FUNCTION audit_entry_hash(previous text, at timestamptz, user_id integer,
           actor text, action text, subject text, target text, outcome text, changes jsonb,
           address inet, program_id bigint) RETURNS varchar AS $$
         SELECT encode(sha256(convert_to(previous || json_build_array(
           at AT TIME ZONE 'UTC', user_id, actor, action, subject, target, outcome, changes,
           host(address), program_id)::text, 'UTF8')), 'hex')
       $$ LANGUAGE sql IMMUTABLE""",
    """CREATE FUNCTION audit_entry_chain() RETURNS trigger AS $$
       DECLARE previous varchar(64);
       BEGIN
         PERFORM pg_advisory_xact_lock(7361002115);  -- the chain's head: one writer at a time
         -- Numbered under the lock, so the chain's order is the ids' order; an archive being
         -- loaded (import-all) keeps its own ids, in order, and is chained as it comes.
         IF current_setting('acompana.audit_keep_ids', true) IS DISTINCT FROM 'on' THEN
           NEW.id := nextval(pg_get_serial_sequence('audit_auditentry', 'id'));
         END IF;
         SELECT hash INTO previous FROM audit_auditentry ORDER BY id DESC LIMIT 1;
         NEW.prev_hash := coalesce(previous, '');
         NEW.hash := audit_entry_hash(NEW.prev_hash, NEW.at, NEW.user_id, NEW.actor, NEW.action,
                                      NEW.subject, NEW.target, NEW.outcome, NEW.changes,
                                      NEW.address, NEW.program_id);
         RETURN NEW;
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entry_chain BEFORE INSERT ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_entry_chain()""",
]
POSTGRES_CHAIN_EXISTING = """
    DO $$ DECLARE entry record; previous text := ''; BEGIN
      FOR entry IN SELECT * FROM audit_auditentry ORDER BY id LOOP
        UPDATE audit_auditentry SET prev_hash = previous, hash = audit_entry_hash(
            previous, entry.at, entry.user_id, entry.actor, entry.action, entry.subject,
            entry.target, entry.outcome, entry.changes, entry.address, entry.program_id)
          WHERE id = entry.id RETURNING hash INTO previous;
      END LOOP;
    END $$"""
POSTGRES_REVERSE = ["DROP TRIGGER audit_entry_chain ON audit_auditentry",
                    "DROP FUNCTION audit_entry_chain()", "DROP FUNCTION audit_entry_hash"]

COLUMNS = ("at", "user_id", "actor", "action", "subject", "target", "outcome", "changes",
           "address", "program_id")
PREVIOUS = ("coalesce((SELECT hash FROM audit_auditentry WHERE id < NEW.id "
            "ORDER BY id DESC LIMIT 1), '')")
UNCHANGED = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in ("id", *COLUMNS))
SQLITE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
        WHEN NOT (OLD.hash IS NULL AND NEW.hash IS NOT NULL AND {UNCHANGED})
        BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END""",
    """CREATE TRIGGER audit_entry_born_unsealed BEFORE INSERT ON audit_auditentry
        WHEN NEW.hash IS NOT NULL OR NEW.prev_hash IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'audit entries are chained by the database'); END""",
    f"""CREATE TRIGGER audit_entry_chain AFTER INSERT ON audit_auditentry BEGIN
        UPDATE audit_auditentry SET prev_hash = {PREVIOUS},
          hash = acompana_audit_hash({PREVIOUS}, {', '.join(f'NEW.{c}' for c in COLUMNS)})
        WHERE id = NEW.id; END""",
]
SQLITE_REVERSE = ["DROP TRIGGER audit_entry_chain", "DROP TRIGGER audit_entry_born_unsealed"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRES:
            schema_editor.execute(statement)
        schema_editor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_change")
        schema_editor.execute(POSTGRES_CHAIN_EXISTING)
        schema_editor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_change")
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
        _chain_existing_on_sqlite(schema_editor)


def _chain_existing_on_sqlite(schema_editor):
    """Seal the entries already written, oldest first (each an allowed first sealing)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id FROM audit_auditentry WHERE hash IS NULL ORDER BY id")
        for (entry_id,) in cursor.fetchall():
            previous = PREVIOUS.replace("NEW.id", "%s")
            cursor.execute(
                f"UPDATE audit_auditentry SET prev_hash = {previous}, hash = acompana_audit_hash("
                f"{previous}, {', '.join(COLUMNS)}) WHERE id = %s",
                [entry_id, entry_id, entry_id])


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_program_and_hash_chain")]
    operations = [migrations.RunPython(forwards, backwards)]
