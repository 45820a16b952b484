package client

import (
	"context"
	"net/http"
	"time"
)

// PlanDestination is a channel plan's destination: a CSP partner or a
// channel (direct, ea, mcaE).
type PlanDestination struct {
	PartnerID string `json:"partnerId,omitempty"`
	Channel   string `json:"channel,omitempty"`
}

// PlanStep is one dated step of a channel plan.
type PlanStep struct {
	SubscriptionID            string     `json:"subscriptionId"`
	Action                    string     `json:"action"`
	Date                      string     `json:"date"`
	LastDayToTurnOffAutoRenew string     `json:"lastDayToTurnOffAutoRenew,omitempty"`
	From                      string     `json:"from"`
	ProductID                 string     `json:"productId"`
	SkuID                     string     `json:"skuId"`
	OfferName                 string     `json:"offerName"`
	Quantity                  int        `json:"quantity"`
	TermDuration              string     `json:"termDuration,omitempty"`
	BillingCycle              string     `json:"billingCycle,omitempty"`
	Reason                    string     `json:"reason,omitempty"`
	State                     string     `json:"state"`
	Result                    string     `json:"result,omitempty"`
	DoneDateTime              *time.Time `json:"doneDateTime,omitempty"`
}

// ChannelPlan is a tenant's plan for moving to another partner or channel.
type ChannelPlan struct {
	ID              string          `json:"id"`
	TenantID        string          `json:"tenantId"`
	Destination     PlanDestination `json:"destination"`
	DestinationName string          `json:"destinationName"`
	Steps           []PlanStep      `json:"steps"`
	Skipped         []struct {
		SubscriptionID string `json:"subscriptionId"`
		Reason         string `json:"reason"`
	} `json:"skipped"`
	CreatedDateTime time.Time  `json:"createdDateTime"`
	AppliedDateTime *time.Time `json:"appliedDateTime,omitempty"`
	AppliedBy       string     `json:"appliedBy,omitempty"`
}

// CreateChannelPlan plans a move of the caller's tenant (its Global
// Administrator's key).
func (c *Client) CreateChannelPlan(ctx context.Context, dest PlanDestination) (*ChannelPlan, error) {
	var out ChannelPlan
	_, err := c.Do(ctx, http.MethodPost, "/tenant/v1/channelPlans", map[string]any{"destination": dest}, &out, nil)
	return &out, err
}

// ChannelPlan reads a plan of the caller's tenant.
func (c *Client) ChannelPlan(ctx context.Context, id string) (*ChannelPlan, error) {
	var out ChannelPlan
	_, err := c.Do(ctx, http.MethodGet, "/tenant/v1/channelPlans/"+id, nil, &out, nil)
	return &out, err
}

// ApplyChannelPlan schedules a plan's steps.
func (c *Client) ApplyChannelPlan(ctx context.Context, id string) (*ChannelPlan, error) {
	var out ChannelPlan
	_, err := c.Do(ctx, http.MethodPost, "/tenant/v1/channelPlans/"+id+"/apply", nil, &out, nil)
	return &out, err
}
