package wrappers

import (
	"bytes"
	"errors"
	"io"
	"path"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/sextant-db/sextant/internal/ci"
)

// gitlabInput is one entry of a component's spec:inputs.
type gitlabInput struct {
	Type        string `yaml:"type"`
	Default     any    `yaml:"default"`
	Description string `yaml:"description"`
}

// gitlabComponentJob is the part of GitLab's job syntax the generator writes; KnownFields
// rejects any other key.
type gitlabComponentJob struct {
	Stage string `yaml:"stage"`
	Image struct {
		Name       string   `yaml:"name"`
		Entrypoint []string `yaml:"entrypoint"`
	} `yaml:"image"`
	Variables map[string]string `yaml:"variables"`
	Script    []string          `yaml:"script"`
	Rules     []struct {
		If   string `yaml:"if"`
		When string `yaml:"when"`
	} `yaml:"rules"`
	Artifacts struct {
		When    string            `yaml:"when"`
		Reports map[string]string `yaml:"reports"`
	} `yaml:"artifacts"`
}

// decodeComponent reads a component as GitLab does: a spec header document, then exactly one
// document of configuration.
func decodeComponent(t *testing.T, p string, data []byte) (map[string]gitlabInput, map[string]gitlabComponentJob) {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var spec struct {
		Spec struct {
			Inputs map[string]gitlabInput `yaml:"inputs"`
		} `yaml:"spec"`
	}
	if err := dec.Decode(&spec); err != nil {
		t.Fatalf("%s: spec document: %v", p, err)
	}
	var jobs map[string]gitlabComponentJob
	if err := dec.Decode(&jobs); err != nil {
		t.Fatalf("%s: job document: %v", p, err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		t.Fatalf("%s: a third YAML document (%v)", p, err)
	}
	return spec.Spec.Inputs, jobs
}

func TestGitLabComponents(t *testing.T) {
	files, err := GitLab(ImageVersion)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range ci.Manifest {
		want = append(want, path.Join("templates", c.Name+".yml"))
	}
	if got := sortedKeys(files); !slices.Equal(got, sortedStrings(want)) {
		t.Fatalf("generated %q, want %q", got, sortedStrings(want))
	}
	wantRule := map[string]string{
		"plan":    `$CI_PIPELINE_SOURCE == "merge_request_event"`,
		"approve": `$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`,
		"apply":   `$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`,
	}
	for _, c := range ci.Manifest {
		p := path.Join("templates", c.Name+".yml")
		if !bytes.HasPrefix(files[p], []byte(Header)) {
			t.Errorf("%s does not start with the generated header", p)
		}
		inputs, jobs := decodeComponent(t, p, files[p])
		for name, in := range inputs {
			// Every input is optional: GitLab makes one without a default mandatory.
			if in.Type == "" || in.Default == nil || in.Description == "" {
				t.Errorf("%s: input %s needs type, default and description: %+v", p, name, in)
			}
		}
		for _, own := range []string{"job-name", "stage"} {
			if _, ok := inputs[own]; !ok {
				t.Errorf("%s: no %s input", p, own)
			}
		}
		job, ok := jobs["$[[ inputs.job-name ]]"]
		if len(jobs) != 1 || !ok {
			t.Fatalf("%s: want one job named by the job-name input, got %d", p, len(jobs))
		}
		if job.Stage != "$[[ inputs.stage ]]" {
			t.Errorf("%s: stage %q", p, job.Stage)
		}
		if job.Image.Name != Image+":"+ImageVersion || !slices.Equal(job.Image.Entrypoint, []string{""}) {
			t.Errorf("%s: image %+v, want %s:%s with an empty entrypoint", p, job.Image, Image, ImageVersion)
		}
		if !slices.Equal(job.Script, []string{"sextant ci " + c.Name}) {
			t.Errorf("%s: script %q", p, job.Script)
		}
		if len(job.Rules) != 1 || job.Rules[0].If != wantRule[c.Name] {
			t.Errorf("%s: rules %+v, want if %s", p, job.Rules, wantRule[c.Name])
		}
		if c.Name == "apply" && job.Rules[0].When != "manual" {
			t.Errorf("%s: apply must be manual, rules %+v", p, job.Rules)
		}
		if job.Artifacts.Reports["dotenv"] != "sextant.env" || job.Artifacts.When != "always" {
			t.Errorf("%s: artifacts %+v", p, job.Artifacts)
		}
		if c.Name == "plan" && (job.Artifacts.Reports["codequality"] == "" || job.Variables["GIT_DEPTH"] != "0") {
			t.Errorf("%s: plan needs the Code Quality report and GIT_DEPTH 0: %+v", p, job)
		}
		for _, in := range c.InputsFor("gitlab") {
			got, ok := inputs[in.Name]
			switch {
			case !ok:
				t.Errorf("%s: input %s is missing", p, in.Name)
				continue
			case got.Description != in.Description:
				t.Errorf("%s: input %s: description %q", p, in.Name, got.Description)
			case !strings.EqualFold(toString(got.Default), in.Default):
				t.Errorf("%s: input %s: default %v, want %q", p, in.Name, got.Default, in.Default)
			}
			if v := job.Variables[envName(in.Name)]; v != "$[[ inputs."+in.Name+" ]]" {
				t.Errorf("%s: variable %s = %q, want the input %s", p, envName(in.Name), v, in.Name)
			}
		}
		if len(inputs) != len(c.InputsFor("gitlab"))+2 {
			t.Errorf("%s: %d inputs, want the command's %d plus job-name and stage", p, len(inputs), len(c.InputsFor("gitlab")))
		}
	}
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		if v {
			return "true"
		}
		return "false"
	default:
		return ""
	}
}

