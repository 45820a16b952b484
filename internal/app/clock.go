package app

import (
	"context"
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
// (Go or ISO 8601 grammar, see clock.Add) when to is zero (operator only).
// Every piece of time-driven work due by the new time is processed first,
// in time order (RunDue), so the state reached depends only on the target.
func (a *App) AdvanceClock(ctx context.Context, p csp.Principal, duration string, to time.Time) (ClockAdvance, error) {
	if err := requireOperator(p); err != nil {
		return ClockAdvance{}, err
	}
	if a.sandbox == nil {
		return ClockAdvance{}, csp.Errorf(csp.ENotSandbox, "the clock can only be advanced in a sandbox: start the server with --sandbox (or opencsp demo)")
	}
	now := a.sandbox.Now()
	target := to
	switch {
	case duration != "" && !to.IsZero():
		return ClockAdvance{}, csp.Errorf(csp.EInvalidField, "give either duration or to, not both")
	case duration != "":
		t, err := clock.Add(now, duration)
		if err != nil {
			return ClockAdvance{}, csp.Errorf(csp.EInvalidDuration, "%s", err.Error())
		}
		target = t
	case to.IsZero():
		return ClockAdvance{}, csp.Errorf(csp.EMissingField, "give duration (720h, P1M, PT12H) or to (RFC 3339)")
	}
	target = target.UTC().Truncate(clock.Precision)
	if target.Before(now) {
		return ClockAdvance{}, csp.Errorf(csp.EClockBackwards, "to %s is before the clock's now %s: the sandbox clock only moves forward", target.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	processed, err := a.RunDue(ctx, target)
	if err != nil {
		return ClockAdvance{}, err
	}
	err = a.store.Write(ctx, func(tx store.Tx) error {
		if err := tx.SetSetting(ctx, settingSandboxNow, target.Format(time.RFC3339Nano)); err != nil {
			return err
		}
		return a.audit(ctx, tx, p, csp.AuditRecord{ResourceType: csp.ResClock, OperationType: csp.OpAdvanceClock},
			map[string]any{"now": now}, map[string]any{"now": target})
	})
	if err != nil {
		return ClockAdvance{}, err
	}
	a.sandbox.Set(target)
	return ClockAdvance{Now: target, ProcessedEvents: processed}, nil
}

// RunScheduler does due work against the wall clock every interval until
// ctx ends (normal mode; a sandbox moves only when advanced).
func (a *App) RunScheduler(ctx context.Context, interval time.Duration) {
	if a.sandbox != nil {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := a.RunDue(ctx, a.Now()); err != nil && ctx.Err() == nil {
			slog.Error("scheduler", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
