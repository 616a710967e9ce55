package wrappers

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/sextant-db/sextant/internal/ci"
)

const staleHint = "stale: run go generate ./internal/ci/wrappers"

// repoRoot is the module root: the nearest directory above the test's working directory (the
// package directory) that holds go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's working directory")
		}
		dir = parent
	}
}

func generate(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := GitHub(ImageVersion)
	if err != nil {
		t.Fatalf("GitHub(%q): %v", ImageVersion, err)
	}
	return files
}

// TestCommittedFilesAreCurrent fails while a committed wrapper of any platform (GitHub Action,
// GitLab components, CircleCI orb) differs from what the manifest generates, or a generated
// file outlives its command.
func TestCommittedFilesAreCurrent(t *testing.T) {
	root := repoRoot(t)
	files, err := All(ImageVersion)
	if err != nil {
		t.Fatalf("All(%q): %v", ImageVersion, err)
	}
	for _, p := range sortedKeys(files) {
		onDisk, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
		if err != nil {
			t.Errorf("%s: %s (%v)", p, staleHint, err)
			continue
		}
		if !bytes.Equal(onDisk, files[p]) {
			t.Errorf("%s: %s (the committed file differs from what internal/ci/manifest.go generates)", p, staleHint)
		}
	}
	for _, g := range OwnedGlobs() {
		extra, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(g)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range extra {
			rel, _ := filepath.Rel(root, f)
			if _, ok := files[filepath.ToSlash(rel)]; !ok {
				t.Errorf("%s: %s (the manifest does not produce it)", filepath.ToSlash(rel), staleHint)
			}
		}
	}
}

