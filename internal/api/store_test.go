package api_test

import "github.com/opencsp/opencsp/internal/store"

type storeTx = store.Tx
