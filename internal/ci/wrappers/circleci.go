package wrappers

import (
	"fmt"
	"path"

	"gopkg.in/yaml.v3"

	"github.com/sextant-db/sextant/internal/ci"
)

// The CircleCI orb is kept as source in the orb-tools layout (orb/src/@orb.yml with one file
// per command, job, executor and example), which `circleci orb pack orb/src` turns into the
// published orb. Commands run `sextant ci <command>` and pass parameters as
// SEXTANT_INPUT_<NAME>; jobs wrap a command in the default executor, the Sextant image.

// OrbNamespace is the orb's name in the CircleCI registry, as the examples import it.
const OrbNamespace = "sextant-db/sextant"

// CircleCIGlobs match the orb files the generator writes per command; a file there that the
// manifest does not produce is stale.
var CircleCIGlobs = []string{"orb/src/commands/*.yml", "orb/src/jobs/*.yml", "orb/src/examples/*.yml", "orb/src/executors/*.yml"}

// circleciExample is the workflow an example shows for a command: the filters that pick its
// branches, and whether a person must release it first. Like gitlabJobs it is platform
// knowledge the manifest does not carry.
type circleciExample struct {
	description string
	branches    *yaml.Node // the job's filters: branches: value
	hold        bool       // an approval job gates the command
}

var circleciExamples = map[string]circleciExample{
	// CircleCI builds branches, not pull requests; with "Only build pull requests" set in the
	// project, a branch other than main builds once it has a pull request.
	"plan": {
		description: "Plan, lint and rehearse the schema change of every pull request branch, and post the plan as a review comment.",
		branches:    mapping(str("ignore"), str("main")),
	},
	"approve": {
		description: "Approve the merged pull request's plan on main. Give this job, and no other, a registry token with the approve scope (a restricted context).",
		branches:    mapping(str("only"), str("main")),
	},
	"apply": {
		description: "Deploy: once a person approves the hold job, apply the approved plan to the database of the prod environment in sextant.yaml, as sextant init writes it (its url_env variable in a context).",
		branches:    mapping(str("only"), str("main")),
		hold:        true,
	},
}

// exampleEnv is the environment the apply example deploys to: the one `sextant init` writes
// into sextant.yaml, so that the example works as it is copied.
const exampleEnv = "prod"

// circleciTypes maps manifest types to orb parameter types. A number stays a string: CircleCI's
// integer would reject a fractional value the runner accepts.
var circleciTypes = map[string]string{"": "string", "string": "string", "boolean": "boolean", "number": "string"}

// CircleCI returns the orb source, keyed by slash-separated path relative to the repository
// root, for the image tag version. The examples import the orb at the same version: orb and
// image are released together.
func CircleCI(version string) (map[string][]byte, error) {
	return circleci(ci.Manifest, version)
}