// orbParameter is one parameter of an orb command or job.
type orbParameter struct {
	Type        string `yaml:"type"`
	Default     any    `yaml:"default"`
	Description string `yaml:"description"`
}

type orbStep struct {
	Run struct {
		Name        string            `yaml:"name"`
		Environment map[string]string `yaml:"environment"`
		Command     string            `yaml:"command"`
	} `yaml:"run"`
}

func decodeStrict(t *testing.T, p string, data []byte, v any) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte(Header)) {
		t.Errorf("%s does not start with the generated header", p)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
}

func TestCircleCIOrb(t *testing.T) {
	files, err := CircleCI(ImageVersion)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"orb/src/@orb.yml", "orb/src/executors/default.yml"}
	for _, c := range ci.Manifest {
		for _, dir := range []string{"commands", "jobs", "examples"} {
			want = append(want, path.Join("orb/src", dir, c.Name+".yml"))
		}
	}
	if got := sortedKeys(files); !slices.Equal(got, sortedStrings(want)) {
		t.Fatalf("generated %q, want %q", got, sortedStrings(want))
	}

	var orb struct {
		Version     float64 `yaml:"version"`
		Description string  `yaml:"description"`
		Display     struct {
			HomeURL   string `yaml:"home_url"`
			SourceURL string `yaml:"source_url"`
		} `yaml:"display"`
	}
	decodeStrict(t, "orb/src/@orb.yml", files["orb/src/@orb.yml"], &orb)
	if orb.Version != 2.1 || orb.Description == "" || orb.Display.SourceURL == "" {
		t.Errorf("@orb.yml: %+v", orb)
	}
	var executor struct {
		Description string `yaml:"description"`
		Docker      []struct {
			Image string `yaml:"image"`
		} `yaml:"docker"`
	}
	decodeStrict(t, "orb/src/executors/default.yml", files["orb/src/executors/default.yml"], &executor)
	if len(executor.Docker) != 1 || executor.Docker[0].Image != Image+":"+ImageVersion {
		t.Errorf("executors/default.yml: %+v", executor)
	}

	for _, c := range ci.Manifest {
		p := path.Join("orb/src/commands", c.Name+".yml")
		var cmd struct {
			Description string                  `yaml:"description"`
			Parameters  map[string]orbParameter `yaml:"parameters"`
			Steps       []orbStep               `yaml:"steps"`
		}
		decodeStrict(t, p, files[p], &cmd)
		if len(cmd.Steps) != 1 || cmd.Steps[0].Run.Command != "sextant ci "+c.Name {
			t.Fatalf("%s: steps %+v, want one run of sextant ci %s", p, cmd.Steps, c.Name)
		}
		checkParameters(t, p, c, cmd.Parameters)
		env := cmd.Steps[0].Run.Environment
		for _, in := range c.InputsFor("circleci") {
			if v := env[envName(in.Name)]; v != "<< parameters."+in.Name+" >>" {
				t.Errorf("%s: %s = %q, want the parameter %s", p, envName(in.Name), v, in.Name)
			}
		}

		p = path.Join("orb/src/jobs", c.Name+".yml")
		var job struct {
			Description string                  `yaml:"description"`
			Executor    string                  `yaml:"executor"`
			Parameters  map[string]orbParameter `yaml:"parameters"`
			Steps       []any                   `yaml:"steps"`
		}
		decodeStrict(t, p, files[p], &job)
		if job.Executor != "default" || len(job.Steps) != 2 || job.Steps[0] != "checkout" {
			t.Errorf("%s: executor %q, steps %v; want default, checkout and the command", p, job.Executor, job.Steps)
		} else if step, ok := job.Steps[1].(map[string]any); !ok || step[c.Name] == nil {
			t.Errorf("%s: second step %v is not the %s command", p, job.Steps[1], c.Name)
		} else {
			pass, _ := step[c.Name].(map[string]any)
			for _, in := range c.InputsFor("circleci") {
				if pass[in.Name] != "<< parameters."+in.Name+" >>" {
					t.Errorf("%s: the job does not hand on parameter %s", p, in.Name)
				}
			}
		}
		checkParameters(t, p, c, job.Parameters)

		p = path.Join("orb/src/examples", c.Name+".yml")
		var ex struct {
			Description string `yaml:"description"`
			Usage       struct {
				Version   float64           `yaml:"version"`
				Orbs      map[string]string `yaml:"orbs"`
				Workflows map[string]struct {
					Jobs []map[string]map[string]any `yaml:"jobs"`
				} `yaml:"workflows"`
			} `yaml:"usage"`
		}
		decodeStrict(t, p, files[p], &ex)
		if ex.Description == "" || ex.Usage.Version != 2.1 || ex.Usage.Orbs["sextant"] != OrbNamespace+"@"+ImageVersion {
			t.Errorf("%s: %+v", p, ex)
		}
		used := false
		for _, w := range ex.Usage.Workflows {
			for _, j := range w.Jobs {
				if _, ok := j["sextant/"+c.Name]; ok {
					used = true
				}
			}
		}
		if !used {
			t.Errorf("%s: no workflow runs sextant/%s", p, c.Name)
		}
	}
}

