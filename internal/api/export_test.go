package api

import "github.com/go-chi/chi/v5"

// Routes exposes the router to the tests, which walk it.
func (s *Server) Routes() chi.Routes { return s.router() }
