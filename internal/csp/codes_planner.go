package csp

// Channel plans (4570-4599): the planner of a move to another CSP partner
// or another purchasing channel (DESIGN.md "Purchasing channels",
// commerce-rules ..R-42).
const (
	EPlanNotFound          Code = 4570 // no such channel plan of the caller's tenant
	EPlanDestination       Code = 4571 // destination names neither or both of partnerId and channel
	EPlanPartnerNotFound   Code = 4572 // destination.partnerId names no CSP partner
	EPlanPartnerNotLinked  Code = 4573 // the destination partner has no reseller relationship with the tenant: accept its invitation first
	EPlanChannelInvalid    Code = 4574 // destination.channel is not direct, ea or mcaE
	EPlanChannelIsCSP      Code = 4575 // destination.channel csp: a CSP destination is a partner, named by partnerId
	EPlanNothingToMove     Code = 4576 // every live licence subscription of the tenant is already at the destination
	EPlanAlreadyApplied    Code = 4577 // the plan was applied already: its steps are scheduled
	EPlanStale             Code = 4578 // the plan was worked out on an earlier day: its dates no longer hold; create a new one
	EPlanPartnerCannotSell Code = 4579 // the destination partner may not sell to the tenant (market, sale policy, indirect reseller)
	EPlanCartRefused       Code = 4580 // a buy step's line is one the destination partner's cart refuses on the step's day: the step fails with the line's error
)

// JobChannelPlan is an applied channel plan's next due step (its ref is
// the plan's id): the scheduler carries the steps out on their days.
const JobChannelPlan JobKind = "channelPlan"

func init() {
	for c, k := range map[Code]Kind{
		EPlanNotFound: KindNotFound, EPlanPartnerNotFound: KindNotFound, EPlanAlreadyApplied: KindConflict,
	} {
		kinds[c] = k
	}
}
