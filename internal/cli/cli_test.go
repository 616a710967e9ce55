package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sextant-db/sextant/internal/ci/githubfake"
	"github.com/sextant-db/sextant/internal/ci/gitlabfake"
	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/dockertest"
)

// The CLI is tested by running the real command in scripts (testdata/script/*.txtar) against
// real dev databases: exit codes, output and error messages as a user sees them.

func TestMain(m *testing.M) {
	testscript.Main(stopDocker{m}, map[string]func(){
		"sextant": func() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// stopDocker stops the Docker engine TestDiffDocker may have started, after the tests.
type stopDocker struct{ m *testing.M }

func (s stopDocker) Run() int {
	code := s.m.Run()
	dockertest.Stop()
	return code
}

func TestScripts(t *testing.T) {
	// Targets for schema apply live on one server for every script, started on first use.
	targets := &devdb.Lazy{URL: "local://postgres"}
	t.Cleanup(func() { targets.Close() })
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// The dev-database cache lives in the user's cache directory; share the real one
			// so every script does not run initdb again.
			if dir, err := os.UserCacheDir(); err == nil {
				env.Setenv("XDG_CACHE_HOME", dir)
			}
			env.Setenv("SEXTANT_ACTOR", "tester")
			// Every script gets code hosts of its own, so the requests one script counts are
			// its own while the scripts run in parallel.
			gh, gl := githubfake.New(t), gitlabfake.New(t)
			env.Values[githubfake.Token] = gh
			env.Values[gitlabfake.Token] = gl
			env.Setenv("GITHUB_FAKE_API_URL", gh.APIURL())
			env.Setenv("GITHUB_FAKE_TOKEN", githubfake.Token)
			env.Setenv("GITLAB_FAKE_API_URL", gl.APIURL())
			env.Setenv("GITLAB_FAKE_TOKEN", gitlabfake.Token)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"db":        func(ts *testscript.TestScript, neg bool, args []string) { dbCmd(ts, neg, args, targets) },
			"capture":   captureCmd,
			"github":    githubCmd,
			"gitlab":    gitlabCmd,
			"freeport":  freeportCmd,
			"waitready": waitreadyCmd,
			"http":      httpCmd,
		},
	})
}

// dbCmd manages target databases for a script:
//
//	db create NAME      create an empty database; $NAME is its URL
//	db exec URL SQL     run SQL on it (several statements allowed)
//	db hold URL D SQL   run SQL in a transaction that stays open for duration D, in the
//	                    background; the command returns once SQL has run (its locks are held)
func dbCmd(ts *testscript.TestScript, neg bool, args []string, targets *devdb.Lazy) {
	if len(args) < 2 {
		ts.Fatalf("usage: db create NAME | db exec URL SQL")
	}
	ctx := context.Background()
	var err error
	switch args[0] {
	case "create":
		var srv devdb.Server
		if srv, err = targets.Get(ctx); err == nil {
			var db *devdb.DB
			if db, err = srv.CreateDB(ctx); err == nil {
				ts.Setenv(args[1], db.URL)
			}
		}
	case "exec":
		if len(args) != 3 {
			ts.Fatalf("usage: db exec URL SQL")
		}
		var conn *pgx.Conn
		if conn, err = pgx.Connect(ctx, args[1]); err == nil {
			_, err = conn.PgConn().Exec(ctx, args[2]).ReadAll()
			conn.Close(ctx)
		}
	case "hold":
		if len(args) != 4 {
			ts.Fatalf("usage: db hold URL DURATION SQL")
		}
		d, perr := time.ParseDuration(args[2])
		ts.Check(perr)
		var conn *pgx.Conn
		if conn, err = pgx.Connect(ctx, args[1]); err == nil {
			if _, err = conn.Exec(ctx, "BEGIN"); err == nil {
				_, err = conn.PgConn().Exec(ctx, args[3]).ReadAll()
			}
			if err != nil {
				conn.Close(ctx)
				break
			}
			go func() {
				time.Sleep(d)
				conn.Exec(ctx, "COMMIT") //nolint:errcheck // the test only needed the lock held
				conn.Close(ctx)
			}()
		}
	default:
		ts.Fatalf("db: unknown subcommand %q", args[0])
	}
	if err != nil {
		err = fmt.Errorf("db %s: %s", args[0], strings.ReplaceAll(err.Error(), "\n", " "))
	}
	switch {
	case neg && err == nil:
		ts.Fatalf("db %s succeeded", args[0])
	case !neg:
		ts.Check(err)
	}
}

// captureCmd sets a variable from the last command's output, for names a script cannot know in
// advance (a plan named after a fingerprint):
//
//	capture NAME REGEXP [stdout|stderr]   $NAME = the first group of the first match
func captureCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: capture NAME REGEXP [stdout|stderr]")
	}
	stream := "stdout"
	if len(args) == 3 {
		stream = args[2]
	}
	re := regexp.MustCompile(args[1])
	m := re.FindStringSubmatch(ts.ReadFile(stream))
	if len(m) < 2 {
		ts.Fatalf("capture: no match for %q (with a group) in %s", args[1], stream)
	}
	ts.Setenv(args[0], m[1])
}

