package azure

import (
	"testing"
	"time"

	"github.com/opencsp/opencsp/internal/csp"
)

// Microsoft's non-payment disable is lifted only by Microsoft, the
// partner's cancel only by the partner; each refusal leaves the
// subscription as it was.
func TestNonPaymentDisableIsLiftedOnlyByMicrosoft(t *testing.T) {
	t14 := time.Date(2026, 1, 5, 14, 0, 0, 0, time.UTC)
	sub := Subscription{ID: subA, Status: StatusActive, StatusSince: t14.Add(-5 * time.Hour)}
	if err := sub.SetStatus(StatusDisabled, DisabledNonPayment, t14); err != nil {
		t.Fatal(err)
	}
	if sub.Status != StatusDisabled || sub.DisabledReason != DisabledNonPayment || !sub.StatusSince.Equal(t14) {
		t.Fatalf("disabled: %+v", sub)
	}
	was := sub
	for _, c := range []struct {
		to    Status
		party DisabledReason
		code  csp.Code
	}{
		{StatusActive, DisabledByPartner, csp.EAzureDisabledForNonPayment},
		{StatusDisabled, DisabledByPartner, csp.EAzureSubscriptionStatusSame},
		{StatusDisabled, DisabledNonPayment, csp.EAzureSubscriptionStatusSame},
	} {
		if err := sub.SetStatus(c.to, c.party, t14.Add(time.Hour)); csp.ErrorCode(err) != c.code || sub != was {
			t.Errorf("%s by %s: %v, %+v", c.to, c.party, err, sub)
		}
	}
	if err := sub.SetStatus(StatusActive, DisabledNonPayment, t14.Add(210*time.Minute)); err != nil || sub.DisabledReason != "" ||
		!sub.StatusSince.Equal(time.Date(2026, 1, 5, 17, 30, 0, 0, time.UTC)) {
		t.Fatalf("enabled: %+v %v", sub, err)
	}

	// The partner's cancel, and a row disabled before reasons were kept.
	for _, reason := range []DisabledReason{DisabledByPartner, ""} {
		sub := Subscription{ID: subA, Status: StatusDisabled, StatusSince: t14, DisabledReason: reason}
		was := sub
		if err := sub.SetStatus(StatusActive, DisabledNonPayment, t14.Add(time.Hour)); csp.ErrorCode(err) != csp.EAzureNotDisabledForNonPayment || sub != was {
			t.Errorf("operator enabling a partner's cancel (%q): %v %+v", reason, err, sub)
		}
		if err := sub.SetStatus(StatusActive, DisabledByPartner, t14.Add(time.Hour)); err != nil || sub.Status != StatusActive {
			t.Errorf("partner reactivating its cancel (%q): %v %+v", reason, err, sub)
		}
	}
}

func TestNonPaymentReason(t *testing.T) {
	if r, err := CheckNonPaymentReason("nonPayment"); err != nil || r != DisabledNonPayment {
		t.Fatalf("nonPayment: %q %v", r, err)
	}
	for _, bad := range []string{"", "partner", "NonPayment", "fraud"} {
		if _, err := CheckNonPaymentReason(bad); csp.ErrorCode(err) != csp.EAzureInvalidDisabledReason {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
