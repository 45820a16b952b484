package csp

// Transfers between CSP partners, their request body and states
// (4500-4519): Partner Center's TransferEntity (partner-center-api.md §9,
// commerce-rules ).
const (
	ETransferNotFound            Code = 4500 // no such transfer where the caller's partner is the source or the target (or, for a customer, of its tenant)
	ETransferSourceRequired      Code = 4501 // sourcePartnerTenantId is absent or not a GUID: the target names the partner the subscriptions come from
	ETransferSourceNotFound      Code = 4502 // sourcePartnerTenantId names no CSP partner
	ETransferSamePartner         Code = 4503 // the source and the target are the same partner: a transfer moves subscriptions between two partners
	ETransferTargetNotCaller     Code = 4504 // targetPartnerTenantId names another partner: the target partner creates the transfer itself
	ETransferCustomerEmail       Code = 4505 // customerEmailId is absent or not an email address
	ETransferType                Code = 4506 // transferType is not 5 (NewCommerce) or 3 (ModernAzure)
	ETransferTypeProducts        Code = 4507 // targetProductTypes names no product type the transferType moves: 3 (ModernAzure) moves AzureSubscription, 5 (NewCommerce) OnlineServicesNCE
	ETransferProductType         Code = 4508 // targetProductTypes names a value Partner Center does not list
	ETransferStatusValue         Code = 4509 // a PATCH status other than Cancel (the target) or Decline (the source)
	ETransferNotActive           Code = 4510 // adding line items, submitting or cancelling needs status Active
	ETransferNotAwaitingApproval Code = 4511 // approving needs status InProgress under the source's review policy
	ETransferClosed              Code = 4512 // the transfer is Completed, Expired, Failed, Cancelled, Declined or Rejected: nothing changes it any more
	ETransferSourceOnly          Code = 4513 // only the source partner adds line items, submits, approves or declines a transfer
	ETransferTargetOnly          Code = 4514 // only the target partner that created the transfer cancels it
	ETransferPolicy              Code = 4515 // outgoing is not automatic or review
	ETransferReadOnlyField       Code = 4516 // a PATCH changes a field of the request the target set (sourcePartnerTenantId, customerEmailId, transferType, ...)
)

// Transfer eligibility (4520-4549): who may transfer and what
// moves. Each names the rule and what to do.
const (
	ETransferTargetNoRelationship Code = 4520 // the target partner has no reseller relationship with the customer: the customer accepts its invitation first
	ETransferSourceNoRelationship Code = 4521 // the source partner has no reseller relationship with the customer
	ETransferTargetMarket         Code = 4522 // the target partner is not authorised in the customer's market
	ETransferTargetSalePolicy     Code = 4523 // the target partner's sale policy does not cover the customer's segment or region
	ETransferTargetReseller       Code = 4524 // the target is an indirect reseller: its indirect provider is the target, naming it as partner of record
	ETransferCurrency             Code = 4525 // the subscription is billed in another currency than the target's for this customer
	ETransferLineSubscription     Code = 4526 // the line's subscription is not one of the source partner's subscriptions of the customer
	ETransferLineNotActive        Code = 4527 // only an active subscription moves: not suspended, expired, disabled or deleted
	ETransferLineTrial            Code = 4528 // a trial does not move: convert it to paid first
	ETransferLineNotLicence       Code = 4529 // only new-commerce licence subscriptions move: not the Azure plan, nor a partner's own service
	ETransferLineQuantity         Code = 4530 // a line's quantity is from 1 to the subscription's seats (a partial transfer moves fewer)
	ETransferLineDuplicate        Code = 4531 // two line items name the same subscription
	ETransferTooManyLines         Code = 4532 // a transfer carries at most 25 line items
	ETransferNoLines              Code = 4533 // submitting needs at least one line item: the source adds them with PATCH first
	ETransferOfferNotSellable     Code = 4534 // the target may not sell the line's offer to this customer (its catalog, the customer's segment, a price in its currency)
	ETransferLineInOtherTransfer  Code = 4535 // the subscription is on another open transfer: finish, decline or cancel that one first
	ETransferLineAddOn            Code = 4536 // an add-on subscription does not move (not simulated): it stays with the source until its term ends
)

// Azure transfers (4540-4549): an Azure plan's Azure subscriptions moving
// to the target's Azure plan for the customer.
const (
	ETransferAzureLineKind          Code = 4540 // a line's kind does not match the transferType: Azure subscriptions and the Azure plan move in a transferType 3, licence subscriptions in a 5
	ETransferAzurePlanEmpty         Code = 4541 // the line names the source's Azure plan and no Azure subscription is under it: there is nothing to move
	ETransferAzureLineOverlap       Code = 4542 // a line names the Azure plan and another names one of its Azure subscriptions: the plan's line moves them all already
	ETransferAzureTargetPlanBlocked Code = 4543 // the target's Azure plan for the customer is not active: reactivate it before Azure subscriptions move under it
	ETransferAzureTargetAgreement   Code = 4544 // the target must create its Azure plan for the customer and the customer has not attested the Microsoft Customer Agreement with it
	ETransferAzurePlanNotSellable   Code = 4545 // the target may not buy the Azure plan for the customer (its catalog, market or a cart rule): its Azure plan cannot be created
)

func init() {
	for c, k := range map[Code]Kind{
		ETransferNotFound: KindNotFound, ETransferSourceNotFound: KindNotFound,
		ETransferNotActive: KindConflict, ETransferNotAwaitingApproval: KindConflict, ETransferClosed: KindConflict,
		ETransferSourceOnly: KindForbidden, ETransferTargetOnly: KindForbidden, ETransferLineInOtherTransfer: KindConflict,
		ETransferAzureTargetPlanBlocked: KindConflict,
	} {
		kinds[c] = k
	}
}
