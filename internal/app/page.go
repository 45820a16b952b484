package app

import (
	"time"

	"github.com/google/uuid"

	"github.com/opencsp/opencsp/internal/store"
)

// Cursor is the position in a listing ordered by a time, then id:
// subscriptions, orders and agreements by creation, history events and
// audit records by date, charges by posting.
type Cursor struct {
	At time.Time `json:"t"`
	ID uuid.UUID `json:"i"`
}

func (c *Cursor) store() *store.Cursor {
	if c == nil {
		return nil
	}
	return &store.Cursor{At: c.At, ID: c.ID}
}

// CustomerCursor is the position in a partner's customer listing (by the
// partner's lower-cased company name, then tenant id).
type CustomerCursor struct {
	NameKey  string    `json:"n"`
	TenantID uuid.UUID `json:"i"`
}

func (c *CustomerCursor) store() *store.CustomerCursor {
	if c == nil {
		return nil
	}
	return &store.CustomerCursor{NameKey: c.NameKey, TenantID: c.TenantID}
}

// MaxPageSize is the largest page any listing answers (DESIGN.md
// "Conventions": a larger size is treated as 1,000).
const MaxPageSize = 1000

// Page asks for one page of a listing: at most Size items after the cursor
// After (nil: from the start).
type Page[C any] struct {
	After *C
	// Size is the page size: at most MaxPageSize; 0 or less means MaxPageSize.
	Size int
}

// size answers the page size asked, within 1..MaxPageSize.
func (p Page[C]) size() int {
	if p.Size <= 0 || p.Size > MaxPageSize {
		return MaxPageSize
	}
	return p.Size
}

// limit is what to ask the store for: one row more than the page, to know
// whether another page follows.
func (p Page[C]) limit() int { return p.size() + 1 }

// Paged is one page of a listing and the cursor of the next page; Next is
// nil when no row follows.
type Paged[T, C any] struct {
	Items []T
	Next  *C
}

// paged cuts the rows a store answered for pg (at most pg.limit()) to one
// page and names the next page's cursor when a row is left over.
func paged[T, C any](rows []T, pg Page[C], cursor func(T) C) Paged[T, C] {
	n := pg.size()
	if len(rows) <= n {
		return Paged[T, C]{Items: rows}
	}
	rows = rows[:n]
	c := cursor(rows[n-1])
	return Paged[T, C]{Items: rows, Next: &c}
}
