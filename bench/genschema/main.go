// Command genschema writes a synthetic schema for the benchmark script:
//
//	go run ./bench/genschema -tables 500 -version 2 > v2.sql
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/sextant-db/sextant/internal/testgen"
)

func main() {
	tables := flag.Int("tables", 100, "number of tables")
	version := flag.Int("version", 1, "schema version: 1 (base) or 2 (changed)")
	flag.Parse()
	if _, err := fmt.Print(testgen.Schema(*tables, *version)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
