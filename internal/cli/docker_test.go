package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sextant-db/sextant/internal/dockertest"
)

// schema diff through docker://: --from, --to and the rehearsal share one container, which is
// gone when the command returns. The engine and the PostgreSQL image come from
// internal/dockertest (no image can be pulled here).
func TestDiffDocker(t *testing.T) {
	host := dockertest.Engine(t)
	url := "docker://postgres/15?image=" + dockertest.PostgresImage(t, host) + "&network=" + dockertest.Network(t, host)
	t.Setenv("DOCKER_HOST", host)
	t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	t.Setenv("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1")
	dir := t.TempDir()
	from, to := filepath.Join(dir, "v1.sql"), filepath.Join(dir, "v2.sql")
	for path, sql := range map[string]string{
		from: "CREATE TABLE a (id int PRIMARY KEY);\n",
		to:   "CREATE TABLE a (id int PRIMARY KEY, b text);\n",
	} {
		if err := os.WriteFile(path, []byte(sql), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	since := time.Now()
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"schema", "diff", "--from", "file://" + from, "--to", "file://" + to, "--dev-url", url}, &stdout, &stderr); code != 0 {
		t.Fatalf("schema diff exited %d:\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "ALTER TABLE public.a ADD COLUMN b text;") || !strings.Contains(stdout.String(), "-- lint: 0 errors") {
		t.Errorf("schema diff printed:\n%s", stdout.String())
	}

	owner := "label=org.sextant.devdb.pid=" + strconv.Itoa(os.Getpid())
	stamp := func(t time.Time) string { return fmt.Sprintf("%d.%09d", t.Unix(), t.Nanosecond()) }
	out, err := dockertest.Command(t.Context(), host, "events", "--since", stamp(since), "--until", stamp(time.Now()),
		"--filter", "type=container", "--filter", "event=create", "--filter", owner, "--format", "{{.Actor.ID}}").CombinedOutput()
	if err != nil {
		t.Fatalf("docker events: %v: %s", err, out)
	}
	if created := strings.Fields(string(out)); len(created) != 1 {
		t.Errorf("schema diff created %d containers (%v), want one for from, to and the rehearsal", len(created), created)
	}
	out, err = dockertest.Command(t.Context(), host, "ps", "-aq", "--filter", owner).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) != 0 {
		t.Errorf("containers left after schema diff: %q (%v)", out, err)
	}
}
