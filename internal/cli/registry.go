package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/dburl"
	"github.com/sextant-db/sextant/internal/registry"
	"github.com/sextant-db/sextant/internal/registry/api"
	"github.com/sextant-db/sextant/internal/registry/server"
	"github.com/sextant-db/sextant/internal/registry/sqlstore"
	"github.com/sextant-db/sextant/internal/workflow"
)

// The registry server's defaults.
const (
	defaultStorage = "sqlite://sextant-registry.db"
	defaultListen  = "127.0.0.1:8080"
	// storageEnv names the storage URL when --storage is not given: a PostgreSQL URL holds a
	// password, which a flag would show to everyone who can list processes.
	storageEnv = "SEXTANT_REGISTRY_STORAGE"
	// tokenEnv holds the token of commands that use a registry server.
	tokenEnv = workflow.TokenEnv
)

func newRegistryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "registry",
		Short: "Run the registry server and manage its tokens",
		Long: `The registry keeps what the workflow needs between its steps: desired states, plans with their
review status, and the record of every apply. A file registry (file://.sextant) is a directory
in the repository; the registry server is the same registry behind an HTTP API, for teams whose
CI jobs should not push to the repository, and for the separation of duties a token scheme
gives: a pull request's job may only create PENDING plans, and only the default branch's job
holds the token that approves them.

The server keeps its data in SQLite (one server) or PostgreSQL (several replicas behind a load
balancer). Commands use it with --registry https://HOST (or registry: in sextant.yaml) and the
token in $` + tokenEnv + `.

Tokens carry scopes: read, plan (push states, create and replace PENDING plans), approve
(approve and abort plans), apply (record applies) and admin (everything, and tokens), and may be
limited to repos (the schema names in sextant.yaml). The first admin token is made with direct
access to the database: sextant registry token create.`,
		Example: `  # Start a registry server and give CI its tokens.
  sextant registry token create --name ops --scope admin
  sextant registry token create --name ci-pr --scope read,plan --repo app
  sextant registry token create --name ci-main --scope read,plan,approve,apply --repo app
  sextant registry serve --listen :8080

  # Use it.
  export SEXTANT_REGISTRY_TOKEN=sxt_…
  sextant schema plan --registry https://registry.example.com --pr 42`,
	}
	cmd.AddCommand(newRegistryServeCmd(), newRegistryTokenCmd())
	return cmd
}

// storageFlag is --storage: the registry database's URL.
type storageFlag struct{ url string }

func (f *storageFlag) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.url, "storage", "", "the registry database: "+sqlstore.Forms+
		" (default: $"+storageEnv+", else "+defaultStorage+")")
}

func (f *storageFlag) value() string {
	return firstOf(f.url, os.Getenv(storageEnv), defaultStorage)
}

// open opens the registry database, creating or upgrading its tables.
func (f *storageFlag) open(ctx context.Context) (*sqlstore.DB, error) {
	return sqlstore.Open(ctx, f.value())
}

func newRegistryServeCmd() *cobra.Command {
	var (
		storage  storageFlag
		listen   string
		maxBody  int64
		timeouts = server.DefaultTimeouts
	)
	cmd := &cobra.Command{
		Use:   "serve [--storage URL] [--listen ADDR]",
		Short: "Run the registry server",
		Long: `Serve runs the registry's HTTP JSON API (under /api/v1) on --listen, over the database
--storage names, creating or upgrading its tables first.

Every API request needs "Authorization: Bearer <token>" with a token made by
sextant registry token create (or POST /api/v1/tokens by an admin). Unauthenticated:
  /healthz   the process is alive
  /readyz    the database answers (503 when it does not): for load balancers
  /metrics   Prometheus metrics: requests by route, method and status, latency by route
             (route patterns only, never a repo, plan or token name)

The server logs one JSON line per request to stderr: method, route, path, status, duration and
the token's name, never a token or a database password. It does not terminate TLS: put it
behind a proxy or load balancer that does, or keep --listen on loopback. SIGINT or SIGTERM
stops it gracefully: it stops accepting connections, and requests in flight have
--shutdown-timeout to finish.`,
		Example: `  sextant registry serve
  sextant registry serve --storage sqlite:///var/lib/sextant/registry.db --listen :8080
  SEXTANT_REGISTRY_STORAGE=postgres://sextant:secret@db:5432/registry sextant registry serve --listen :8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			log := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))
			if maxBody <= 0 {
				return fmt.Errorf("--max-body %d: want a positive number of bytes", maxBody)
			}
			db, err := storage.open(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", listen, err)
			}
			log.Info("registry database open", "storage", dburl.Redact(storage.value()))
			h := server.New(db, server.Options{MaxBody: maxBody, Log: log})
			return timeouts.Serve(ctx, ln, h, log)
		},
	}
	storage.register(cmd)
	f := cmd.Flags()
	f.StringVar(&listen, "listen", defaultListen, "address to listen on, HOST:PORT (:8080 for every interface)")
	f.Int64Var(&maxBody, "max-body", server.DefaultMaxBody, "largest request body in bytes; larger ones get 413")
	f.DurationVar(&timeouts.ReadHeader, "read-header-timeout", timeouts.ReadHeader, "time to read a request's headers")
	f.DurationVar(&timeouts.Read, "read-timeout", timeouts.Read, "time to read a whole request")
	f.DurationVar(&timeouts.Write, "write-timeout", timeouts.Write, "time to answer a request, from the end of its headers")
	f.DurationVar(&timeouts.Idle, "idle-timeout", timeouts.Idle, "time a kept-alive connection may wait for its next request")
	f.DurationVar(&timeouts.Shutdown, "shutdown-timeout", timeouts.Shutdown, "time requests in flight have to finish on SIGINT or SIGTERM")
	return cmd
}

func newRegistryTokenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Create, list and revoke registry server tokens (direct database access)",
		Long: `The token commands work on the registry's database directly, not through the server: that is
how the first admin token comes to be. Run them where the database is reachable, with the same
--storage (or $` + storageEnv + `) as the server. Admins can also manage tokens through the
API (POST, GET /api/v1/tokens, DELETE /api/v1/tokens/{id}).

Only a hash of a token's secret is stored: the secret is printed once, by create.`,
	}
	cmd.AddCommand(newTokenCreateCmd(), newTokenListCmd(), newTokenRevokeCmd())
	return cmd
}

