package ci

import "slices"

// The manifest declares the runner's commands with their inputs and outputs. It is the one
// source of the CI wrappers: the GitHub Action (action.yml, action/<command>/action.yml), the
// GitLab CI/CD components (templates/) and the CircleCI orb (orb/) are generated from it, and a
// test fails when a generated file is stale.

// Command is one runner command: sextant ci <Name>.
type Command struct {
	Name        string
	Description string
	Inputs      []Input
	Outputs     []Output
}

// Input is a named input of a command. Platforms spell the name their way (GitHub: INPUT_<NAME>
// upper-cased; elsewhere SEXTANT_INPUT_<NAME> with - as _).
type Input struct {
	Name        string
	Description string
	Default     string
	Required    bool
	Type        string // "string", "boolean" or "number"
	// Platforms lists the platforms whose wrappers offer the input ("github", "gitlab",
	// "circleci"); empty means every one. The runner reads every input on every platform.
	Platforms []string
}

// InputsFor returns the inputs of c that platform's wrapper offers, in the manifest's order.
func (c Command) InputsFor(platform string) []Input {
	var out []Input
	for _, in := range c.Inputs {
		if len(in.Platforms) == 0 || slices.Contains(in.Platforms, platform) {
			out = append(out, in)
		}
	}
	return out
}

// Output is a named output of a command.
type Output struct {
	Name        string
	Description string
}

// Common inputs, shared by every command.
var commonInputs = []Input{
	{Name: "config", Type: "string", Default: "sextant.yaml", Description: "Project configuration file (see sextant init)."},
	{Name: "schema", Type: "string", Description: "Name of the schema in sextant.yaml; needed when it configures several."},
	{Name: "dev-url", Type: "string", Description: "Dev database for normalising and rehearsing: local://postgres (default) or postgres://… of a server Sextant may create databases on."},
	{Name: "registry", Type: "string", Description: "Registry URL; default the one in sextant.yaml, else file://.sextant."},
	{Name: "working-directory", Type: "string", Default: ".", Description: "Directory to run in (the one holding sextant.yaml)."},
	{Name: "output-dir", Type: "string", Default: ".sextant-out", Description: "Directory, relative to working-directory, for the files the job writes for later steps: " +
		"sextant-outputs.json and a relative sarif path. Created with a .gitignore, so a step that commits the registry does not commit them."},
	{Name: "token", Type: "string", Description: "API token for pull-request comments; on GitHub the job's GITHUB_TOKEN by default. Elsewhere prefer token-variable, which keeps the secret out of the pipeline file."},
	{Name: "token-variable", Type: "string", Platforms: []string{"gitlab", "circleci"},
		Description: "Name of the environment variable that holds the API token when token is not given; default GITLAB_TOKEN on GitLab and for GitLab-hosted CircleCI projects, else GITHUB_TOKEN."},
	{Name: "api-url", Type: "string", Platforms: []string{"circleci"},
		Description: "API root of the code host, when the repository URL does not tell it: https://HOST/api/v3 for GitHub Enterprise Server, https://HOST/api/v4 for a self-managed GitLab."},
}

// Common outputs.
var commonOutputs = []Output{
	{Name: "plan", Description: "Name of the plan."},
	{Name: "status", Description: "Status of the plan: PENDING, APPROVED, ABORTED, or none when nothing changes."},
	{Name: "from", Description: "Fingerprint of the state the plan starts from."},
	{Name: "to", Description: "Fingerprint of the desired state."},
	{Name: "changes", Description: "Number of statements in the plan."},
	{Name: "errors", Description: "Number of lint diagnostics of severity error."},
}

// Manifest lists the runner's commands.
var Manifest = []Command{
	{
		Name:        "plan",
		Description: "On a pull request: plan the schema change, lint and rehearse it, store it as PENDING and post it as a review comment.",
		Inputs: append(commonInputs[:len(commonInputs):len(commonInputs)],
			Input{Name: "from", Type: "string", Description: "Current schema; default the registry state tagged with the default branch, else the desired state at the base commit, else empty."},
			Input{Name: "to", Type: "string", Description: "Desired schema; default the schema's source in sextant.yaml."},
			Input{Name: "sarif", Type: "string", Description: "Write the lint results as SARIF to this file, for code scanning; a relative path is taken under output-dir."},
		),
		Outputs: commonOutputs,
	},
	{
		Name:        "approve",
		Description: "On a push to the default branch: approve the merged pull request's plan and record the desired state as the branch's tag.",
		Inputs: append(commonInputs[:len(commonInputs):len(commonInputs)],
			Input{Name: "to", Type: "string", Description: "Desired schema; default the schema's source in sextant.yaml."},
		),
		Outputs: commonOutputs,
	},
	{
		Name:        "apply",
		Description: "On deploy: bring a database to the desired state with its approved plan; the review policy decides when there is none.",
		Inputs: append(commonInputs[:len(commonInputs):len(commonInputs)],
			Input{Name: "url", Type: "string", Description: "Target database URL (pass it from a secret); or use env."},
			Input{Name: "env", Type: "string", Description: "Environment of sextant.yaml whose url_env names the target."},
			Input{Name: "to", Type: "string", Description: "Desired schema; default the schema's source in sextant.yaml."},
			Input{Name: "review", Type: "string", Description: "Review policy when no plan is approved: error, warning or always; default from sextant.yaml."},
			Input{Name: "wait-timeout", Type: "string", Description: "With review policy always: how long to wait for an approval, e.g. 30m."},
			Input{Name: "lock-timeout", Type: "string", Description: "Fail a statement that waits longer than this for a lock, e.g. 5s."},
			Input{Name: "statement-timeout", Type: "string", Description: "Fail a statement that runs longer than this, e.g. 10m."},
			Input{Name: "dry-run", Type: "boolean", Default: "false", Description: "Print the plan that would run and change nothing."},
		),
		Outputs: append(commonOutputs[:len(commonOutputs):len(commonOutputs)],
			Output{Name: "result", Description: "How the apply ended: applied, no-change or failed."},
		),
	},
}

// Lookup returns the command called name, or nil.
func Lookup(name string) *Command {
	for i := range Manifest {
		if Manifest[i].Name == name {
			return &Manifest[i]
		}
	}
	return nil
}
