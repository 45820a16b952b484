package app

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/opencsp/opencsp/internal/clock"
	"github.com/opencsp/opencsp/internal/csp"
)

// addressLimiter counts failed authentications per client address: each
// address may fail perMinute times a minute (refilled evenly), then every
// attempt from it answers EAuthThrottled until the budget refills. It is
// per instance: behind a load balancer each instance keeps its own count.
type addressLimiter struct {
	perMinute int
	wall      clock.Clock
	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
}

// maxAddresses bounds the addresses remembered; when it is reached, the
// addresses whose budget is whole again are forgotten.
const maxAddresses = 10000

func newAddressLimiter(perMinute int, wall clock.Clock) *addressLimiter {
	if perMinute < 0 {
		return nil
	}
	return &addressLimiter{perMinute: perMinute, wall: wall, buckets: map[string]*rate.Limiter{}}
}

func (l *addressLimiter) bucket(addr string) *rate.Limiter {
	b, ok := l.buckets[addr]
	if !ok {
		if len(l.buckets) >= maxAddresses {
			now := l.wall.Now()
			for k, v := range l.buckets {
				if v.TokensAt(now) >= float64(l.perMinute) {
					delete(l.buckets, k)
				}
			}
		}
		b = rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.perMinute)
		l.buckets[addr] = b
	}
	return b
}

// check answers EAuthThrottled when addr has no failures left.
func (l *addressLimiter) check(addr string) error {
	if l == nil || addr == "" {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.wall.Now()
	b := l.bucket(addr)
	if tokens := b.TokensAt(now); tokens < 1 {
		wait := time.Duration(math.Ceil((1-tokens)/float64(b.Limit()))) * time.Second
		return csp.Errorf(csp.EAuthThrottled, "too many failed authentications from this address (at most %d a minute): retry after %d second(s) with a valid key",
			l.perMinute, int(wait.Seconds())).WithRetryAfter(wait)
	}
	return nil
}

// fail counts one failed authentication from addr.
func (l *addressLimiter) fail(addr string) {
	if l == nil || addr == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bucket(addr).AllowN(l.wall.Now(), 1)
}
