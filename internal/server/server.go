// Package server puts the APIs and the console behind one handler.
package server

import (
	"net/http"
	"strings"

	"github.com/opencsp/opencsp/internal/api"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/console"
)

// Handler answers /v1, /admin/v1 and /tenant/v1 (case-insensitively, as
// Partner Center does) with the APIs and everything else with the console.
func Handler(a *app.App, opts ...api.Options) (http.Handler, error) {
	var o api.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	apis := api.New(a, o).Handler()
	doc, err := api.OpenAPI()
	if err != nil {
		return nil, err
	}
	con, err := console.New(a, console.WithReference(doc))
	if err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.ToLower(r.URL.Path)
		for _, prefix := range []string{"/v1/", "/admin/v1/", "/tenant/v1/"} {
			if strings.HasPrefix(p, prefix) {
				apis.ServeHTTP(w, r)
				return
			}
		}
		if p == "/openapi.json" {
			apis.ServeHTTP(w, r)
			return
		}
		con.ServeHTTP(w, r)
	}), nil
}
