package acctest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
)

// Some flows cannot be driven through terraform-plugin-testing (v1.16 has no
// `terraform query -generate-config-out`, no `apply -invoke`): those tests run
// the real CLI with os/exec in a working directory of their own, with the
// provider built into a filesystem mirror, as a user's machine would have it.

const (
	// MirrorVersion is the version the provider is built as in the mirror.
	MirrorVersion = "0.0.1"
	// A cold build of the provider takes about a minute on 2 cores.
	buildTimeout = 10 * time.Minute
	// CommandTimeout bounds one CLI command.
	CommandTimeout = 5 * time.Minute
)

// ProviderSource is the provider's registry address without its host: both
// Terraform (registry.terraform.io) and OpenTofu (registry.opentofu.org)
// resolve it, and the mirror holds the provider under both hosts.
const ProviderSource = "rocketchat/rocketchat"

// RequiredProviders is the terraform block of a working directory's configuration.
const RequiredProviders = `terraform {
  required_providers {
    rocketchat = {
      source = "` + ProviderSource + `"
    }
  }
}
`

// repoRoot is the repository's top directory (where go.mod is).
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// buildMirror builds the provider once per test binary into
// .build/acctest/<package>/mirror (one directory per package: go test runs
// packages at once) and writes a CLI configuration that installs it from
// there only, under both registry hosts.
var buildMirror = sync.OnceValues(func() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	work := filepath.Join(root, ".build", "acctest", filepath.Base(cwd))
	mirror := filepath.Join(work, "mirror")
	if err := os.RemoveAll(mirror); err != nil {
		return "", err
	}
	name := "terraform-provider-rocketchat_v" + MirrorVersion
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	platform := runtime.GOOS + "_" + runtime.GOARCH
	var bins []string
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		bins = append(bins, filepath.Join(mirror, host, ProviderSource, MirrorVersion, platform, name))
	}
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bins[0], "-ldflags", "-X main.version="+MirrorVersion, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build of the provider: %w\n%s", err, out)
	}
	if err := os.MkdirAll(filepath.Dir(bins[1]), 0o755); err != nil {
		return "", err
	}
	if err := os.Link(bins[0], bins[1]); err != nil {
		return "", err
	}
	cfg := filepath.Join(work, "cli.tfrc")
	body := fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/%s", "registry.opentofu.org/%s"]
  }
}
`, mirror, ProviderSource, ProviderSource)
	return cfg, os.WriteFile(cfg, []byte(body), 0o644)
})

// Mirror returns the path of a CLI configuration that installs the provider,
// built from this repository, from a local filesystem mirror (offline).
func Mirror(t *testing.T) string {
	t.Helper()
	cfg, err := buildMirror()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// WorkDir is a working directory in which a test runs the real CLI against
// its emulator, with the provider from the mirror.
type WorkDir struct {
	t   *testing.T
	CLI CLI
	Dir string
	env []string
}

// WorkDir makes a fresh working directory holding files (name -> content).
// The provider reads its endpoint and token from the environment
// (ROCKETCHAT_ENDPOINT, ROCKETCHAT_TOKEN), so a configuration needs no
// provider block.
func (e *Env) WorkDir(t *testing.T, cli CLI, files map[string]string) *WorkDir {
	t.Helper()
	w := &WorkDir{t: t, CLI: cli, Dir: t.TempDir(), env: []string{
		"TF_CLI_CONFIG_FILE=" + Mirror(t), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"ROCKETCHAT_ENDPOINT=" + e.URL, "ROCKETCHAT_TOKEN=" + Token,
	}}
	for name, body := range files {
		w.Write(name, body)
	}
	return w
}

// Write writes one file into the working directory.
func (w *WorkDir) Write(name, body string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.Dir, name), []byte(body), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// Read returns one file of the working directory.
func (w *WorkDir) Read(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.Dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// Exec runs the CLI with args and returns its combined output and exit code.
func (w *WorkDir) Exec(args ...string) (string, int) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), CommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.CLI.Path, args...)
	cmd.Dir = w.Dir
	cmd.Env = append(os.Environ(), w.env...)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		w.t.Fatalf("%s %s: no answer within %s:\n%s", w.CLI.Name, strings.Join(args, " "), CommandTimeout, out)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode()
	}
	if err != nil {
		w.t.Fatalf("%s %s: %v", w.CLI.Name, strings.Join(args, " "), err)
	}
	return string(out), 0
}

// Run runs the CLI and fails the test, with the whole output, unless it
// exits 0.
func (w *WorkDir) Run(args ...string) string {
	w.t.Helper()
	out, code := w.Exec(args...)
	if code != 0 {
		w.t.Fatalf("%s %s exited %d:\n%s", w.CLI.Name, strings.Join(args, " "), code, out)
	}
	return out
}

// Init runs init (offline: the mirror is the only provider source).
func (w *WorkDir) Init() {
	w.t.Helper()
	w.Run("init", "-input=false", "-no-color")
}

// Plan saves a plan to planFile and returns it as JSON, with the CLI's
// human-readable output.
func (w *WorkDir) Plan(planFile string, args ...string) (*tfjson.Plan, string) {
	w.t.Helper()
	out := w.Run(append([]string{"plan", "-input=false", "-no-color", "-out=" + planFile}, args...)...)
	js := w.Run("show", "-json", planFile)
	var p tfjson.Plan
	if err := json.Unmarshal([]byte(js), &p); err != nil {
		w.t.Fatalf("show -json %s: %v\n%s", planFile, err, js)
	}
	return &p, out
}

// State returns the state as JSON (`show -json`).
func (w *WorkDir) State() *tfjson.State {
	w.t.Helper()
	js := w.Run("show", "-json")
	var s tfjson.State
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		w.t.Fatalf("show -json: %v\n%s", err, js)
	}
	return &s
}

// ExpectEmptyPlan fails the test unless a refreshing plan proposes no change
// (`plan -detailed-exitcode` exits 0).
func (w *WorkDir) ExpectEmptyPlan() {
	w.t.Helper()
	out, code := w.Exec("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 0 {
		w.t.Fatalf("the plan is not empty (exit %d):\n%s", code, out)
	}
}
