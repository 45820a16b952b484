// Package layers holds no code: its test checks that every package of the
// module imports only the project packages its layer may (docs/architecture.md,
// "What may import what").
package layers
