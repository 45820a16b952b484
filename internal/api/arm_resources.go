package api

import (
	"net/http"
	"strings"

	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
)

// ARM's resource groups and resources: PUT creates (201, or 200 for the
// types whose create ARM answers 200/202) or updates (200); DELETE answers
// 200, or 204 for a resource that is not there (decision 103).

type armGroupOut struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Properties struct {
		ProvisioningState string `json:"provisioningState"`
	} `json:"properties"`
}

func armGroup(g azure.ResourceGroup) armGroupOut {
	out := armGroupOut{ID: g.ID.String(), Name: g.ID.Group, Type: "Microsoft.Resources/resourceGroups", Location: g.Location, Tags: g.Tags}
	out.Properties.ProvisioningState = "Succeeded"
	return out
}

// armGroup serves PUT, GET, DELETE and HEAD on a resource group.
func (s *Server) armGroup(a *armCall) error {
	id, err := a.group()
	if err != nil {
		return err
	}
	ctx := a.r.Context()
	switch a.r.Method {
	case http.MethodPut:
		var in struct {
			Location string            `json:"location"`
			Tags     map[string]string `json:"tags"`
		}
		if err := decode(a.r, &in); err != nil {
			return err
		}
		g, created, err := s.app.PutResourceGroup(ctx, a.c, id, in.Location, in.Tags)
		if err != nil {
			return err
		}
		writeJSON(a.w, createdStatus(created, http.StatusCreated), armGroup(g))
		return nil
	case http.MethodGet, http.MethodHead:
		g, err := s.app.GetResourceGroup(ctx, a.c, id)
		if err != nil {
			return err
		}
		if a.r.Method == http.MethodHead {
			a.w.WriteHeader(http.StatusNoContent)
			return nil
		}
		writeJSON(a.w, http.StatusOK, armGroup(*g))
		return nil
	case http.MethodDelete:
		if err := s.app.DeleteResourceGroup(ctx, a.c, id); err != nil {
			return err
		}
		a.w.WriteHeader(http.StatusOK)
		return nil
	}
	return a.methodNotAllowed()
}

func (s *Server) armListGroups(a *armCall) error {
	sub, err := a.subscription()
	if err != nil {
		return err
	}
	groups, err := s.app.ListResourceGroups(a.r.Context(), a.c, sub.Subscription)
	if err != nil {
		return err
	}
	out := make([]armGroupOut, len(groups))
	for i, g := range groups {
		out[i] = armGroup(g)
	}
	writeJSON(a.w, http.StatusOK, newARMCollection(out))
	return nil
}

// armListResources lists the resources of the subscription (inGroup false)
// or of the path's resource group, all of them or those of one type
// ("{namespace}/{type}[/{child}]"; a child type under the path's parent).
func (s *Server) armListResources(a *armCall, inGroup bool, typ string) error {
	var (
		list []azure.Resource
		err  error
	)
	if inGroup {
		group, gerr := a.group()
		if gerr != nil {
			return gerr
		}
		list, err = s.app.ListResources(a.r.Context(), a.c, group)
	} else {
		sub, serr := a.subscription()
		if serr != nil {
			return serr
		}
		list, err = s.app.ListSubscriptionResources(a.r.Context(), a.c, sub.Subscription)
	}
	if err != nil {
		return err
	}
	var want azure.Type
	var parent string // a parent's id key, for its children
	if typ != "" {
		ns, rest, _ := strings.Cut(typ, "/")
		segs := strings.Split(rest, "/")
		if len(segs) == 3 { // {type}/{name}/{child}
			segs = []string{segs[0], segs[2]}
			parent = strings.ToLower("/" + strings.Join(a.segs[:len(a.segs)-1], "/"))
		}
		t, ok := azure.LookupType(ns, segs)
		if !ok {
			return csp.Errorf(csp.EAzureUnknownResourceType, "The resource type '%s' could not be found in the namespace '%s': this program models %s", strings.Join(segs, "/"), ns, armTypeList())
		}
		want = t
	}
	out := []armResourceOut{}
	expand := strings.EqualFold(a.r.URL.Query().Get("$expand"), "instanceView")
	for _, r := range list {
		if want != "" && r.ID.Type != want || parent != "" && !strings.HasPrefix(r.ID.Key(), parent+"/") {
			continue
		}
		out = append(out, armResource(r, expand))
	}
	writeJSON(a.w, http.StatusOK, newARMCollection(out))
	return nil
}