// githubCmd plays GitHub's side of a job:
//
//	github seed PR N                      give pull request PR N comments by people
//	github comments PR                    print the pull request's comments, separated by "----"
//	github open PR BRANCH BASE BASE_SHA   open pull request PR from BRANCH into BASE, at BASE_SHA
//	github merged SHA PR                  commit SHA merged pull request PR into main
//	github fail METHOD CODE               the next METHOD request gets status CODE
//	github requests                       print and forget the requests made so far
//	github comment PR LOGIN BODY          LOGIN (a person) comments BODY on PR; \n is a line break
func githubCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: github seed|comments|open|merged|fail|requests …")
	}
	gh := ts.Value(githubfake.Token).(*githubfake.Server)
	switch {
	case args[0] == "seed" && len(args) == 3:
		gh.Seed(atoi(ts, args[1]), atoi(ts, args[2]), -1, "")
	case args[0] == "comments" && len(args) == 2:
		for _, c := range gh.CommentsOf(atoi(ts, args[1])) {
			fmt.Fprintf(ts.Stdout(), "%s\n----\n", c.Body)
		}
	case args[0] == "open" && len(args) == 5:
		gh.OpenPull(atoi(ts, args[1]), args[2], args[3], args[4], "pull request "+args[1])
	case args[0] == "merged" && len(args) == 3:
		at := "2026-11-25T00:00:00Z"
		p := githubfake.Pull{Number: atoi(ts, args[2]), State: "closed", MergedAt: &at, MergeCommitSHA: args[1]}
		p.Base.Ref = "main"
		gh.SetPulls(args[1], p)
	case args[0] == "fail" && len(args) == 3:
		gh.FailNext(args[1], atoi(ts, args[2]), "Resource not accessible by integration")
	case args[0] == "comment" && len(args) == 4:
		gh.AddComment(atoi(ts, args[1]), args[2], strings.ReplaceAll(args[3], `\n`, "\n"))
	case args[0] == "requests" && len(args) == 1:
		for _, r := range gh.TakeRequests() {
			fmt.Fprintln(ts.Stdout(), r)
		}
	default:
		ts.Fatalf("github: bad arguments %q", args)
	}
}

// gitlabCmd plays GitLab's side of a job, for project gitlabfake.ProjectID (acme/shop):
//
//	gitlab seed MR N                        give merge request MR N notes by people
//	gitlab system MR BODY                   add a system note (GitLab's own) to merge request MR
//	gitlab notes MR                         print the merge request's notes, separated by "----"
//	gitlab open MR BRANCH TARGET BASE_SHA   open merge request MR from BRANCH into TARGET
//	gitlab merged SHA MR                    commit SHA merged merge request MR into main
//	gitlab fail METHOD CODE                 the next METHOD request gets status CODE
//	gitlab requests                         print and forget the requests made so far
func gitlabCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: gitlab seed|system|notes|open|merged|fail|requests …")
	}
	gl := ts.Value(gitlabfake.Token).(*gitlabfake.Server)
	switch {
	case args[0] == "seed" && len(args) == 3:
		gl.Seed(atoi(ts, args[1]), atoi(ts, args[2]), -1, "")
	case args[0] == "system" && len(args) == 3:
		gl.AddSystemNote(atoi(ts, args[1]), args[2])
	case args[0] == "notes" && len(args) == 2:
		for _, n := range gl.NotesOf(atoi(ts, args[1])) {
			if !n.System {
				fmt.Fprintf(ts.Stdout(), "%s\n----\n", n.Body)
			}
		}
	case args[0] == "open" && len(args) == 5:
		gl.OpenMergeRequest(atoi(ts, args[1]), args[2], args[3], args[4], "merge request "+args[1])
	case args[0] == "merged" && len(args) == 3:
		at := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
		gl.SetMergeRequests(args[1], gitlabfake.MergeRequest{IID: atoi(ts, args[2]), State: "merged",
			TargetBranch: "main", MergedAt: &at, MergeCommitSHA: args[1]})
	case args[0] == "fail" && len(args) == 3:
		gl.FailNext(args[1], atoi(ts, args[2]))
	case args[0] == "requests" && len(args) == 1:
		for _, r := range gl.TakeRequests() {
			fmt.Fprintln(ts.Stdout(), r)
		}
	default:
		ts.Fatalf("gitlab: bad arguments %q", args)
	}
}

func atoi(ts *testscript.TestScript, s string) int {
	n, err := strconv.Atoi(s)
	ts.Check(err)
	return n
}

// freeportCmd picks a free loopback port for a server the script starts:
//
//	freeport NAME   $NAME = a TCP port on 127.0.0.1 that nothing listens on
//
// The port is free when the command returns; another process could take it before the
// server does, which on a test machine is rare enough.
func freeportCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport NAME")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := ln.Addr().(*net.TCPAddr).Port
	ts.Check(ln.Close())
	ts.Setenv(args[0], strconv.Itoa(port))
}

// waitreadyCmd waits for a registry server started in the background:
//
//	waitready URL   poll URL/readyz until it answers 200 (for up to 30 seconds)
func waitreadyCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitready URL")
	}
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := hc.Get(args[0] + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitready %s: %v", args[0], err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// httpCmd sends one request to a registry server, as a client other than Sextant's would:
//
//	http METHOD URL TOKEN [BODY]   stdout is the response body; the status line goes to
//	                               stderr ("403 Forbidden"); a status of 400 or more fails
//	                               the command (so "! http" expects a refusal)
func httpCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 3 || len(args) > 4 {
		ts.Fatalf("usage: http METHOD URL TOKEN [BODY]")
	}
	var body io.Reader
	if len(args) == 4 {
		body = strings.NewReader(args[3])
	}
	req, err := http.NewRequest(args[0], args[1], body)
	ts.Check(err)
	req.Header.Set("Authorization", "Bearer "+args[2])
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	ts.Check(err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	ts.Check(err)
	ts.Stdout().Write(b)
	fmt.Fprintln(ts.Stderr(), resp.Status)
	failed := resp.StatusCode >= 400
	if failed != neg {
		ts.Fatalf("http %s %s: %s %s", args[0], args[1], resp.Status, b)
	}
}
