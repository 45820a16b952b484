package csp

// Subscriptions bought outside CSP, which the operator records for a
// tenant (4550-4569).
const (
	EChannelInvalid          Code = 4550 // channel is not direct, ea or mcaE
	EChannelIsCSP            Code = 4551 // channel csp is not recorded: CSP subscriptions come from a partner's checkout
	EChannelOfferNotFound    Code = 4552 // productId:skuId names no SKU of Microsoft's catalog
	EChannelNotLicence       Code = 4553 // the SKU is not licence-based (the Azure plan, a partner's own service): only seats are recorded
	EChannelTrial            Code = 4554 // a trial SKU is not bought through another channel: record its paid SKU
	EChannelInvalidQuantity  Code = 4555 // quantity is a whole number of seats from 1 to 1,000,000
	EChannelInvalidDate      Code = 4556 // termStartDate and termEndDate are calendar dates yyyy-mm-dd in the years 2000-2099
	EChannelTermEndNotAfter  Code = 4557 // termEndDate must be after termStartDate
	EChannelTermTooLong      Code = 4558 // a term lasts at most 5 years (EA enrolments run 1 or 3)
	EChannelNotFound         Code = 4559 // no such channel subscription for the tenant
	EChannelDuplicate        Code = 4560 // the tenant already has this subscription recorded (same channel, SKU and term dates)
	EChannelImportEmpty      Code = 4561 // an import needs 1 to 500 items
	EChannelImportItemsShape Code = 4562 // one subscription goes to the single call, a list of items to the import: not the other way round
	EChannelNoChange         Code = 4563 // a change names autoRenewEnabled or quantity
	EChannelTermEnded        Code = 4564 // the recorded term ended without renewing: record the tenant's new term as its own subscription
)

func init() {
	for c, k := range map[Code]Kind{
		EChannelNotFound: KindNotFound, EChannelDuplicate: KindConflict, EChannelTermEnded: KindConflict,
	} {
		kinds[c] = k
	}
}