func checkParameters(t *testing.T, p string, c ci.Command, params map[string]orbParameter) {
	t.Helper()
	if len(params) != len(c.InputsFor("circleci")) {
		t.Errorf("%s: %d parameters, want the command's %d inputs", p, len(params), len(c.InputsFor("circleci")))
	}
	for _, in := range c.InputsFor("circleci") {
		got, ok := params[in.Name]
		switch {
		case !ok:
			t.Errorf("%s: parameter %s is missing", p, in.Name)
		case got.Type != "string" && got.Type != "boolean":
			t.Errorf("%s: parameter %s: type %q", p, in.Name, got.Type)
		case got.Description != in.Description:
			t.Errorf("%s: parameter %s: description %q", p, in.Name, got.Description)
		case !in.Required && got.Default == nil:
			t.Errorf("%s: optional parameter %s has no default", p, in.Name)
		case got.Default != nil && !strings.EqualFold(toString(got.Default), in.Default):
			t.Errorf("%s: parameter %s: default %v, want %q", p, in.Name, got.Default, in.Default)
		}
	}
}

// TestPlatformConflicts: names and types the platforms cannot carry are errors, not files
// GitLab or CircleCI would reject when a pipeline starts.
func TestPlatformConflicts(t *testing.T) {
	cmd := func(name string, ins ...ci.Input) []ci.Command {
		return []ci.Command{{Name: name, Description: name + " things.", Inputs: ins}}
	}
	cases := map[string][]ci.Command{
		"unknown command": cmd("deploy"),
		"taken name":      cmd("plan", ci.Input{Name: "stage", Type: "string", Description: "Taken."}),
		"type":            cmd("plan", ci.Input{Name: "n", Type: "array", Description: "No such type."}),
	}
	for name, m := range cases {
		if _, err := gitlab(m, "1.0.0"); err == nil {
			t.Errorf("gitlab: %s: no error", name)
		}
	}
	for _, name := range []string{"unknown command", "type"} {
		if _, err := circleci(cases[name], "1.0.0"); err == nil {
			t.Errorf("circleci: %s: no error", name)
		}
	}
	for _, bad := range []string{"", "1.0 beta"} {
		if _, err := GitLab(bad); err == nil {
			t.Errorf("GitLab(%q): no error", bad)
		}
		if _, err := CircleCI(bad); err == nil {
			t.Errorf("CircleCI(%q): no error", bad)
		}
	}
}
