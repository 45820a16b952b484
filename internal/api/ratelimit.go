package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"

	"golang.org/x/time/rate"

	"github.com/opencsp/opencsp/internal/csp"
)

// limiter throttles each partner (and each customer tenant) to a number of
// requests per minute, as Partner Center does per partner tenant. Over the
// limit a request answers 429 with Retry-After; nothing is done.
type limiter struct {
	perMinute int
	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
}

func newLimiter(perMinute int) *limiter {
	if perMinute <= 0 {
		return nil
	}
	return &limiter{perMinute: perMinute, buckets: map[string]*rate.Limiter{}}
}

// bucket answers the token bucket of one caller: the partner for partner
// users, the tenant for customer users; the operator is not throttled.
func (l *limiter) bucket(p csp.Principal) *rate.Limiter {
	var key string
	switch p.Kind {
	case csp.PrincipalPartner:
		key = "partner:" + p.PartnerID.String()
	case csp.PrincipalTenant:
		key = "tenant:" + p.TenantID.String()
	default:
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		// A minute's worth refills evenly; a sixth of it may come at once.
		b = rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), max(1, l.perMinute/6))
		l.buckets[key] = b
	}
	return b
}

func (s *Server) throttle(next http.Handler) http.Handler { return s.throttleAs(writeError)(next) }

// throttleAs is throttle answering 429 with fail (an API's own error shape).
func (s *Server) throttleAs(fail func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if s.limits == nil {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if b := s.limits.bucket(principal(r)); b != nil {
				res := b.Reserve()
				if d := res.Delay(); d > 0 {
					res.Cancel()
					secs := int(math.Ceil(d.Seconds()))
					w.Header().Set("Retry-After", strconv.Itoa(secs))
					fail(w, r, csp.Errorf(csp.ERateLimited, "too many requests: this partner may send %d requests a minute; retry after %d second(s)", s.limits.perMinute, secs))
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}