func circleci(manifest []ci.Command, version string) (map[string][]byte, error) {
	if !dockerTag.MatchString(version) {
		return nil, fmt.Errorf("image version %q is not a valid Docker tag", version)
	}
	if len(manifest) == 0 {
		return nil, fmt.Errorf("the manifest declares no command")
	}
	docs := map[string]*yaml.Node{
		"orb/src/@orb.yml": mapping(
			str("version"), configVersion(),
			str("description"), str("Schema-as-code for CI/CD: plan, lint and rehearse database schema changes on pull requests, "+
				"approve them on merge, apply exactly the approved SQL on deploy."),
			str("display"), mapping(
				str("home_url"), str("https://github.com/sextant-db/sextant"),
				str("source_url"), str("https://github.com/sextant-db/sextant"),
			),
		),
		// CircleCI replaces the primary container's entrypoint (the sextant binary) with its
		// own shell, so the image needs no override here.
		"orb/src/executors/default.yml": mapping(
			str("description"), str("The Sextant image: the sextant binary and the PostgreSQL server binaries of the local://postgres dev database."),
			str("docker"), seq(mapping(str("image"), str(Image+":"+version))),
		),
	}
	for _, c := range manifest {
		if err := checkCommand(c); err != nil {
			return nil, err
		}
		ex, ok := circleciExamples[c.Name]
		if !ok {
			return nil, fmt.Errorf("command %s: no CircleCI example workflow is declared for it (circleciExamples)", c.Name)
		}
		cmdPath := path.Join("orb/src/commands", c.Name+".yml")
		if _, dup := docs[cmdPath]; dup {
			return nil, fmt.Errorf("command %s is declared twice", c.Name)
		}
		params, env, pass := mapping(), mapping(), mapping()
		for _, in := range c.InputsFor("circleci") {
			typ, ok := circleciTypes[in.Type]
			if !ok {
				return nil, fmt.Errorf("command %s: input %s has type %q; orb parameters here are string or boolean", c.Name, in.Name, in.Type)
			}
			p := mapping(str("type"), str(typ))
			switch {
			case in.Required:
			case typ == "boolean":
				p.Content = append(p.Content, str("default"), boolean(in.Default == "true"))
			default:
				// An optional parameter needs a default; "" reaches the runner as unset.
				p.Content = append(p.Content, str("default"), str(in.Default))
			}
			p.Content = append(p.Content, str("description"), str(in.Description))
			params.Content = append(params.Content, str(in.Name), p)
			ref := "<< parameters." + in.Name + " >>"
			// Quoted, so a boolean reaches the environment as the string the runner reads.
			env.Content = append(env.Content, str(envName(in.Name)), quoted(ref))
			// Plain, so a boolean parameter receives a boolean.
			pass.Content = append(pass.Content, str(in.Name), str(ref))
		}
		docs[cmdPath] = mapping(
			str("description"), str(c.Description),
			str("parameters"), params,
			str("steps"), seq(mapping(str("run"), mapping(
				str("name"), str("sextant ci "+c.Name),
				str("environment"), env,
				str("command"), str("sextant ci "+c.Name),
			))),
		)
		// The job takes the command's parameters and hands them on, so a workflow configures
		// it in one place.
		docs[path.Join("orb/src/jobs", c.Name+".yml")] = mapping(
			str("description"), str(c.Description),
			str("executor"), str("default"),
			str("parameters"), params,
			str("steps"), seq(str("checkout"), mapping(str(c.Name), pass)),
		)
		docs[path.Join("orb/src/examples", c.Name+".yml")] = example(c.Name, ex, version)
	}

	files := make(map[string][]byte, len(docs))
	for p, d := range docs {
		var err error
		if files[p], err = encodeDocs(p, d); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// example is the usage example of one command: a complete config.yml with one workflow.
func example(name string, ex circleciExample, version string) *yaml.Node {
	job := mapping(str("filters"), mapping(str("branches"), ex.branches))
	var jobs []*yaml.Node
	if ex.hold {
		jobs = append(jobs, mapping(str("hold"), mapping(str("type"), str("approval"), str("filters"), mapping(str("branches"), ex.branches))))
		job.Content = append(job.Content, str("requires"), seq(str("hold")))
	}
	switch name {
	case "approve":
		job.Content = append(job.Content, str("context"), str("sextant-approve"))
	case "apply":
		job.Content = append(job.Content, str("context"), str("production-database"), str("env"), str(exampleEnv))
	}
	jobs = append(jobs, mapping(str("sextant/"+name), job))
	return mapping(
		str("description"), str(ex.description),
		str("usage"), mapping(
			str("version"), configVersion(),
			str("orbs"), mapping(str("sextant"), str(OrbNamespace+"@"+version)),
			str("workflows"), mapping(str("schema-"+name), mapping(str("jobs"), seq(jobs...))),
		),
	)
}

// configVersion is CircleCI's config version 2.1, written as the number its documentation uses.
func configVersion() *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: "2.1"}
}
