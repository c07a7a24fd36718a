package acctest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	version "github.com/hashicorp/go-version"
)

// CLI is the Terraform-language CLI the acceptance tests run: Terraform or
// OpenTofu, at TF_ACC_TERRAFORM_PATH or `terraform` on PATH.
type CLI struct {
	Path    string
	Name    string // "Terraform" or "OpenTofu"
	Version *version.Version
}

// OpenTofu reports whether the CLI is OpenTofu.
func (c CLI) OpenTofu() bool { return c.Name == "OpenTofu" }

func (c CLI) String() string { return c.Name + " " + c.Version.String() }

// ProviderHost is the registry host the CLI resolves `rocketchat/rocketchat`
// on; TF_ACC_PROVIDER_HOST must name it when the CLI is OpenTofu.
func (c CLI) ProviderHost() string {
	if c.OpenTofu() {
		return "registry.opentofu.org"
	}
	return "registry.terraform.io"
}

// CLIPath is the CLI terraform-plugin-testing runs: TF_ACC_TERRAFORM_PATH, or
// `terraform` on PATH.
func CLIPath() (string, error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("TF_ACC_TERRAFORM_PATH=%s: %w", p, err)
		}
		return p, nil
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", fmt.Errorf("acceptance tests need the Terraform CLI on PATH (or TF_ACC_TERRAFORM_PATH pointing at terraform or tofu); nothing can be downloaded on this network")
	}
	return p, nil
}

// ParseCLIVersion reads the first line of `terraform version` or `tofu version`
// ("Terraform v1.14.9", "OpenTofu v1.11.14").
func ParseCLIVersion(out string) (name string, v *version.Version, err error) {
	line, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	name, ver, ok := strings.Cut(strings.TrimSpace(line), " v")
	if !ok || (name != "Terraform" && name != "OpenTofu") {
		return "", nil, fmt.Errorf("not the version line of Terraform or OpenTofu: %q", line)
	}
	v, err = version.NewVersion(ver)
	return name, v, err
}

// DetectCLI runs `CLI version` once per test binary.
var DetectCLI = sync.OnceValues(func() (CLI, error) {
	p, err := CLIPath()
	if err != nil {
		return CLI{}, err
	}
	if p, err = filepath.Abs(p); err != nil {
		return CLI{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, p, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", p, err)
	}
	name, v, err := ParseCLIVersion(string(out))
	if err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", p, err)
	}
	return CLI{Path: p, Name: name, Version: v}, nil
})

// Feature is a language feature that only newer CLIs have.
type Feature struct {
	Name string
	// The first release of each CLI that has it; "" when no release of that
	// CLI has it yet (as far as this suite knows).
	Terraform, OpenTofu string
}

// The features that gate tests. Resource identity is in OpenTofu 1.12
// (import blocks with `identity`); list resources and actions in no
// OpenTofu release tested so far.
var (
	FeatureIdentity      = Feature{Name: "resource identity (import by identity)", Terraform: "1.12.0", OpenTofu: "1.12.0"}
	FeatureListResources = Feature{Name: "list resources (terraform query)", Terraform: "1.14.0"}
	FeatureActions       = Feature{Name: "actions (action blocks, -invoke, action_trigger)", Terraform: "1.14.0"}
)

// SkipReasonPrefix starts the message of every test skipped because the CLI
// lacks a feature: `make testacc STRICT_CLI=1` fails on any such skip.
const SkipReasonPrefix = "needs a newer CLI: "

// Supports tells whether the CLI has the feature, and if not, why not.
func (c CLI) Supports(f Feature) (bool, string) {
	first := f.Terraform
	if c.OpenTofu() {
		first = f.OpenTofu
	}
	if first == "" {
		return false, fmt.Sprintf("%s%s: no %s release has it yet (Terraform %s+ does); this is %s",
			SkipReasonPrefix, f.Name, c.Name, strings.TrimSuffix(f.Terraform, ".0"), c)
	}
	if c.Version.Core().LessThan(version.Must(version.NewVersion(first))) {
		return false, fmt.Sprintf("%s%s: needs %s %s+; this is %s", SkipReasonPrefix, f.Name, c.Name, strings.TrimSuffix(first, ".0"), c)
	}
	return true, ""
}

// RequireFeature returns the CLI, or skips the test (with a reason that
// `make test` counts) when the CLI lacks the feature. Like every acceptance
// test it skips unless TF_ACC is set, and it fails the test when there is no
// CLI at all.
func RequireFeature(t *testing.T, features ...Feature) CLI {
	t.Helper()
	SkipUnlessAcc(t)
	c := MustCLI(t)
	for _, f := range features {
		if ok, why := c.Supports(f); !ok {
			t.Skip(why)
		}
	}
	return c
}

// MustCLI returns the CLI or fails the test.
func MustCLI(t *testing.T) CLI {
	t.Helper()
	c, err := DetectCLI()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// SkipUnlessAcc skips the test unless TF_ACC is set, as terraform-plugin-testing
// does for resource.Test.
func SkipUnlessAcc(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test and make testacc do)")
	}
}
