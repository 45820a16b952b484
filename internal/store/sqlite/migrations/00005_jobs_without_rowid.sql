-- +goose Up
-- The jobs table keyed by its primary key alone (WITHOUT ROWID): a job's
-- row lives in its key's B-tree, so rescheduling one touches two B-trees
-- (the table and jobs_due), not three.
CREATE TABLE jobs_new (
    kind     TEXT NOT NULL,
    ref      TEXT NOT NULL,
    due_at   TIMESTAMP NOT NULL,
    priority INTEGER NOT NULL,
    PRIMARY KEY (kind, ref)
) WITHOUT ROWID;
INSERT INTO jobs_new SELECT kind, ref, due_at, priority FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_due ON jobs (due_at, priority, kind, ref);

-- +goose Down
SELECT 1;
