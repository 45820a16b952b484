-- +goose Up
-- (SQLite rebuilds its jobs table WITHOUT ROWID in this step; PostgreSQL's
-- tables have no rowid: nothing to do.)
SELECT 1;

-- +goose Down
SELECT 1;