func armTypeList() string {
	names := make([]string, len(azure.Types))
	for i, t := range azure.Types {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// armResourceIn is a resource's PUT body: what each modelled type reads.
type armResourceIn struct {
	Location string            `json:"location"`
	Tags     map[string]string `json:"tags"`
	Kind     string            `json:"kind"`
	Sku      *struct {
		Name string `json:"name"`
	} `json:"sku"`
	Properties struct {
		HardwareProfile struct {
			VMSize string `json:"vmSize"`
		} `json:"hardwareProfile"`
		AddressSpace struct {
			AddressPrefixes []string `json:"addressPrefixes"`
		} `json:"addressSpace"`
		ServerFarmID string `json:"serverFarmId"`
	} `json:"properties"`
}

func (in armResourceIn) spec(t azure.Type) azure.Spec {
	s := azure.Spec{Location: in.Location, Tags: in.Tags, Kind: in.Kind,
		AddressPrefixes: in.Properties.AddressSpace.AddressPrefixes, ServerFarmID: in.Properties.ServerFarmID}
	switch {
	case t == azure.TypeVirtualMachine:
		s.Sku = in.Properties.HardwareProfile.VMSize
	case in.Sku != nil:
		s.Sku = in.Sku.Name
	}
	return s
}

func (s *Server) armPutResource(a *armCall, id azure.ResourceID) error {
	var in armResourceIn
	if err := decode(a.r, &in); err != nil {
		return err
	}
	r, created, err := s.app.PutResource(a.r.Context(), a.c, id, in.spec(id.Type))
	if err != nil {
		return err
	}
	writeJSON(a.w, createdStatus(created, armCreatedStatus(id.Type)), armResource(r, false))
	return nil
}

// armCreatedStatus is the status of a PUT that creates a resource of type
// t: ARM's storage accounts, App Service plans and web apps answer 200 (or
// 202 while they provision, which never lasts here), the others 201.
func armCreatedStatus(t azure.Type) int {
	switch t {
	case azure.TypeStorageAccount, azure.TypeAppServicePlan, azure.TypeWebApp:
		return http.StatusOK
	}
	return http.StatusCreated
}

// createdStatus answers status for a create, 200 for an update.
func createdStatus(created bool, status int) int {
	if created {
		return status
	}
	return http.StatusOK
}

func (s *Server) armGetResource(a *armCall, id azure.ResourceID) error {
	r, err := s.app.GetResource(a.r.Context(), a.c, id)
	if err != nil {
		return err
	}
	writeJSON(a.w, http.StatusOK, armResource(*r, strings.EqualFold(a.r.URL.Query().Get("$expand"), "instanceView")))
	return nil
}

func (s *Server) armDeleteResource(a *armCall, id azure.ResourceID) error {
	err := s.app.DeleteResource(a.r.Context(), a.c, id)
	switch {
	case err == nil:
		a.w.WriteHeader(http.StatusOK)
	case csp.ErrorCode(err) == csp.EAzureResourceNotFound:
		a.w.WriteHeader(http.StatusNoContent)
	default:
		return err
	}
	return nil
}

// armPower serves POST .../virtualMachines/{name}/start|deallocate: 200,
// the action done (ARM answers 202 while it runs, which never lasts here).
func (s *Server) armPower(a *armCall, id azure.ResourceID, action string) error {
	var err error
	if action == "start" {
		_, err = s.app.StartVM(a.r.Context(), a.c, id)
	} else {
		_, err = s.app.DeallocateVM(a.r.Context(), a.c, id)
	}
	if err != nil {
		return err
	}
	a.w.WriteHeader(http.StatusOK)
	return nil
}

// armInstanceView serves GET .../virtualMachines/{name}/instanceView.
func (s *Server) armInstanceView(a *armCall, id azure.ResourceID) error {
	r, err := s.app.GetResource(a.r.Context(), a.c, id)
	if err != nil {
		return err
	}
	if r.ID.Type != azure.TypeVirtualMachine {
		return csp.Errorf(csp.EAzureInvalidOperation, "%s is a %s: instanceView is a view of virtual machines", r.ID, r.ID.Type)
	}
	writeJSON(a.w, http.StatusOK, armInstanceViewOf(*r))
	return nil
}
