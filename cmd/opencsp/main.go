// Command opencsp runs the OpenCSP server and talks to a running one.
//
// A tenant is a customer's directory; the words 365 tenant, Azure tenant,
// directory, organization and account all mean it.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
