// Package server puts the APIs and the console behind one handler.
package server

import (
	"net/http"
	"strings"

	"github.com/opencsp/opencsp/internal/api"
	"github.com/opencsp/opencsp/internal/app"
	"github.com/opencsp/opencsp/internal/console"
)

// Handler answers the APIs' paths (api.Serves: /v1, /admin/v1, /tenant/v1,
// Graph, GDAP at /v1.0 and the token endpoint, Azure Resource Manager at
// /arm/, case-insensitively) with the APIs and everything else with the console.
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
		if api.Serves(strings.ToLower(r.URL.Path)) {
			apis.ServeHTTP(w, r)
			return
		}
		con.ServeHTTP(w, r)
	}), nil
}
