package moduletest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

const (
	repoRoot = "../.."
	// A suite takes seconds.
	suiteTimeout = 5 * time.Minute
)

func TestExampleModules(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run the example modules' terraform test suites (make test does)")
	}
	// Terraform (1.9+) or OpenTofu: TF_ACC_TERRAFORM_PATH, or terraform on PATH.
	cli := acctest.MustCLI(t)
	tf := cli.Path
	modules, err := filepath.Glob(filepath.Join(repoRoot, "examples", "modules", "*", "tests"))
	if err != nil || len(modules) == 0 {
		t.Fatalf("no example module with tests under examples/modules (%v)", err)
	}
	work := t.TempDir()
	cliConfig := acctest.Mirror(t) // the provider under both registry hosts
	junitDir, err := filepath.Abs(filepath.Join(repoRoot, ".build", "moduletest"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(junitDir, 0o755); err != nil {
		t.Fatal(err)
	}

	for _, testsDir := range modules {
		modDir := filepath.Dir(testsDir)
		name := filepath.Base(modDir)
		t.Run(name, func(t *testing.T) {
			suites, _ := filepath.Glob(filepath.Join(testsDir, "*.tftest.hcl"))
			if len(suites) == 0 {
				t.Skip("no .tftest.hcl files")
			}
			dir := filepath.Join(work, name)
			if err := os.CopyFS(dir, os.DirFS(modDir)); err != nil {
				t.Fatal(err)
			}
			_ = os.RemoveAll(filepath.Join(dir, ".terraform")) // a local init's leftovers
			_ = os.Remove(filepath.Join(dir, ".terraform.lock.hcl"))
			emu := startEmulator(t, suites)
			env := []string{"TF_CLI_CONFIG_FILE=" + cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
				"ROCKETCHAT_ENDPOINT=" + emu.url}
			terraform(t, dir, env, tf, "init", "-input=false", "-no-color")
			for _, suite := range suites {
				file := filepath.Base(suite)
				t.Run(strings.TrimSuffix(file, ".tftest.hcl"), func(t *testing.T) {
					args := []string{"test", "-no-color", "-filter=tests/" + file}
					// OpenTofu 1.11's `tofu test` writes no JUnit report.
					junit := filepath.Join(junitDir, name+"_"+strings.TrimSuffix(file, ".tftest.hcl")+".xml")
					if !cli.OpenTofu() {
						args = append(args, "-junit-xml="+junit)
					}
					out := terraform(t, dir, append(env, "ROCKETCHAT_TOKEN="+emu.tokens[file]), tf, args...)
					if !strings.Contains(out, "Success!") {
						t.Fatalf("%s test reported no success:\n%s", cli.Name, out)
					}
					if _, err := os.Stat(junit); err != nil && !cli.OpenTofu() {
						t.Fatalf("no JUnit report: %v", err)
					}
					// The suite cleaned up after itself: its organization is empty.
					for kind, n := range emu.server.Counts(emu.orgs[file]) {
						if n != 0 {
							t.Errorf("%d %s left in organization %s after the suite", n, kind, emu.orgs[file])
						}
					}
					t.Log(lastLine(out))
				})
			}
		})
	}
}

type emulatorEnv struct {
	url    string
	server *emulator.Server
	tokens map[string]string // suite file -> API token
	orgs   map[string]string // suite file -> organization
}

// startEmulator serves one in-memory emulator with an organization per
// suite. Every tier provisions at once (the suites upgrade to dedicated,
// which otherwise waits for a manual approval) and domains stay pending.
func startEmulator(t *testing.T, suites []string) *emulatorEnv {
	t.Helper()
	e := &emulatorEnv{tokens: map[string]string{}, orgs: map[string]string{}}
	cfgTokens := map[string]string{}
	for i, suite := range suites {
		file := filepath.Base(suite)
		org := fmt.Sprintf("suite-%d-%s", i, strings.TrimSuffix(file, ".tftest.hcl"))
		e.tokens[file], e.orgs[file] = "token-"+org, org
		cfgTokens["token-"+org] = org
	}
	immediate := emulator.ProvisioningConfig{Mode: catalog.ProvisionImmediate}
	srv, err := emulator.New(emulator.Config{Tokens: cfgTokens, Provisioning: map[catalog.Tier]emulator.ProvisioningConfig{
		catalog.Standard: immediate, catalog.Premium: immediate, catalog.Dedicated: immediate}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.Close()
		_ = srv.Close()
	})
	e.url, e.server = hs.URL, srv
	return e
}

// terraform runs the CLI in dir and returns its output; it fails the test
// with the whole output when the command fails or runs out of time.
func terraform(t *testing.T, dir string, env []string, tf string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, tf, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("terraform %s: no answer within %s:\n%s", args[0], suiteTimeout, out)
	}
	if err != nil {
		t.Fatalf("terraform %s failed (%v):\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
