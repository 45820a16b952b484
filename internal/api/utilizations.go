package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/openapi"
)

var utilizationsDoc = []openapi.Operation{
	{Method: http.MethodGet, Path: "/v1/customers/{customer-id}/subscriptions/{subscription-id}/utilizations/azure", Tag: "Azure plan", Paged: true,
		Summary: "An Azure subscription's utilization records (unrated usage), by hour or by UTC day",
		Description: "{subscription-id} is the Azure subscription's id (an entitlement's id). Records of hours the usage jobs have posted; " +
			"start_time before end_time, at whole hours (daily: at 00:00Z), at most 90 days apart. The next page is links.next " +
			"(seek_operation=Next) with its MS-ContinuationToken header.",
		Query: []openapi.Param{
			{Name: "start_time", Required: true, Description: "RFC 3339 date-time: the first hour read."},
			{Name: "end_time", Required: true, Description: "RFC 3339 date-time: the end of the last hour read (exclusive)."},
			{Name: "granularity", Enum: []string{"daily", "hourly"}, Description: "Default daily."},
			{Name: "show_details", Enum: []string{"true", "false"}, Description: "true (default): one record per resource; false: summed over the resources of each meter, without instanceData."},
			{Name: "seek_operation", Enum: []string{"Next"}, Description: "Sent with the continuation token by links.next."}},
		Responses: openapi.OK(collection[utilizationJSON]{})},
}

// utilizationJSON is Partner Center's AzureUtilizationRecord.
type utilizationJSON struct {
	UsageStartTime time.Time         `json:"usageStartTime"`
	UsageEndTime   time.Time         `json:"usageEndTime"`
	Resource       azureResourceJSON `json:"resource"`
	Quantity       json.Number       `json:"quantity"`
	Unit           string            `json:"unit"`
	InfoFields     map[string]string `json:"infoFields"`
	InstanceData   *instanceDataJSON `json:"instanceData,omitempty"`
	Attributes     map[string]string `json:"attributes"`
}

// azureResourceJSON is Partner Center's AzureResource: the meter used.
type azureResourceJSON struct {
	ID          uuid.UUID `json:"id"`
	Name        string    `json:"name"`
	Category    string    `json:"category"`
	Subcategory string    `json:"subcategory"`
	Region      string    `json:"region"`
}

// instanceDataJSON is Partner Center's AzureInstanceData: the resource that
// used the meter.
type instanceDataJSON struct {
	ResourceURI    string            `json:"resourceUri"`
	Location       string            `json:"location"`
	PartNumber     string            `json:"partNumber"`
	OrderNumber    string            `json:"orderNumber"`
	AdditionalInfo map[string]string `json:"additionalInfo"`
	Tags           map[string]string `json:"tags"`
}

func utilizationOf(r azure.UsageRecord, details bool) utilizationJSON {
	u := utilizationJSON{UsageStartTime: r.Start.UTC(), UsageEndTime: r.End.UTC(),
		Resource: azureResourceJSON{ID: r.MeterID, Name: r.MeterName, Category: r.MeterCategory, Subcategory: r.MeterSubCategory, Region: r.MeterRegion},
		Quantity: json.Number(r.Quantity.String()), Unit: r.Unit, InfoFields: map[string]string{}, Attributes: attrs("AzureUtilizationRecord")}
	if details {
		tags := r.Tags
		if tags == nil {
			tags = map[string]string{}
		}
		u.InstanceData = &instanceDataJSON{ResourceURI: r.ResourceURI, Location: r.Location, AdditionalInfo: map[string]string{}, Tags: tags}
	}
	return u
}

// utilizationQuery reads start_time, end_time, granularity and show_details.
func utilizationQuery(q url.Values) (app.UtilizationQuery, error) {
	var out app.UtilizationQuery
	for _, f := range []struct {
		name string
		to   *time.Time
	}{{"start_time", &out.From}, {"end_time", &out.To}} {
		raw := q.Get(f.name)
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			return out, csp.Errorf(csp.EAzureInvalidUsageTime, "%s %q is not an RFC 3339 date-time: both start_time and end_time are required, e.g. 2026-03-01T00:00:00Z", f.name, raw).
				WithData("field=" + f.name)
		}
		*f.to = t.UTC()
	}
	switch g := strings.ToLower(q.Get("granularity")); g {
	case "", "daily":
		out.Daily = true
	case "hourly":
	default:
		return out, csp.Errorf(csp.EAzureInvalidGranularity, "granularity %q is not valid: use daily (the default) or hourly", q.Get("granularity")).WithData("field=granularity")
	}
	switch d := strings.ToLower(q.Get("show_details")); d {
	case "", "true":
		out.ShowDetails = true
	case "false":
	default:
		return out, csp.Errorf(csp.EAzureInvalidShowDetails, "show_details %q is not valid: use true (the default, one record per resource) or false", q.Get("show_details")).WithData("field=show_details")
	}
	return out, nil
}

func (s *Server) azureUtilization(w http.ResponseWriter, r *http.Request) {
	c, sub, err := planPath(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	q, err := utilizationQuery(r.URL.Query())
	if err != nil {
		writeError(w, r, err)
		return
	}
	kind := strings.Join([]string{"utilization", sub.String(), q.From.Format(time.RFC3339), q.To.Format(time.RFC3339),
		map[bool]string{true: "daily", false: "hourly"}[q.Daily], map[bool]string{true: "details", false: "meters"}[q.ShowDetails]}, ":")
	pg, err := page[app.UsageCursor](r, kind, app.MaxPageSize)
	if err != nil {
		writeError(w, r, err)
		return
	}
	got, err := s.app.AzureUtilizationRecords(r.Context(), principal(r), c, sub, q, pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	items := make([]utilizationJSON, len(got.Items))
	for i, rec := range got.Items {
		items[i] = utilizationOf(rec, q.ShowDetails)
	}
	self := r.URL.Query()
	for _, k := range []string{"seek_operation", "seekoperation", "seekOperation", "continuationToken"} {
		self.Del(k)
	}
	col := newCollection(items, "/customers/"+c.String()+"/subscriptions/"+sub.String()+"/utilizations/azure?"+self.Encode(), nextToken(kind, got.Next))
	if next, ok := col.Links["next"]; ok {
		// The utilization reference names its seek parameter seek_operation.
		next.URI = strings.Replace(next.URI, "seekOperation=Next", "seek_operation=Next", 1)
		col.Links["next"] = next
	}
	writeJSON(w, http.StatusOK, col)
}
