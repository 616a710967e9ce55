package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/config"
)

func newInitCmd() *cobra.Command {
	var (
		name, src string
		force     bool
	)
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter sextant.yaml",
		Long: `Init writes sextant.yaml, the project configuration every command reads: the schemas the
project manages (each with its desired state and dev database), the environments it deploys to,
the registry, the review policy and the lint rules. Every key is explained in a comment, and
docs/config.md is the full reference.

The starter manages one schema, named by --schema-name, whose desired state is --source. It
defines one environment, prod, whose target URL is read from $PROD_DATABASE_URL when a command
needs it: database URLs with passwords never go in the file, which is committed with the code.

An existing file is left alone unless --force is given.`,
		Example: `  # Start a project whose schema lives in schema/*.sql.
  sextant init

  # One SQL file, under another name.
  sextant init --schema-name billing --source file://db/billing.sql

  # Start over, replacing the existing file.
  sextant init --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path := cmd.Flags().Lookup("config").Value.String() // the root's --config: the file to write
			s := config.Starter{SchemaName: name, Source: src}
			if s.SchemaName == "" {
				s.SchemaName = config.StarterSchemaName
			}
			if s.Source == "" {
				s.Source = config.StarterSource
			}
			if err := s.Write(path, force); err != nil {
				if errors.Is(err, fs.ErrExist) {
					return fmt.Errorf("%s already exists; keep it, or replace it with sextant init --force", path)
				}
				return err
			}
			return printInitNextSteps(cmd.OutOrStdout(), path, s)
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace the file when it exists")
	cmd.Flags().StringVar(&name, "schema-name", config.StarterSchemaName, "the schema's name in the registry")
	cmd.Flags().StringVar(&src, "source", config.StarterSource, "the desired state: file://schema.sql, file://dir/, postgres://… or registry://NAME@TAG")
	return cmd
}

// printInitNextSteps says what init wrote and what a new project does next: get a desired
// state into place, then see a plan.
func printInitNextSteps(w io.Writer, path string, s config.Starter) error {
	src := shellQuote(s.Source)
	var b strings.Builder
	fmt.Fprintf(&b, "Wrote %s: schema %s, desired state %s, dev database %s.\n\n", path, s.SchemaName, s.Source, config.DefaultDev)
	b.WriteString("Next steps:\n")
	if dir, isFile := strings.CutPrefix(s.Source, "file://"); isFile {
		target := dir
		if strings.HasSuffix(dir, "/") {
			fmt.Fprintf(&b, "  1. Write the desired schema as *.sql files in %s (run in lexical order), or adopt\n", dir)
			target = dir + "schema.sql"
		} else {
			fmt.Fprintf(&b, "  1. Write the desired schema in %s, or adopt\n", dir)
		}
		fmt.Fprintf(&b, "     an existing database:\n       sextant schema inspect --url \"$DATABASE_URL\" > %s\n", shellQuote(target))
	} else {
		fmt.Fprintf(&b, "  1. Check that %s holds the desired schema:\n       sextant schema inspect --url %s\n", s.Source, src)
	}
	fmt.Fprintf(&b, "  2. Record the deployed state as main:\n       sextant schema push --tag main\n")
	fmt.Fprintf(&b, "  3. Store the production database URL as the CI secret PROD_DATABASE_URL.\n")
	fmt.Fprintf(&b, "  4. Plan a change for review, approve it, deploy it (docs/workflow.md):\n")
	fmt.Fprintf(&b, "       sextant schema plan --pr <number>\n       sextant schema plan approve <plan>\n       sextant schema apply --env prod\n")
	fmt.Fprintf(&b, "\nEdit %s for more schemas, environments, the review policy and lint rules (docs/config.md).\n", path)
	_, err := io.WriteString(w, b.String())
	return err
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain URL and path
// characters, so that the printed commands can be pasted as they are.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:@%+=,-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
