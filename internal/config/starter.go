package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"text/template"

	"gopkg.in/yaml.v3"
)

//go:embed starter.yaml
var starterText string

var starterTemplate = template.Must(template.New("starter.yaml").Parse(starterText))

// The starter's schema when Starter leaves it unset.
const (
	StarterSchemaName = "app"
	StarterSource     = "file://schema/"
)

// Starter is the commented sextant.yaml that `sextant init` writes: one schema, one
// environment, every key explained in a comment.
type Starter struct {
	SchemaName string // the schema's name; StarterSchemaName when empty
	Source     string // its desired state; StarterSource when empty
}

// Render returns the starter file. It is loaded before it is returned, so a file Render
// produces always passes Load.
func (s Starter) Render() ([]byte, error) {
	if s.SchemaName == "" {
		s.SchemaName = StarterSchemaName
	}
	if s.Source == "" {
		s.Source = StarterSource
	}
	if !namePattern.MatchString(s.SchemaName) {
		return nil, fmt.Errorf("schema name: %s", badName(s.SchemaName))
	}
	if strings.ContainsAny(s.Source, "\r\n") {
		return nil, errors.New("source: want one line")
	}
	d := &decoder{}
	if !d.checkURL(nil, "", s.Source, sourceSchemes, "e.g. "+StarterSource, "leave it out of the URL and set PGPASSWORD (or use ~/.pgpass)") {
		return nil, fmt.Errorf("source: %s", d.errs[0].Msg)
	}
	var b bytes.Buffer
	err := starterTemplate.Execute(&b, map[string]string{
		"SchemaName": yamlScalar(s.SchemaName),
		"Source":     yamlScalar(s.Source),
	})
	if err != nil {
		return nil, fmt.Errorf("starter template: %w", err)
	}
	if _, err := Parse(DefaultFile, b.Bytes()); err != nil {
		return nil, fmt.Errorf("starter template does not load (a bug): %w", err)
	}
	return b.Bytes(), nil
}

// Write writes the starter to path. An existing file is only replaced when force is set: it
// may hold a team's settings. The error for an existing file matches fs.ErrExist.
func (s Starter) Write(path string, force bool) error {
	b, err := s.Render()
	if err != nil {
		return err
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if !force {
		flag |= os.O_EXCL // checked by the kernel: no window between a check and the write
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return &fs.PathError{Op: "write starter", Path: path, Err: fs.ErrExist}
	}
	if err != nil {
		return fmt.Errorf("write starter: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write starter: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write starter: %w", err)
	}
	return nil
}

// WriteStarter writes the default starter to path; see Starter.Write.
func WriteStarter(path string, force bool) error {
	return Starter{}.Write(path, force)
}

// yamlScalar renders s as a YAML scalar, quoted only when a plain one would read as
// something else (true, null, 1.5, a value with ": " or "#").
func yamlScalar(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s) // a JSON string is a YAML double-quoted scalar
	}
	return strings.TrimSuffix(string(b), "\n")
}
