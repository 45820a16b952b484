package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/store"
)

// DisableAzureSubscription is Microsoft disabling an Azure subscription
// (operator only): reason is nonPayment. As the partner's cancel, its
// resources stop metering at once and it turns read-only; unlike it, only
// the operator enables it again. The partner's audit records show the
// change.
func (a *App) DisableAzureSubscription(ctx context.Context, p csp.Principal, id uuid.UUID, reason string) (*azure.Subscription, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	why, err := azure.CheckNonPaymentReason(reason)
	if err != nil {
		return nil, err
	}
	return a.operatorAzureStatus(ctx, p, id, azure.StatusDisabled, why)
}

// EnableAzureSubscription is Microsoft re-enabling an Azure subscription it
// disabled for non-payment (operator only): the resources that run meter
// again from now. A subscription its partner disabled is the partner's to
// reactivate.
func (a *App) EnableAzureSubscription(ctx context.Context, p csp.Principal, id uuid.UUID) (*azure.Subscription, error) {
	if err := requireOperator(p); err != nil {
		return nil, err
	}
	return a.operatorAzureStatus(ctx, p, id, azure.StatusActive, azure.DisabledNonPayment)
}

func (a *App) operatorAzureStatus(ctx context.Context, p csp.Principal, id uuid.UUID, status azure.Status, party azure.DisabledReason) (*azure.Subscription, error) {
	var sub *azure.Subscription
	err := a.write(ctx, func(tx store.Tx, now time.Time) error {
		var err error
		if sub, err = tx.GetAzureSubscription(ctx, id, store.LockUpdate); err != nil {
			return err
		}
		t, err := tx.GetTenant(ctx, sub.TenantID)
		if err != nil {
			return err
		}
		return a.setAzureStatus(ctx, tx, now, p, sub, status, party, t.DisplayName)
	})
	return sub, err
}
