package api

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/openapi"
)

var licenseGapsDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/tenant/v1/licenseGaps", Tag: "Premium features",
		Summary:     "Users covered by a premium feature without its licence",
		Description: "Each enabled or report-only conditional access policy (Entra ID P1; risk-based, P2) and each PIM eligible assignment (P2) lists the users it covers whose own licences lack that tier.",
		Responses:   openapi.OK(collection[licenseGapJSON]{})},
}

// licenseGapJSON is one user covered by a premium feature without the
// licence for it.
type licenseGapJSON struct {
	UserID            uuid.UUID         `json:"userId"`
	UserPrincipalName string            `json:"userPrincipalName"`
	Feature           string            `json:"feature"`
	RequiredLicense   string            `json:"requiredLicense"`
	CurrentLicense    string            `json:"currentLicense"`
	SourceID          uuid.UUID         `json:"sourceId"`
	SourceName        string            `json:"sourceName"`
	Attributes        map[string]string `json:"attributes"`
}

func (s *Server) licenseGaps(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	st, err := s.app.Premium(r.Context(), p, p.TenantID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]licenseGapJSON, len(st.Gaps))
	for i, g := range st.Gaps {
		items[i] = licenseGapJSON{UserID: g.UserID, UserPrincipalName: g.UserPrincipalName, Feature: g.Feature, RequiredLicense: g.Needs.String(),
			CurrentLicense: g.Has.String(), SourceID: g.PolicyID, SourceName: g.Name, Attributes: attrs("LicenseGap")}
	}
	writeJSON(w, http.StatusOK, newCollection(items, "/licenseGaps", ""))
}
