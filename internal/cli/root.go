// Package cli is Sextant's command line: one file per command group. It owns flags, input,
// output and exit codes; the work itself happens in the packages below it.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/config"
	"github.com/sextant-db/sextant/internal/dburl"
)

// Exit codes.
const (
	exitOK      = 0
	exitError   = 1
	exitChanges = 2 // schema diff --exit-code found changes
)

// exitCode is an error that carries a specific exit code and no message of its own.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit code %d", int(e)) }

// Main runs the CLI with args and returns the process exit code. Ctrl-C and SIGTERM cancel
// the command's context, so dev databases and other resources are cleaned up on the way out.
//
// Nothing it writes to stderr holds a credential (see redact.go): the secrets the process can
// know of are registered first, and stderr, where cobra's own errors (which quote a bad flag
// value), warnings, logs and the final error go, is redacted line by line.
func Main(args []string, stdout, stderr io.Writer) int {
	registerSecrets(args, os.Environ())
	errOut := newRedactWriter(stderr)
	defer errOut.Flush() //nolint:errcheck // nowhere left to report it
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot(stdout, errOut)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var code exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	}
	if ctx.Err() != nil {
		fmt.Fprintln(errOut, "sextant: interrupted")
		return exitError
	}
	fmt.Fprintf(errOut, "sextant: %s\n", dburl.Redact(err.Error()))
	return exitError
}

// loadConfig reads the project configuration named by --config. The default file may be
// missing (the defaults apply); a file named with --config must exist. The whole file is
// validated, so a mistake anywhere in it is reported by the first command that reads it.
func loadConfig(cmd *cobra.Command) (*config.Config, error) {
	f := cmd.Flags().Lookup("config")
	return config.Load(f.Value.String(), f.Changed)
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "sextant",
		Short: "Schema-as-code for CI/CD: plan, lint, prove and apply database schema changes",
		Long: `Sextant keeps a database schema as code. It inspects databases and SQL files into an exact
model, plans the ordered migration from one state to another, and proves plans on a
throw-away dev database.

Schema sources (--from, --to, --url):
  file://schema.sql     one SQL file
  file://schema/        every *.sql file of a directory, in lexical order
  postgres://…          a live database

SQL sources are executed on a dev database (--dev-url, default local://postgres: an ephemeral
cluster started from the installed PostgreSQL server binaries; docker://postgres/16: a
container on your Docker engine) and the catalog is inspected.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().String("config", config.DefaultFile, "project configuration (see sextant init); a file named here must exist")
	root.PersistentFlags().String("env", "", "environment of the project configuration to deploy to")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newSchemaCmd(), newCICmd(), newRegistryCmd(), newInitCmd(), newVersionCmd(), newDemoCmd())
	return root
}
