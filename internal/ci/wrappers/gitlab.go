package wrappers

import (
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sextant-db/sextant/internal/ci"
)

// GitLabGlob matches the CI/CD components under the repository root. GitLab finds a
// project's components in templates/ and nowhere else, so the folder is the generator's: a
// file there that the manifest does not produce is stale.
const GitLabGlob = "templates/*.yml"

// gitlabJob is what GitLab needs beyond the manifest: the stage a command's job runs in by
// default and the rules that decide in which pipelines it exists. They belong to the platform,
// not the runner, so they live here; a command without an entry is an error rather than a job
// that runs in every pipeline.
type gitlabJob struct {
	stage string
	rules func() *yaml.Node
	// reports are the artifacts:reports the job leaves, report type to file.
	reports [][2]string
}

var gitlabJobs = map[string]gitlabJob{
	// A plan belongs to a merge request: it is stored PENDING and posted as a note on it.
	"plan": {
		stage: "test",
		rules: func() *yaml.Node {
			return seq(mapping(str("if"), str(`$CI_PIPELINE_SOURCE == "merge_request_event"`)))
		},
		// The Code Quality report puts lint findings in the merge request widget. The runner
		// writes it; when=always (below) keeps it from a job that lint failed, which is when
		// it matters most.
		reports: [][2]string{{"dotenv", "sextant.env"}, {"codequality", "gl-code-quality-report.json"}},
	},
	// Approval happens once the merge request is merged, so on the default branch only, where
	// the job may hold a token with the approve scope that merge request pipelines never see.
	"approve": {
		stage: "test",
		rules: func() *yaml.Node {
			return seq(mapping(str("if"), str(`$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`)))
		},
		reports: [][2]string{{"dotenv", "sextant.env"}},
	},
	// Applying changes a database, so a person starts it: a manual job on the default branch,
	// after approve (a later stage). Teams with their own deploy rules override them with
	// rules: in the job that includes the component.
	"apply": {
		stage: "deploy",
		rules: func() *yaml.Node {
			return seq(mapping(
				str("if"), str(`$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`),
				str("when"), str("manual"),
			))
		},
		reports: [][2]string{{"dotenv", "sextant.env"}},
	},
}

// gitlabInputTypes are the manifest's types that GitLab's spec:inputs knows.
var gitlabInputTypes = map[string]bool{"string": true, "boolean": true, "number": true}

// GitLab returns the CI/CD components, templates/<command>.yml, keyed by slash-separated path
// relative to the repository root, for the image tag version. Each component is one job that
// runs `sextant ci <command>` in the Sextant image and hands it the inputs as
// SEXTANT_INPUT_<NAME> variables.
func GitLab(version string) (map[string][]byte, error) {
	return gitlab(ci.Manifest, version)
}

func gitlab(manifest []ci.Command, version string) (map[string][]byte, error) {
	if !dockerTag.MatchString(version) {
		return nil, fmt.Errorf("image version %q is not a valid Docker tag", version)
	}
	if len(manifest) == 0 {
		return nil, fmt.Errorf("the manifest declares no command")
	}
	files := make(map[string][]byte, len(manifest))
	for _, c := range manifest {
		if err := checkCommand(c); err != nil {
			return nil, err
		}
		p := path.Join("templates", c.Name+".yml")
		if _, dup := files[p]; dup {
			return nil, fmt.Errorf("command %s is declared twice", c.Name)
		}
		spec, job, err := component(c, version)
		if err != nil {
			return nil, err
		}
		if files[p], err = encodeDocs(p, spec, job); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// component builds the two documents of one component: the spec header and the job.
func component(c ci.Command, version string) (spec, job *yaml.Node, err error) {
	g, ok := gitlabJobs[c.Name]
	if !ok {
		return nil, nil, fmt.Errorf("command %s: no GitLab stage and rules are declared for it (gitlabJobs)", c.Name)
	}

	// The job's name and stage are inputs too, so a pipeline can include a component twice
	// (two schemas) or fit it into stages of its own.
	inputs := mapping(
		str("job-name"), mapping(
			str("type"), str("string"),
			str("default"), str("sextant-"+c.Name),
			str("description"), str("Name of the job."),
		),
		str("stage"), mapping(
			str("type"), str("string"),
			str("default"), str(g.stage),
			str("description"), str("Stage the job runs in."),
		),
	)
	vars := mapping()
	if c.Name == "plan" {
		// The first plan of a schema starts from the desired state at the merge request's base
		// commit, which a shallow clone does not have.
		vars.Content = append(vars.Content, str("GIT_DEPTH"), str("0"))
	}
	for _, in := range c.InputsFor("gitlab") {
		if in.Name == "job-name" || in.Name == "stage" {
			return nil, nil, fmt.Errorf("command %s: input name %q is taken by the component's own input", c.Name, in.Name)
		}
		typ := in.Type
		if typ == "" {
			typ = "string"
		}
		if !gitlabInputTypes[typ] {
			return nil, nil, fmt.Errorf("command %s: input %s has type %q; GitLab inputs are string, boolean or number", c.Name, in.Name, in.Type)
		}
		m := mapping(str("type"), str(typ))
		// GitLab makes an input without a default mandatory. The runner reads an empty
		// variable as unset, so "" keeps an optional string input optional.
		switch {
		case in.Required:
		case in.Default != "" && typ == "boolean":
			m.Content = append(m.Content, str("default"), boolean(in.Default == "true"))
		case in.Default != "" && typ == "number":
			m.Content = append(m.Content, str("default"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: in.Default})
		case typ == "string":
			m.Content = append(m.Content, str("default"), str(in.Default))
		default:
			return nil, nil, fmt.Errorf("command %s: optional %s input %s needs a default for GitLab", c.Name, typ, in.Name)
		}
		m.Content = append(m.Content, str("description"), str(in.Description))
		inputs.Content = append(inputs.Content, str(in.Name), m)
		// Quoted: a variable's value is a string whatever the input's type.
		vars.Content = append(vars.Content, str(envName(in.Name)), quoted("$[[ inputs."+in.Name+" ]]"))
	}
	spec = mapping(str("spec"), mapping(str("inputs"), inputs))

	reports := mapping()
	for _, r := range g.reports {
		reports.Content = append(reports.Content, str(r[0]), str(r[1]))
	}
	entrypoint := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: []*yaml.Node{quoted("")}}
	job = mapping(str("$[[ inputs.job-name ]]"), mapping(
		str("stage"), str("$[[ inputs.stage ]]"),
		// The image's entrypoint is the sextant binary; GitLab runs the script in a shell, so
		// the entrypoint is cleared.
		str("image"), mapping(str("name"), str(Image+":"+version), str("entrypoint"), entrypoint),
		str("variables"), vars,
		str("script"), seq(str("sextant ci "+c.Name)),
		str("rules"), g.rules(),
		str("artifacts"), mapping(
			str("when"), str("always"),
			str("reports"), reports,
		),
	))
	return spec, job, nil
}

// envName is the variable the runner reads input name from outside GitHub
// (SEXTANT_INPUT_<NAME>, - as _), the same spelling internal/ci uses.
func envName(name string) string {
	return "SEXTANT_INPUT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}