// cliActor names who ran a token command, in the audit log.
func cliActor() string { return "cli:" + actor() }

// auditLocal appends an audit entry for a change made with direct database access. The change
// is made by then, so a failure is a warning.
func auditLocal(ctx context.Context, cmd *cobra.Command, db registry.ServerStore, action, object, detail string) {
	e := registry.AuditEntry{Actor: cliActor(), Action: action, Object: object, Detail: detail, At: time.Now().UTC()}
	if err := db.AppendAudit(ctx, e); err != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "warning: the audit log did not record %s %s: %v\n", action, object, err)
	}
}

func newTokenCreateCmd() *cobra.Command {
	var (
		storage storageFlag
		name    string
		scopes  []string
		repos   []string
	)
	cmd := &cobra.Command{
		Use:   "create --name NAME --scope SCOPE[,SCOPE…] [--repo REPO]…",
		Short: "Create a token and print its secret (shown this once)",
		Long: `Create makes a token and prints its secret on stdout, alone on its line, so that a script can
capture it; the token's details go to stderr. The secret is not stored (only its hash), so it
cannot be shown again: put it in your CI's secret store now. A lost secret is replaced by
revoking the token and creating another.

Scopes: ` + api.JoinScopes(registry.Scopes) + `. A pull request's job needs read,plan; the
default branch's job read,plan,approve,apply; admin may do everything, including tokens.
--repo limits the token to repos (schema names); without it the token may touch every repo.`,
		Example: `  sextant registry token create --name ops --scope admin
  sextant registry token create --name ci-pr --scope read,plan --repo app
  TOKEN=$(sextant registry token create --name ci-main --scope read,plan,approve,apply --repo app)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sc, err := api.ScopeList(strings.Join(scopes, ","))
			if err != nil {
				return fmt.Errorf("--scope: %w", err)
			}
			ctx := cmd.Context()
			db, err := storage.open(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			secret, tok, err := server.CreateToken(ctx, db, name, sc, repos)
			if err != nil {
				return err
			}
			auditLocal(ctx, cmd, db, "token.create", tok.ID, fmt.Sprintf("name=%s scopes=%s repos=%s",
				tok.Name, api.JoinScopes(tok.Scopes), strings.Join(tok.Repos, ",")))
			fmt.Fprintf(cmd.ErrOrStderr(), "created token %s %q (scopes: %s; repos: %s)\n",
				tok.ID, tok.Name, api.JoinScopes(tok.Scopes), reposText(tok.Repos))
			fmt.Fprintf(cmd.ErrOrStderr(), "its secret follows; it is not shown again: store it now, e.g. as the CI secret %s\n", tokenEnv)
			fmt.Fprintln(cmd.OutOrStdout(), secret)
			return nil
		},
	}
	storage.register(cmd)
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "who or what holds the token, e.g. ci-main (in the audit log and request logs)")
	f.StringSliceVar(&scopes, "scope", nil, "scopes, comma-separated or repeated: "+api.JoinScopes(registry.Scopes))
	f.StringSliceVar(&repos, "repo", nil, "limit the token to this repo (schema name); repeat for several (default: every repo)")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("scope")
	return cmd
}

func reposText(repos []string) string {
	if len(repos) == 0 {
		return "all"
	}
	return strings.Join(repos, ", ")
}

func newTokenListCmd() *cobra.Command {
	var storage storageFlag
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the tokens (never their secrets)",
		Example: `  sextant registry token list --storage sqlite:///var/lib/sextant/registry.db`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			db, err := storage.open(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			toks, err := db.Tokens(ctx)
			if err != nil {
				return err
			}
			if len(toks) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "no tokens: create one with sextant registry token create")
				return nil
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tNAME\tSCOPES\tREPOS\tCREATED\tREVOKED")
			for _, t := range toks {
				revoked := "-"
				if !t.RevokedAt.IsZero() {
					revoked = t.RevokedAt.UTC().Format(time.RFC3339)
				}
				scopes := make([]string, len(t.Scopes))
				for i, s := range t.Scopes {
					scopes[i] = string(s)
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, strings.Join(scopes, ","),
					strings.ReplaceAll(reposText(t.Repos), ", ", ","), t.CreatedAt.UTC().Format(time.RFC3339), revoked)
			}
			return w.Flush()
		},
	}
	storage.register(cmd)
	return cmd
}

func newTokenRevokeCmd() *cobra.Command {
	var storage storageFlag
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a token: the server refuses it from its next request on",
		Example: `  sextant registry token list
  sextant registry token revoke tok-1a2b3c4d5e6f7a8b`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, err := storage.open(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			id := args[0]
			if err := db.RevokeToken(ctx, id, time.Now().UTC()); err != nil {
				if errors.Is(err, registry.ErrNotFound) {
					return fmt.Errorf("no token with ID %q (see sextant registry token list)", id)
				}
				return err
			}
			auditLocal(ctx, cmd, db, "token.revoke", id, "")
			fmt.Fprintf(cmd.OutOrStdout(), "revoked token %s\n", id)
			return nil
		},
	}
	storage.register(cmd)
	return cmd
}
