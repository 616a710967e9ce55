// Command sextant is schema-as-code for CI/CD: it plans, lints, proves and applies database
// schema changes. See `sextant --help`.
package main

import (
	"os"

	"github.com/sextant-db/sextant/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
