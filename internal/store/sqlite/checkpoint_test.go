package sqlite

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// openPair opens a writer connection with the store's settings and a
// checkpointer (ticking once an hour: the test drives it) on a new file.
func openPair(t *testing.T, hardLimit int64) (*sql.DB, *checkpointer, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wal.db")
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	w, err := sql.Open("sqlite", base+writer)
	if err != nil {
		t.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	t.Cleanup(func() { w.Close() })
	if _, err := w.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	cpDB, err := sql.Open("sqlite", base)
	if err != nil {
		t.Fatal(err)
	}
	c := startCheckpointer(cpDB, time.Hour, hardLimit)
	t.Cleanup(func() { c.Close() })
	return w, c, path + "-wal"
}

// fill commits n rows of 1 KiB each, 100 per transaction.
func fill(t *testing.T, w *sql.DB, from, n int) {
	t.Helper()
	v := strings.Repeat("x", 1024)
	for i := from; i < from+n; i += 100 {
		tx, err := w.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for j := i; j < i+100 && j < from+n; j++ {
			if _, err := tx.Exec(`INSERT INTO t (id, v) VALUES (?, ?)`, j, v); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWriterNeverCheckpointsAndTheCheckpointerEmptiesTheLog(t *testing.T) {
	w, c, _ := openPair(t, checkpointHardLimit)
	ctx := context.Background()
	// 3,000 rows of 1 KiB: about 750 pages of data, more than 1,000 frames
	// with the index and the repeated root pages. SQLite's default would
	// have checkpointed at 1,000 frames; the writer's log keeps growing.
	fill(t, w, 0, 3000)
	frames, err := c.checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if frames < 1000 {
		t.Fatalf("the log held %d frames after 3,000 rows: the writer checkpointed on its own", frames)
	}
	// The checkpoint copied the whole log: the writer's next transaction
	// starts it again from the beginning, so the next log is small.
	fill(t, w, 3000, 10)
	if frames, err = c.checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if frames > 50 {
		t.Errorf("the log held %d frames after 10 more rows: it was not restarted after a full checkpoint", frames)
	}
	var n int
	if err := w.QueryRow(`SELECT COUNT(*) FROM t`).Scan(&n); err != nil || n != 3010 {
		t.Errorf("rows = %d (%v), want 3010", n, err)
	}
}

func TestCheckpointerTruncatesALogPastTheHardLimit(t *testing.T) {
	w, c, wal := openPair(t, 100)
	fill(t, w, 0, 1000)
	if _, err := c.checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(wal)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() != 0 {
		t.Errorf("the log is %d bytes after a checkpoint past the hard limit, want 0 (truncated)", st.Size())
	}
}
