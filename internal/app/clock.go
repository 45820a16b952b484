package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/opencsp/opencsp/internal/clock"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/store"
)

// ClockAdvance is the result of moving the sandbox clock.
type ClockAdvance struct {
	Now             time.Time
	ProcessedEvents int
}

// AdvanceClock moves the sandbox clock forward to `to`, or by `duration`
// (Go or ISO 8601 grammar, see clock.Add) when to is zero (operator only),
// at most csp.MaxAdvanceYears. Every job due by the new time is done first,
// in time order, so the state reached depends only on the target.
//
// The advance is durable step by step: its target is stored first, each
// batch of jobs moves the stored clock to the time of its last job in the
// same transaction, and a restart (of any instance on the database)
// resumes it. While it runs, writes answer EClockAdvancing; another advance
// to the same target waits for it and answers its result, and one to
// another target answers EClockAdvancing.
func (a *App) AdvanceClock(ctx context.Context, p csp.Principal, duration string, to time.Time) (ClockAdvance, error) {
	if err := requireOperator(p); err != nil {
		return ClockAdvance{}, err
	}
	if !a.sandbox {
		return ClockAdvance{}, csp.Errorf(csp.ENotSandbox, "the clock can only be advanced in a sandbox: start the server with --sandbox (or opencsp demo)")
	}
	switch {
	case duration != "" && !to.IsZero():
		return ClockAdvance{}, csp.Errorf(csp.EInvalidField, "give either duration or to, not both")
	case duration == "" && to.IsZero():
		return ClockAdvance{}, csp.Errorf(csp.EMissingField, "give duration (720h, P1M, PT12H) or to (RFC 3339)")
	}
	var target time.Time
	err := a.store.Write(ctx, func(tx store.Tx) error {
		c, ok, err := tx.SandboxClock(ctx, store.LockUpdate)
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("the database has no sandbox clock")
		}
		if target, err = advanceTarget(c.Now, duration, to); err != nil {
			return err
		}
		if c.AdvancingTo != nil {
			if c.AdvancingTo.Equal(target) || (duration != "" && c.AdvanceFrom != nil && advanceMatches(*c.AdvanceFrom, duration, *c.AdvancingTo)) {
				// The same advance already runs: wait for it too.
				return nil
			}
			return advancing(c)
		}
		from := c.Now
		c.AdvancingTo, c.AdvanceFrom, c.Processed = &target, &from, 0
		if err := tx.SetSandboxClock(ctx, c); err != nil {
			return err
		}
		if err := a.audit(ctx, tx, c.Now, p, csp.AuditRecord{ResourceType: csp.ResClock, OperationType: csp.OpAdvanceClock},
			map[string]any{"now": c.Now}, map[string]any{"now": target}); err != nil {
			return err
		}
		return markCommitted(ctx, tx)
	})
	if err != nil {
		return ClockAdvance{}, err
	}
	return a.finishAdvance(ctx, true)
}

// ClockState is the program's time and, in a sandbox, the advance in
// progress (nil when none).
type ClockState struct {
	Now         time.Time
	AdvancingTo *time.Time
}

// Clock reads the program's time and the advance in progress.
func (a *App) Clock(ctx context.Context) (ClockState, error) {
	if !a.sandbox {
		return ClockState{Now: a.wall.Now()}, nil
	}
	c, err := a.storedClock(ctx)
	return ClockState{Now: c.Now, AdvancingTo: c.AdvancingTo}, err
}

// storedClock reads the sandbox clock as it is stored.
func (a *App) storedClock(ctx context.Context) (store.SandboxClock, error) {
	var c store.SandboxClock
	err := a.store.Read(ctx, func(tx store.Tx) (err error) {
		c, _, err = tx.SandboxClock(ctx, store.LockNone)
		return err
	})
	return c, err
}

