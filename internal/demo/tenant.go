package demo

import (
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/azure"
	"github.com/opencsp/opencsp/internal/csp/directory"
	"github.com/opencsp/opencsp/internal/csp/gdap"
)

// delegatedAdmin gives Northwind admin rights in Woodgrove Bank through
// GDAP: a helpdesk security group in Northwind's own tenant holding Hal,
// an approved two-year relationship with User and License Administrator,
// and an access assignment of both to the group. A second relationship,
// with Woodgrove Bank Europe, waits for that customer's approval.
func (s *seeder) delegatedAdmin(agent, hqAdmin csp.Principal, partnerID uuid.UUID, hq, eu *csp.Tenant) {
	var group uuid.UUID
	s.step(func() error {
		sec, mail := true, false
		g, err := s.a.CreateGroup(s.ctx, agent, partnerID, directory.Group{DisplayName: "Northwind Helpdesk", MailNickname: "helpdesk"},
			directory.GroupKind{SecurityEnabled: &sec, MailEnabled: &mail})
		if err != nil {
			return err
		}
		group = g.ID
		return s.a.AddGroupMember(s.ctx, agent, partnerID, group, "hal@northwindcloud.example")
	})
	roles := []uuid.UUID{directory.UserAdministrator, directory.LicenseAdministrator, directory.DirectoryReaders}
	var active *gdap.Relationship
	s.step(func() (err error) {
		active, err = s.a.CreateGDAPRelationship(s.ctx, agent, gdap.NewRelationship{DisplayName: "Northwind-Woodgrove-Helpdesk", Duration: "P730D",
			CustomerTenantID: hq.ID, CustomerDisplayName: hq.DisplayName, Roles: roles})
		return err
	})
	s.step(func() error { _, err := s.a.RequestGDAPAction(s.ctx, agent, active.ID, "lockForApproval"); return err })
	s.step(func() error { _, err := s.a.TenantGDAPAction(s.ctx, hqAdmin, active.ID, "approve"); return err })
	s.step(func() error {
		_, err := s.a.CreateGDAPAccessAssignment(s.ctx, agent, active.ID, app.NewAccessAssignment{GroupID: group, ContainerType: "securityGroup",
			Roles: []uuid.UUID{directory.UserAdministrator, directory.LicenseAdministrator}})
		return err
	})
	s.step(func() error {
		pending, err := s.a.CreateGDAPRelationship(s.ctx, agent, gdap.NewRelationship{DisplayName: "Northwind-WoodgroveEU-Readers", Duration: "P365D",
			CustomerTenantID: eu.ID, CustomerDisplayName: eu.DisplayName, Roles: []uuid.UUID{directory.DirectoryReaders}})
		if err != nil {
			return err
		}
		_, err = s.a.RequestGDAPAction(s.ctx, agent, pending.ID, "lockForApproval")
		return err
	})
}

// azure creates an Azure subscription under Woodgrove Bank Europe's Azure
// plan with a resource group, a running virtual machine and a storage
// account, so that advancing the clock meters usage.
func (s *seeder) azure(agent csp.Principal, t *csp.Tenant, plan uuid.UUID) {
	if plan == uuid.Nil {
		return
	}
	var sub *azure.Subscription
	s.step(func() (err error) {
		sub, err = s.a.CreateAzureSubscription(s.ctx, agent, t.ID, plan, "Production")
		return err
	})
	if s.err != nil {
		return
	}
	c := app.ARMCaller{TenantID: t.ID, Principal: agent, Caller: azure.Caller{PrincipalIDs: []uuid.UUID{agent.UserID}, AdminAgentOf: &agent.PartnerID}}
	s.step(func() error {
		_, _, err := s.a.PutResourceGroup(s.ctx, c, azure.GroupScope(sub.ID, "web-rg"), "westeurope", map[string]string{"env": "prod"})
		return err
	})
	s.step(func() error {
		_, _, err := s.a.PutResource(s.ctx, c, azure.NewResourceID(sub.ID, "web-rg", azure.TypeVirtualMachine, "web-vm-01"),
			azure.Spec{Location: "westeurope", Sku: "Standard_B2s"})
		return err
	})
	s.step(func() error {
		_, _, err := s.a.PutResource(s.ctx, c, azure.NewResourceID(sub.ID, "web-rg", azure.TypeStorageAccount, "woodgroveeuweb"),
			azure.Spec{Location: "westeurope", Sku: "Standard_LRS", Kind: "StorageV2"})
		return err
	})
}
