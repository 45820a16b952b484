// Package console is the server-rendered web console.
package console

import (
	"net/http"

	"github.com/opencsp/opencsp/internal/app"
)

// New builds the console over the use cases.
func New(a *app.App) (http.Handler, error) {
	return http.NotFoundHandler(), nil
}