// advanceTarget is where an advance from now by duration, or to to, goes.
func advanceTarget(now time.Time, duration string, to time.Time) (time.Time, error) {
	target := to
	if duration != "" {
		t, err := clock.Add(now, duration)
		if err != nil {
			return time.Time{}, csp.Errorf(csp.EInvalidDuration, "%s", err.Error())
		}
		target = t
	}
	target = target.UTC().Truncate(clock.Precision)
	if target.Before(now) {
		return time.Time{}, csp.Errorf(csp.EClockBackwards, "to %s is before the clock's now %s: the sandbox clock only moves forward", target.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	if limit := clock.AddMonths(now, 12*csp.MaxAdvanceYears); target.After(limit) {
		return time.Time{}, csp.Errorf(csp.EAdvanceTooLong, "one advance covers at most %d years (to %s at the latest from %s): advance in several steps",
			csp.MaxAdvanceYears, limit.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	return target, nil
}

// advanceMatches reports whether an advance by duration from `from` ends at target.
func advanceMatches(from time.Time, duration string, target time.Time) bool {
	t, err := clock.Add(from, duration)
	return err == nil && t.UTC().Truncate(clock.Precision).Equal(target)
}

// finishAdvance drives the stored advance to its end when this instance
// can take the scheduler's lease, or waits while another instance does
// (wait false: answers at once instead).
func (a *App) finishAdvance(ctx context.Context, wait bool) (ClockAdvance, error) {
	for {
		if res, ok, err := a.withLease(context.WithoutCancel(ctx), a.driveAdvance); ok && !errors.Is(err, store.ErrLeaseLost) {
			// The advance went on even if the caller left: it is the
			// database's, not the request's.
			return res, err
		} else if err != nil && !errors.Is(err, store.ErrLeaseLost) {
			return ClockAdvance{}, err
		}
		c, err := a.storedClock(ctx)
		if err != nil {
			return ClockAdvance{}, err
		}
		if c.AdvancingTo == nil || !wait {
			return ClockAdvance{Now: c.Now, ProcessedEvents: int(c.Processed)}, nil
		}
		select {
		case <-ctx.Done():
			return ClockAdvance{}, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// driveAdvance runs the stored advance, if any, to its target; the caller
// holds the scheduler's lease.
func (a *App) driveAdvance(ctx context.Context) (ClockAdvance, error) {
	c, err := a.storedClock(ctx)
	if err != nil {
		return ClockAdvance{}, err
	}
	if c.AdvancingTo == nil {
		return ClockAdvance{Now: c.Now, ProcessedEvents: int(c.Processed)}, nil
	}
	target := *c.AdvancingTo
	if _, err := a.runner.Run(ctx, target); err != nil {
		return ClockAdvance{}, err
	}
	err = a.store.Write(ctx, func(tx store.Tx) error {
		if err := a.runner.Hold(ctx, tx); err != nil {
			return err
		}
		var err error
		if c, _, err = tx.SandboxClock(ctx, store.LockUpdate); err != nil {
			return err
		}
		c.Now, c.AdvancingTo, c.AdvanceFrom = target, nil, nil
		return tx.SetSandboxClock(ctx, c)
	})
	if err != nil {
		return ClockAdvance{}, err
	}
	return ClockAdvance{Now: target, ProcessedEvents: int(c.Processed)}, nil
}

// afterBatch ends each scheduler batch's transaction: in a sandbox the
// stored clock moves to the batch's last job, so that after a crash it
// never lags the work already recorded, and the advance counts its events.
func (a *App) afterBatch(ctx context.Context, tx store.Tx, last time.Time, events int) error {
	if !a.sandbox {
		return nil
	}
	return tx.MoveSandboxClock(ctx, last, int64(events))
}

// withLease runs fn holding the scheduler's lease: ok is false (and fn
// does not run) when this process is already running the scheduler or
// another instance holds the lease.
func (a *App) withLease(ctx context.Context, fn func(context.Context) (ClockAdvance, error)) (ClockAdvance, bool, error) {
	if !a.running.TryLock() {
		return ClockAdvance{}, false, nil
	}
	defer a.running.Unlock()
	ok, err := a.runner.Acquire(ctx)
	if err != nil || !ok {
		return ClockAdvance{}, false, err
	}
	defer func() {
		if err := a.runner.Release(ctx); err != nil {
			slog.Warn("release scheduler lease", "err", err)
		}
	}()
	res, err := fn(ctx)
	return res, true, err
}

// RunDue does every job due by until, when this instance can take the
// scheduler's lease (one runner at a time across instances), and answers
// the events recorded; ok is false when another runner is at work.
func (a *App) RunDue(ctx context.Context, until time.Time) (events int, ok bool, err error) {
	if a.sandbox {
		// A sandbox's work runs inside advances, while writes are refused
		// (subscription jobs read without locks there).
		return 0, false, errors.New("RunDue: a sandbox runs due work only in clock advances")
	}
	res, ok, err := a.withLease(ctx, func(ctx context.Context) (ClockAdvance, error) {
		n, err := a.runner.Run(ctx, until)
		return ClockAdvance{ProcessedEvents: n}, err
	})
	return res.ProcessedEvents, ok, err
}

// RunScheduler does due work until ctx ends: against the wall clock every
// interval outside a sandbox; in a sandbox, it resumes (polling every
// second) an advance that an instance left unfinished when it stopped.
func (a *App) RunScheduler(ctx context.Context, interval time.Duration) {
	if a.sandbox {
		interval = time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		var err error
		if a.sandbox {
			_, err = a.finishAdvance(ctx, false)
		} else {
			_, _, err = a.RunDue(ctx, a.wall.Now())
		}
		if err != nil && ctx.Err() == nil {
			slog.Error("scheduler", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
