package ci

import "testing"

// envOf returns a getenv over vars, so tests never read or change the process environment.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"github", map[string]string{"GITHUB_ACTIONS": "true"}, "github"},
		{"github upper case", map[string]string{"GITHUB_ACTIONS": "TRUE"}, "github"},
		{"github switched off by hand", map[string]string{"GITHUB_ACTIONS": "false"}, "local"},
		{"gitlab", map[string]string{"GITLAB_CI": "true", "CI": "true"}, "gitlab"},
		{"gitlab switched off by hand", map[string]string{"GITLAB_CI": "false"}, "local"},
		{"circleci", map[string]string{"CIRCLECI": "true", "CI": "true"}, "circleci"},
		{"circleci switched off by hand", map[string]string{"CIRCLECI": ""}, "local"},
		{"nothing", map[string]string{}, "local"},
		{"generic CI", map[string]string{"CI": "true"}, "local"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Detect(envOf(tc.env))
			if got := p.Name(); got != tc.want {
				t.Fatalf("Detect(%v).Name() = %q, want %q", tc.env, got, tc.want)
			}
			switch tc.want {
			case "github":
				if _, ok := p.(*GitHub); !ok {
					t.Fatalf("Detect(%v) = %T, want *GitHub", tc.env, p)
				}
			case "gitlab":
				if _, ok := p.(*GitLab); !ok {
					t.Fatalf("Detect(%v) = %T, want *GitLab", tc.env, p)
				}
			case "circleci":
				if _, ok := p.(*CircleCI); !ok {
					t.Fatalf("Detect(%v) = %T, want *CircleCI", tc.env, p)
				}
			case "local":
				if _, ok := p.(*Local); !ok {
					t.Fatalf("Detect(%v) = %T, want *Local", tc.env, p)
				}
			}
		})
	}
}

func TestDetectNilGetenv(t *testing.T) {
	// nil means the process environment; whatever it holds, Detect answers with a platform.
	if p := Detect(nil); p == nil {
		t.Fatal("Detect(nil) = nil")
	}
}
