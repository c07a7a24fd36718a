// Package acctest starts an in-process Rocket.Chat Cloud emulator for
// acceptance tests and wires the provider to it.
package acctest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/provider"
)

// Tokens of the test organizations.
const (
	Token      = "acc-token-acme"
	OtherToken = "acc-token-globex"
	AdminToken = "acc-admin-token"
)

// Env is one emulator per test, with the provider pointed at it.
type Env struct {
	t        *testing.T
	Emulator *emulator.Server
	URL      string
}

// Option changes the emulator's configuration before it starts.
type Option func(*emulator.Config)

// WithProvisioning sets one tier's provisioning mode.
func WithProvisioning(t catalog.Tier, mode catalog.ProvisioningMode, delay time.Duration) Option {
	return func(c *emulator.Config) { c.Provisioning[t] = emulator.ProvisioningConfig{Mode: mode, Delay: delay} }
}

// New starts an in-memory emulator for the test. By default every tier is
// provisioned at once except Dedicated, which needs ApproveAll, as in production.
func New(t *testing.T, opts ...Option) *Env {
	t.Helper()
	cfg := emulator.Config{
		Tokens:     map[string]string{Token: "acme", OtherToken: "globex"},
		AdminToken: AdminToken,
		Provisioning: map[catalog.Tier]emulator.ProvisioningConfig{
			catalog.Standard:  {Mode: catalog.ProvisionImmediate},
			catalog.Premium:   {Mode: catalog.ProvisionDelayed, Delay: 200 * time.Millisecond},
			catalog.Dedicated: {Mode: catalog.ProvisionManual},
		},
	}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := emulator.New(cfg)
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	return &Env{t: t, Emulator: srv, URL: ts.URL}
}

// ProviderConfig is the provider block for this emulator.
func (e *Env) ProviderConfig() string {
	return fmt.Sprintf(`
provider "rocketchat" {
  endpoint = %q
  token    = %q
}
`, e.URL, Token)
}

// Factories serve the provider in-process over protocol 6.
func (e *Env) Factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"rocketchat": providerserver.NewProtocol6WithError(provider.New("test")()),
	}
}

// Client talks to the emulator as the test organization, for out-of-band changes.
func (e *Env) Client() *client.Client {
	c, err := client.New(client.Config{Endpoint: e.URL, Token: Token, MaxRetries: -1})
	if err != nil {
		e.t.Fatalf("client: %v", err)
	}
	return c
}

// Mutations is the number of mutating requests the emulator received.
func (e *Env) Mutations() int { return e.Emulator.Stats().Mutating }

// ApproveWhilePending approves every pending Dedicated provisioning until the
// test ends, as an operator would.
func (e *Env) ApproveWhilePending() {
	ctx, cancel := context.WithCancel(context.Background())
	e.t.Cleanup(cancel)
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				e.Emulator.ApproveAll()
			}
		}
	}()
}

// PreCheck fails fast, and clearly, when no Terraform CLI is available.
func PreCheck(t *testing.T) {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return
		}
		t.Fatalf("TF_ACC_TERRAFORM_PATH=%s does not exist", p)
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("acceptance tests need the Terraform CLI on PATH (or TF_ACC_TERRAFORM_PATH); nothing can be downloaded on this network")
	}
}

// CheckNoMutations fails the test if the emulator received any mutating
// request since the last ResetStats; use it in the PreConfig of the step
// after a plan-time error.
func (e *Env) CheckNoMutations() func() {
	return func() {
		if n := e.Mutations(); n != 0 {
			e.t.Errorf("the emulator received %d mutating request(s) before the plan-time error; want 0 (%v)", n, e.Emulator.Stats().Requests)
		}
	}
}

// Reset forgets the requests counted so far (for a step's PreConfig).
func (e *Env) Reset() func() { return e.Emulator.ResetStats }

var (
	workspaceBlockRE    = regexp.MustCompile(`(?m)^resource "rocketchat_workspace" "[^"]+" \{\n`)
	protectionOnRE      = regexp.MustCompile(`deletion_protection(\s*)=\s*true`)
	blockEndRE          = regexp.MustCompile(`(?m)^\}`)
	protectionAttribute = "  deletion_protection = false\n"
)

// Unprotected turns deletion protection off in every top-level
// rocketchat_workspace block of cfg (setting it where a block leaves it to
// the default), so a test can apply it as its own step before the destroy
// that ends the test: lifting protection is an apply of its own.
func Unprotected(cfg string) string {
	cfg = protectionOnRE.ReplaceAllString(cfg, "deletion_protection${1}= false")
	var out strings.Builder
	for {
		loc := workspaceBlockRE.FindStringIndex(cfg)
		if loc == nil {
			out.WriteString(cfg)
			return out.String()
		}
		end := len(cfg)
		if e := blockEndRE.FindStringIndex(cfg[loc[1]:]); e != nil {
			end = loc[1] + e[0]
		}
		out.WriteString(cfg[:loc[1]])
		if !strings.Contains(cfg[loc[1]:end], "deletion_protection") {
			out.WriteString(protectionAttribute)
		}
		cfg = cfg[loc[1]:]
	}
}
