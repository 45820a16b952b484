package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/csp"
	"github.com/opencsp/opencsp/internal/csp/gdap"
)

// Access assignments of a delegated admin relationship: Graph's
// .../delegatedAdminRelationships/{id}/accessAssignments, which give a
// security group of the partner's own tenant some of the relationship's
// roles in the customer tenant.

func (s *Server) graphAccessAssignmentRoutes(r chi.Router) {
	r.Get("/{rel}/accessassignments", graphHandler(s.graphListAssignments))
	r.Post("/{rel}/accessassignments", graphHandler(s.graphCreateAssignment))
	r.Get("/{rel}/accessassignments/{assignment}", graphHandler(s.graphGetAssignment))
	r.Patch("/{rel}/accessassignments/{assignment}", graphHandler(s.graphPatchAssignment))
	r.Delete("/{rel}/accessassignments/{assignment}", graphHandler(s.graphDeleteAssignment))
}

type graphAccessContainer struct {
	AccessContainerID   string `json:"accessContainerId"`
	AccessContainerType string `json:"accessContainerType"`
}

// graphAssignment is Graph's delegatedAdminAccessAssignment.
type graphAssignment struct {
	Context              string                `json:"@odata.context,omitempty"`
	ETag                 string                `json:"@odata.etag"`
	ID                   uuid.UUID             `json:"id"`
	Status               gdap.AssignmentStatus `json:"status"`
	AccessContainer      graphAccessContainer  `json:"accessContainer"`
	AccessDetails        graphAccessDetails    `json:"accessDetails"`
	CreatedDateTime      time.Time             `json:"createdDateTime"`
	LastModifiedDateTime time.Time             `json:"lastModifiedDateTime"`
}

func graphAssignmentOf(as *gdap.AccessAssignment) graphAssignment {
	return graphAssignment{ETag: graphETag(as.ETag()), ID: as.ID, Status: as.Status,
		AccessContainer: graphAccessContainer{AccessContainerID: as.GroupID.String(), AccessContainerType: gdap.ContainerSecurityGroup},
		AccessDetails:   accessDetailsOf(as.Roles), CreatedDateTime: as.CreatedAt, LastModifiedDateTime: as.LastModifiedAt}
}

func graphAssignmentEntity(as *gdap.AccessAssignment) graphAssignment {
	g := graphAssignmentOf(as)
	g.Context = gdapContext + "accessAssignments/$entity"
	return g
}

// assignmentBody is Graph's POST and PATCH body of an access assignment.
type assignmentBody struct {
	AccessContainer *graphAccessContainer `json:"accessContainer"`
	AccessDetails   *graphAccessDetails   `json:"accessDetails"`
}

func (b assignmentBody) roles() ([]uuid.UUID, error) {
	if b.AccessDetails == nil {
		return nil, nil
	}
	return b.AccessDetails.roleIDs()
}

// assignmentIDs reads the relationship's and the assignment's ids.
func assignmentIDs(r *http.Request) (uuid.UUID, uuid.UUID, error) {
	rel, err := graphID(r, "rel", "delegated admin relationship")
	if err != nil {
		return uuid.Nil, uuid.Nil, err
	}
	raw := chi.URLParam(r, "assignment")
	id, err := uuid.Parse(raw)
	if err != nil {
		return uuid.Nil, uuid.Nil, csp.Errorf(csp.EGDAPAssignmentNotFound, "access assignment %q was not found (ids are GUIDs)", raw)
	}
	return rel, id, nil
}

func (s *Server) graphCreateAssignment(w http.ResponseWriter, r *http.Request) error {
	relID, err := graphID(r, "rel", "delegated admin relationship")
	if err != nil {
		return err
	}
	var b assignmentBody
	if err := graphDecode(r, &b); err != nil {
		return err
	}
	var in app.NewAccessAssignment
	if b.AccessContainer != nil {
		in.ContainerType = b.AccessContainer.AccessContainerType
		if raw := b.AccessContainer.AccessContainerID; raw != "" {
			id, err := uuid.Parse(raw)
			if err != nil {
				return csp.Errorf(csp.EGDAPContainerNotGroup, "accessContainer.accessContainerId %q is not a security group id (a GUID) of your partner's own tenant", raw).
					WithData("field=accessContainer.accessContainerId")
			}
			in.GroupID = id
		}
	}
	if in.Roles, err = b.roles(); err != nil {
		return err
	}
	as, err := s.app.CreateGDAPAccessAssignment(r.Context(), principal(r), relID, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", graphBase+gdapRelationshipsPath+"/"+relID.String()+"/accessAssignments/"+as.ID.String())
	writeJSON(w, http.StatusCreated, graphAssignmentEntity(as))
	return nil
}

func (s *Server) graphListAssignments(w http.ResponseWriter, r *http.Request) error {
	relID, err := graphID(r, "rel", "delegated admin relationship")
	if err != nil {
		return err
	}
	pg, err := graphPage[app.Cursor](r, "gdapassignments", 100)
	if err != nil {
		return err
	}
	out, err := s.app.ListGDAPAccessAssignments(r.Context(), principal(r), relID, pg)
	if err != nil {
		return err
	}
	items := make([]graphAssignment, len(out.Items))
	for i, as := range out.Items {
		items[i] = graphAssignmentOf(as)
	}
	writeJSON(w, http.StatusOK, gdapCollection("accessAssignments", items, graphNextLink(r, "gdapassignments", pg.Size, out.Next)))
	return nil
}

func (s *Server) graphGetAssignment(w http.ResponseWriter, r *http.Request) error {
	relID, id, err := assignmentIDs(r)
	if err != nil {
		return err
	}
	as, err := s.app.GetGDAPAccessAssignment(r.Context(), principal(r), relID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, graphAssignmentEntity(as))
	return nil
}

// graphPatchAssignment replaces the assignment's roles. Graph answers 202
// and a long-running operation; here the change is done at once and the
// assignment answered with 200, as Graph does when nothing is left to do
// (decision 97).
func (s *Server) graphPatchAssignment(w http.ResponseWriter, r *http.Request) error {
	relID, id, err := assignmentIDs(r)
	if err != nil {
		return err
	}
	m, err := requireIfMatch(r, "access assignment")
	if err != nil {
		return err
	}
	var b assignmentBody
	if err := graphDecode(r, &b); err != nil {
		return err
	}
	if b.AccessDetails == nil {
		return csp.Errorf(csp.EEmptyPatch, "the PATCH changes nothing: send accessDetails.unifiedRoles, the roles the group is to hold")
	}
	roles, err := b.roles()
	if err != nil {
		return err
	}
	as, err := s.app.PatchGDAPAccessAssignment(r.Context(), principal(r), relID, id, roles, m)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, graphAssignmentEntity(as))
	return nil
}

func (s *Server) graphDeleteAssignment(w http.ResponseWriter, r *http.Request) error {
	relID, id, err := assignmentIDs(r)
	if err != nil {
		return err
	}
	m, err := requireIfMatch(r, "access assignment")
	if err != nil {
		return err
	}
	if _, err := s.app.DeleteGDAPAccessAssignment(r.Context(), principal(r), relID, id, m); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
