package csp

import (
	"time"

	"github.com/google/uuid"
)

// Vetting statuses of a qualification request (Partner Center's
// vettingStatus).
const (
	VettingInReview = "InReview"
	VettingApproved = "Approved"
	VettingDenied   = "Denied"
)

// QualificationRequest is a partner's request to qualify a customer for a
// segment (education, government, nonprofit, or back to commercial). The
// segment is a fact of the tenant, shared by all its partners, so it
// changes only once the request is validated: by the operator, or at
// once in a sandbox.
type QualificationRequest struct {
	ID            uuid.UUID
	TenantID      uuid.UUID
	PartnerID     uuid.UUID
	Qualification string // Partner Center's name: Education, GovernmentCommunityCloud, ...
	Segment       Segment
	Status        string // VettingInReview, VettingApproved or VettingDenied
	CreatedAt     time.Time
	DecidedAt     *time.Time
}

// Decide approves or denies a request that is still in review.
func (q *QualificationRequest) Decide(approve bool, at time.Time) error {
	if q.Status != VettingInReview {
		return Errorf(EQualificationDecided, "qualification request %s is already %s", q.ID, q.Status)
	}
	q.Status = VettingDenied
	if approve {
		q.Status = VettingApproved
	}
	q.DecidedAt = &at
	return nil
}