// actionFile is the part of GitHub's action metadata syntax the generator writes. Decoding
// with KnownFields rejects any other key, so a misspelt one cannot slip through.
type actionFile struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Author      string `yaml:"author"`
	Branding    struct {
		Icon  string `yaml:"icon"`
		Color string `yaml:"color"`
	} `yaml:"branding"`
	Inputs map[string]struct {
		Description string  `yaml:"description"`
		Required    *bool   `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
	} `yaml:"outputs"`
	Runs struct {
		Using string   `yaml:"using"`
		Image string   `yaml:"image"`
		Args  []string `yaml:"args"`
	} `yaml:"runs"`
}

func decode(t *testing.T, p string, data []byte) actionFile {
	t.Helper()
	var a actionFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("%s is not an action file: %v", p, err)
	}
	return a
}

func TestShape(t *testing.T) {
	files := generate(t)
	want := []string{"action.yml"}
	for _, c := range ci.Manifest {
		want = append(want, path.Join("action", c.Name, "action.yml"))
	}
	if got := sortedKeys(files); !slices.Equal(got, sortedStrings(want)) {
		t.Fatalf("generated files %q, want %q", got, sortedStrings(want))
	}

	for _, p := range sortedKeys(files) {
		data := files[p]
		if !bytes.HasPrefix(data, []byte(Header)) {
			t.Errorf("%s does not start with the generated header %q", p, Header)
		}
		a := decode(t, p, data)
		if a.Name == "" || a.Description == "" {
			t.Errorf("%s: name %q, description %q; GitHub requires both", p, a.Name, a.Description)
		}
		if a.Branding.Icon == "" || a.Branding.Color == "" {
			t.Errorf("%s: branding %+v is incomplete", p, a.Branding)
		}
		for name, in := range a.Inputs {
			if in.Description == "" || in.Required == nil {
				t.Errorf("%s: input %s needs a description and required", p, name)
			}
		}
		for name, out := range a.Outputs {
			if out.Description == "" {
				t.Errorf("%s: output %s has no description", p, name)
			}
		}
		if a.Runs.Using != "docker" {
			t.Errorf("%s: runs.using = %q, want docker", p, a.Runs.Using)
		}
		checkImage(t, p, a.Runs.Image)
		checkKeyOrder(t, p, data)
	}
}

// checkImage insists on Docker Hub's implicit form: the first path component of a reference is
// a registry host when it contains a dot or a colon or is localhost.
func checkImage(t *testing.T, p, image string) {
	t.Helper()
	const prefix = "docker://sextantdb/sextant:"
	if !strings.HasPrefix(image, prefix) {
		t.Errorf("%s: runs.image = %q, want it to start with %q", p, image, prefix)
		return
	}
	if image != prefix+ImageVersion {
		t.Errorf("%s: runs.image = %q, want tag %s", p, image, ImageVersion)
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(image, "docker://"), "/")
	if strings.ContainsAny(first, ".:") || first == "localhost" {
		t.Errorf("%s: runs.image = %q names a registry host (%s)", p, image, first)
	}
}

// checkKeyOrder pins the top-level order, which a struct or map encoding would not keep.
func checkKeyOrder(t *testing.T, p string, data []byte) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	var keys []string
	for i := 0; i < len(doc.Content[0].Content); i += 2 {
		keys = append(keys, doc.Content[0].Content[i].Value)
	}
	want := []string{"name", "description", "author", "branding", "inputs", "outputs", "runs"}
	if !slices.Equal(keys, want) {
		t.Errorf("%s: top-level keys %q, want %q", p, keys, want)
	}
}

// TestManifestCoverage checks that every input and output of the manifest reaches the files a
// workflow uses, with its default, and that a per-command action offers nothing its command
// does not read.
func TestManifestCoverage(t *testing.T) {
	files := generate(t)
	root := decode(t, "action.yml", files["action.yml"])

	cmd, ok := root.Inputs["command"]
	if !ok || cmd.Required == nil || !*cmd.Required {
		t.Errorf("action.yml: the command input must exist and be required")
	}
	for _, c := range ci.Manifest {
		if !strings.Contains(cmd.Description, c.Name) {
			t.Errorf("action.yml: the command input does not mention %s", c.Name)
		}
	}
	if want := []string{"ci", "${{ inputs.command }}"}; !slices.Equal(root.Runs.Args, want) {
		t.Errorf("action.yml: runs.args = %q, want %q", root.Runs.Args, want)
	}

	for _, c := range ci.Manifest {
		p := path.Join("action", c.Name, "action.yml")
		own := decode(t, p, files[p])
		if want := []string{"ci", c.Name}; !slices.Equal(own.Runs.Args, want) {
			t.Errorf("%s: runs.args = %q, want %q", p, own.Runs.Args, want)
		}
		if len(own.Inputs) != len(c.InputsFor("github")) || len(own.Outputs) != len(c.Outputs) {
			t.Errorf("%s: %d inputs and %d outputs, want the command's %d and %d",
				p, len(own.Inputs), len(own.Outputs), len(c.InputsFor("github")), len(c.Outputs))
		}
		for _, in := range c.InputsFor("github") {
			wantDefault := in.Default
			if in.Name == "token" {
				wantDefault = "${{ github.token }}"
			}
			for file, a := range map[string]actionFile{"action.yml": root, p: own} {
				got, ok := a.Inputs[in.Name]
				switch {
				case !ok:
					t.Errorf("%s: input %s of %s is missing", file, in.Name, c.Name)
				case wantDefault == "" && got.Default != nil:
					t.Errorf("%s: input %s has default %q, want none", file, in.Name, *got.Default)
				case wantDefault != "" && (got.Default == nil || *got.Default != wantDefault):
					t.Errorf("%s: input %s: default %v, want %q", file, in.Name, got.Default, wantDefault)
				case !strings.HasPrefix(got.Description, in.Description):
					t.Errorf("%s: input %s: description %q does not carry the manifest's %q", file, in.Name, got.Description, in.Description)
				}
			}
			if d := root.Inputs[in.Name].Description; !strings.Contains(d, c.Name) {
				t.Errorf("action.yml: input %s does not say that %s uses it: %q", in.Name, c.Name, d)
			}
			if got := own.Inputs[in.Name].Required; got != nil && *got != in.Required {
				t.Errorf("%s: input %s: required %v, want %v", p, in.Name, *got, in.Required)
			}
		}
		for _, out := range c.Outputs {
			for file, a := range map[string]actionFile{"action.yml": root, p: own} {
				if _, ok := a.Outputs[out.Name]; !ok {
					t.Errorf("%s: output %s of %s is missing", file, out.Name, c.Name)
				}
			}
		}
	}
}

// TestNoRegistryHost keeps every image reference in Docker Hub's implicit form, in the
// generated files and in the Dockerfile's base images alike.
func TestNoRegistryHost(t *testing.T) {
	hosts := []string{"ghcr.io", "docker.io", "quay.io", "gcr.io", "registry.gitlab.com", "public.ecr.aws", "mcr.microsoft.com"}
	files, err := All(ImageVersion)
	if err != nil {
		t.Fatal(err)
	}
	// The hand-written files that name the image too.
	for _, p := range []string{"Dockerfile", "gitlab/README.md", "orb/README.md"} {
		data, err := os.ReadFile(filepath.Join(repoRoot(t), filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		files[p] = data
	}
	for _, p := range sortedKeys(files) {
		for _, h := range hosts {
			if bytes.Contains(bytes.ToLower(files[p]), []byte(h)) {
				t.Errorf("%s names the registry host %s", p, h)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, errA := All(ImageVersion)
	b, errB := All(ImageVersion)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	for p := range a {
		if !bytes.Equal(a[p], b[p]) {
			t.Errorf("%s differs between two runs", p)
		}
	}
}

func TestVersionIsTheArgument(t *testing.T) {
	files, err := GitHub("9.8.7")
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range files {
		if a := decode(t, p, data); a.Runs.Image != "docker://sextantdb/sextant:9.8.7" {
			t.Errorf("%s: runs.image = %q", p, a.Runs.Image)
		}
	}
	for _, bad := range []string{"", "latest/x", ":1", "1.0 beta"} {
		if _, err := GitHub(bad); err == nil {
			t.Errorf("GitHub(%q) succeeded; want an invalid-tag error", bad)
		}
	}
}

// TestConflicts: the combined action has one description and default per input and output,
// so commands that disagree must be an error, not whichever came first.
func TestConflicts(t *testing.T) {
	cmd := func(name string, ins []ci.Input, outs []ci.Output) ci.Command {
		return ci.Command{Name: name, Description: name + " things.", Inputs: ins, Outputs: outs}
	}
	in := ci.Input{Name: "to", Type: "string", Description: "Desired schema."}
	out := ci.Output{Name: "plan", Description: "Name of the plan."}
	changed := func(f func(*ci.Input)) []ci.Input { c := in; f(&c); return []ci.Input{c} }

	cases := map[string][]ci.Command{
		"description": {cmd("a", []ci.Input{in}, nil), cmd("b", changed(func(i *ci.Input) { i.Description = "Other." }), nil)},
		"default":     {cmd("a", []ci.Input{in}, nil), cmd("b", changed(func(i *ci.Input) { i.Default = "x" }), nil)},
		"output":      {cmd("a", nil, []ci.Output{out}), cmd("b", nil, []ci.Output{{Name: "plan", Description: "Other."}})},
		"command":     {cmd("a", []ci.Input{{Name: "command", Description: "Taken."}}, nil)},
		"twice":       {cmd("a", nil, nil), cmd("a", nil, nil)},
		"name":        {cmd("a", []ci.Input{{Name: "Dev_URL", Description: "Upper case."}}, nil)},
		"duplicate":   {cmd("a", []ci.Input{in, in}, nil)},
	}
	for name, manifest := range cases {
		if _, err := github(manifest, "1.0.0"); err == nil {
			t.Errorf("%s: no error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}

	// Required by one command only: optional in the combined action, whose description says
	// which command requires it; required in that command's own action.
	req := in
	req.Required = true
	files, err := github([]ci.Command{cmd("a", []ci.Input{in}, nil), cmd("b", []ci.Input{req}, nil)}, "1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	root := decode(t, "action.yml", files["action.yml"]).Inputs["to"]
	if *root.Required || !strings.HasSuffix(root.Description, "Used by a and b. Required by b.") {
		t.Errorf("action.yml: input to: required %v, description %q", *root.Required, root.Description)
	}
	if own := decode(t, "action/b/action.yml", files["action/b/action.yml"]).Inputs["to"]; !*own.Required {
		t.Errorf("action/b/action.yml: input to is not required")
	}
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sortedStrings(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
