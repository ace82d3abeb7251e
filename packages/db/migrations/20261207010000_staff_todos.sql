-- Staff to-dos: steps that staff take by hand (a service with no workflow, a
-- filing without an API) and workflow failures to look into. Workflows create
-- them under a dedupe key, so a redelivered activity finds its to-do instead
-- of adding another. Assigning and completing write audit_events rows with
-- entity_type 'StaffTodo' in the same transaction. Timestamps come from the
-- application's clock.

CREATE TABLE staff_todos (
  id text PRIMARY KEY,
  dedupe_key text NOT NULL UNIQUE CHECK (dedupe_key <> ''),
  kind text NOT NULL CHECK (kind IN ('manual_step', 'failure')),
  title text NOT NULL CHECK (title <> ''),
  detail text NOT NULL,
  order_id text,
  entry_key text,
  assigned_to text REFERENCES staff_accounts (id),
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  -- Account id of the staff member who completed it.
  completed_by text,
  note text,
  CHECK ((completed_at IS NULL) = (completed_by IS NULL)),
  CHECK (completed_at IS NULL OR (note IS NOT NULL AND btrim(note) <> ''))
);
CREATE INDEX staff_todos_open_idx ON staff_todos (created_at) WHERE completed_at IS NULL;
CREATE INDEX staff_todos_assigned_to_idx ON staff_todos (assigned_to);
CREATE INDEX staff_todos_order_id_idx ON staff_todos (order_id);
