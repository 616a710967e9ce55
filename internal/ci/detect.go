package ci

import (
	"os"
	"strings"
)

// Detect returns the platform the process runs on, judged by the variables each CI system sets
// in every job. getenv is the environment to read (os.Getenv when nil); passing it in keeps
// tests away from the process environment. Messages and workflow commands go to os.Stdout;
// build a platform with NewGitHub or NewLocal to send them elsewhere.
//
// GitHub Actions (GITHUB_ACTIONS), GitLab CI (GITLAB_CI) and CircleCI (CIRCLECI) each have a
// platform; anything else is the local platform.
func Detect(getenv func(string) string) Platform {
	if getenv == nil {
		getenv = os.Getenv
	}
	if isTrue(getenv("GITHUB_ACTIONS")) {
		return NewGitHub(getenv, os.Stdout)
	}
	if isTrue(getenv("GITLAB_CI")) {
		return NewGitLab(getenv, os.Stdout)
	}
	if isTrue(getenv("CIRCLECI")) {
		return NewCircleCI(getenv, os.Stdout)
	}
	return NewLocal(getenv, os.Stdout)
}

// isTrue reads a CI marker variable. Every one of them is set to "true" by its system; a
// variable exported empty or as "false" by hand (to test a pipeline locally) must not switch
// platforms.
func isTrue(v string) bool {
	return strings.EqualFold(strings.TrimSpace(v), "true")
}
