// Package ids makes the program's ids (GUIDs): time-ordered random ones in
// normal use, and a repeatable sequence in a sandbox started with --seed,
// so that the same scenario gives the same world on every run. Secrets
// (keys, passwords, tokens, sessions) never come from here.
package ids

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"

	"github.com/google/uuid"
)

// Source makes ids.
type Source interface {
	New() uuid.UUID
}

// Random makes UUID version 7 ids: random, and ordered by the wall time
// they were made at (which keeps indexes on them compact).
type Random struct{}

// New answers a new id.
func (Random) New() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// Seeded makes a repeatable sequence of ids from a seed. Each id has the
// layout of a version 7 UUID whose 48-bit "time" is a counter, so ids sort
// in the order they were made, like Random's, and the rest comes from a
// ChaCha8 stream of the seed.
type Seeded struct {
	mu     sync.Mutex
	n      uint64
	chacha *rand.ChaCha8
}

// NewSeeded starts the sequence of seed.
func NewSeeded(seed uint64) *Seeded {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	copy(key[8:], "opencsp ids from a sandbox seed")
	return &Seeded{chacha: rand.NewChaCha8(key)}
}

// New answers the next id of the sequence.
func (s *Seeded) New() uuid.UUID {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	var u uuid.UUID
	// Bytes 0-5: the counter; 6-7: version 7 and 12 random bits; 8-15:
	// the RFC 4122 variant and 62 random bits.
	binary.BigEndian.PutUint64(u[0:8], s.n<<16|s.chacha.Uint64()&0x0fff)
	binary.BigEndian.PutUint64(u[8:16], s.chacha.Uint64())
	u[6] = 0x70 | (u[6] & 0x0f)
	u[8] = 0x80 | (u[8] & 0x3f)
	return u
}
