package cli

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/sextant-db/sextant/internal/config"
	"github.com/sextant-db/sextant/internal/devdb"
	"github.com/sextant-db/sextant/internal/workflow"
)

// projectFlags are the flags of the commands that work with the registry.
type projectFlags struct {
	schema, registry, devURL string
}

func (f *projectFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.schema, "schema", "", "the schema's name in sextant.yaml and the registry (default: the only schema configured, else \"app\")")
	cmd.Flags().StringVar(&f.registry, "registry", "", "registry: file://DIR, git:REF (a ref of the repository, e.g. git:refs/sextant/registry) or https://HOST with the token in $"+tokenEnv+" (default: sextant.yaml's registry, else "+config.DefaultRegistry+")")
	cmd.Flags().StringVar(&f.devURL, "dev-url", "", "dev database for SQL sources and rehearsals (default: the schema's dev in sextant.yaml, else "+defaultDevURL+"): "+devdb.Forms)
}

// load reads sextant.yaml and opens the project, flags overriding the file.
func (f *projectFlags) load(cmd *cobra.Command) (*workflow.Project, error) {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return nil, err
	}
	return openProject(cfg, f.schema, f.registry, f.devURL)
}

// openProject opens the project of cfg; schemaName, registryURL and devURL override the
// configuration when not empty. A registry server's token comes from the environment, never a
// flag or sextant.yaml.
func openProject(cfg *config.Config, schemaName, registryURL, devURL string) (*workflow.Project, error) {
	return workflow.Open(cfg, workflow.Options{Schema: schemaName, Registry: registryURL, DevURL: devURL, Token: os.Getenv(tokenEnv)})
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// actor is who runs the command, for plan and apply records.
func actor() string {
	for _, v := range []string{"SEXTANT_ACTOR", "USER", "LOGNAME"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return "unknown"
}
