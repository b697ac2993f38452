"""The chain's trigger, a third cheaper per entry: same chain, same hashes.

Each entry used to look up the id's sequence by name in the catalog (pg_get_serial_sequence)
and call the hash as a function of its own; the sequence is now named once, here, and the hash
is computed in the trigger from the same expression `audit_entry_hash` is made of (both are
written from HASHED below, so they cannot drift apart). Measured on 30,000 entries written by
one INSERT ... SELECT: 470 ms with the old trigger, 370 ms with this one, 175 ms without any
(the trigger's own cost down from about 10 to 6.5 microseconds an entry).
"""

from django.db import migrations

# The hashed text of an entry: the previous hash, then its covered fields as a JSON array
# (acompana.audit.chain.COVERED), `{p}` standing for where the fields are read from.
HASHED = ("encode(sha256(convert_to({previous} || json_build_array({p}at AT TIME ZONE 'UTC', "
          "{p}user_id, {p}actor, {p}action, {p}subject, {p}target, {p}outcome, {p}changes, "
          "host({p}address), {p}program_id)::text, 'UTF8')), 'hex')")

HASH_FUNCTION = f"""CREATE OR REPLACE FUNCTION audit_entry_hash(previous text, at timestamptz,
    user_id integer, actor text, action text, subject text, target text, outcome text,
    changes jsonb, address inet, program_id bigint) RETURNS varchar AS $$
  SELECT {HASHED.format(previous="previous", p="")}
$$ LANGUAGE sql IMMUTABLE"""

CHAIN_FUNCTION = """CREATE OR REPLACE FUNCTION audit_entry_chain() RETURNS trigger AS $$
  DECLARE previous varchar(64);
  BEGIN
    PERFORM pg_advisory_xact_lock(7361002115);  -- the chain's head: one writer at a time
    -- Numbered under the lock, so the chain's order is the ids' order; an archive being
    -- loaded (import-all) keeps its own ids, in order, and is chained as it comes.
    IF current_setting('acompana.audit_keep_ids', true) IS DISTINCT FROM 'on' THEN
      NEW.id := nextval('{sequence}'::regclass);
    END IF;
    SELECT hash INTO previous FROM audit_auditentry ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := coalesce(previous, '');
    NEW.hash := {hashed};
    RETURN NEW;
  END; $$ LANGUAGE plpgsql SET enable_seqscan = off"""

OLD_CHAIN_FUNCTION = """CREATE OR REPLACE FUNCTION audit_entry_chain() RETURNS trigger AS $$
  DECLARE previous varchar(64);
  BEGIN
    PERFORM pg_advisory_xact_lock(7361002115);
    IF current_setting('acompana.audit_keep_ids', true) IS DISTINCT FROM 'on' THEN
      NEW.id := nextval(pg_get_serial_sequence('audit_auditentry', 'id'));
    END IF;
    SELECT hash INTO previous FROM audit_auditentry ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := coalesce(previous, '');
    NEW.hash := audit_entry_hash(NEW.prev_hash, NEW.at, NEW.user_id, NEW.actor, NEW.action,
                                 NEW.subject, NEW.target, NEW.outcome, NEW.changes,
                                 NEW.address, NEW.program_id);
    RETURN NEW;
  END; $$ LANGUAGE plpgsql SET enable_seqscan = off"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('audit_auditentry', 'id')")
        sequence = cursor.fetchone()[0]
    schema_editor.execute(HASH_FUNCTION)
    schema_editor.execute(CHAIN_FUNCTION.format(
        sequence=sequence, hashed=HASHED.format(previous="NEW.prev_hash", p="NEW.")))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_CHAIN_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_chain_head_by_index")]
    operations = [migrations.RunPython(forwards, backwards)]
