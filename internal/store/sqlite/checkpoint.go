package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// checkpointer copies the write-ahead log into the database file from a
// connection of its own, so that the writer never stops for it: the
// writer's own (automatic) checkpoints are off. A checkpoint syncs the log
// and the file; done by the writer at the end of a commit it stalled every
// writer for the length of two fsyncs and the copy, and on a 2-core
// machine it can run beside the writer instead (the way Litestream runs
// SQLite). Every tick a PASSIVE checkpoint copies what it can without
// waiting for anyone; once the log has all been copied, the writer's next
// transaction starts it again from the beginning. A writer that never
// pauses could keep the log from being copied whole, and so from starting
// again: past hardLimit frames a TRUNCATE checkpoint waits for the writer
// and empties the file.
type checkpointer struct {
	db        *sql.DB
	every     time.Duration
	hardLimit int64
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// checkpointEvery is how often the log is copied; checkpointHardLimit the
// log's frames (4 KiB pages) past which the writer is made to wait (about
// 400 MB).
const (
	checkpointEvery     = 200 * time.Millisecond
	checkpointHardLimit = 100_000
)

func startCheckpointer(db *sql.DB, every time.Duration, hardLimit int64) *checkpointer {
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, every: every, hardLimit: hardLimit, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

func (c *checkpointer) run() {
	defer close(c.done)
	t := time.NewTicker(c.every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			// A failed checkpoint leaves the log to the next tick (or to
			// SQLite's own checkpoint when the last connection closes).
			_, _ = c.checkpoint(context.Background())
		}
	}
}

// checkpoint runs one PASSIVE checkpoint (and a TRUNCATE one when the log
// is past the hard limit) and answers the log's frames after it.
func (c *checkpointer) checkpoint(ctx context.Context) (int64, error) {
	var busy, log, copied int64
	if err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &copied); err != nil {
		return 0, err
	}
	if log > c.hardLimit {
		if err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &log, &copied); err != nil {
			return log, err
		}
	}
	return log, nil
}

// Close stops the checkpoints and closes the connection.
func (c *checkpointer) Close() error {
	c.closeOnce.Do(func() { close(c.stop) })
	<-c.done
	return c.db.Close()
}
