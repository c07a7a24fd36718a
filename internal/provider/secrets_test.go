package provider_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
)

// Write-only admin passwords of the secrets test. The configuration holds
// them reversed (strrev), so the clear value appears in no file Terraform
// writes unless the provider or Terraform leaked it.
const (
	secretPassword1 = "pw1-7c4e-never-in-state-or-logs"
	secretPassword2 = "pw2-a91f-rotated-never-stored"
)

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

func secretsConfig(e *acctest.Env, password string, version int) string {
	return fmt.Sprintf(`
provider "rocketchat" {
  endpoint = %q
}

resource "rocketchat_plan_tier" "test" {
  tier = "standard"
}

resource "rocketchat_workspace" "test" {
  name                      = "Secret Keeper"
  subdomain                 = "secret-keeper"
  plan_id                   = rocketchat_plan_tier.test.id
  admin_password_wo         = strrev(%q)
  admin_password_wo_version = %d
  deletion_protection       = false
}
`, e.URL, reverse(password), version)
}

// secrets are the values that must never be written anywhere.
var secrets = map[string]string{
	"API token":                 acctest.Token,
	"admin password":            secretPassword1,
	"rotated admin password":    secretPassword2,
	"other organization token":  acctest.OtherToken,
	"emulator admin API secret": acctest.AdminToken,
}

// findSecrets names every secret that occurs in b.
func findSecrets(where string, b []byte) []string {
	var out []string
	for name, v := range secrets {
		if bytes.Contains(b, []byte(v)) {
			out = append(out, fmt.Sprintf("%s found in %s", name, where))
		}
	}
	return out
}

// noSecretsInJSON fails a plan or state check when the value, as JSON, holds a secret.
func noSecretsInJSON(what string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if leaks := findSecrets(what, b); len(leaks) > 0 {
		return fmt.Errorf("%s", strings.Join(leaks, "; "))
	}
	return nil
}

type noSecretsPlan struct{}

func (noSecretsPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = noSecretsInJSON("the plan (terraform show -json)", req.Plan)
}

type noSecretsState struct{}

func (noSecretsState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = noSecretsInJSON("the state (terraform show -json)", req.State)
}

// scanTree reads every file under dir (and every member of zip files, such
// as the saved plan) and reports the secrets it finds.
func scanTree(t *testing.T, dir string) (leaks []string, files int, states int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return err
		}
		if d.Name() == "terraform.tfstate" {
			states++
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(dir, p)
		leaks = append(leaks, findSecrets(rel, b)...)
		if zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err == nil {
			for _, f := range zr.File {
				rc, err := f.Open()
				if err != nil {
					return err
				}
				mb, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					return err
				}
				leaks = append(leaks, findSecrets(rel+"!"+f.Name, mb)...)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("scan %s: %v", dir, err)
	}
	return leaks, files, states
}

// TestAccSecrets_neverLoggedNorStored runs create, password rotation, a
// refresh-only plan and destroy with TRACE logging of both the Terraform CLI
// and the in-process provider (TF_ACC_LOG_PATH receives both), keeping the
// working directories. The API token (given through ROCKETCHAT_TOKEN) and
// the write-only admin passwords must appear in no log line, no plan, no
// state and no file Terraform wrote, while the API did receive them.
func TestAccSecrets_neverLoggedNorStored(t *testing.T) {
	e := acctest.New(t)
	logFile := filepath.Join(t.TempDir(), "terraform-and-provider.log")
	workDir := t.TempDir()
	// Not parallel: t.Setenv.
	t.Setenv("ROCKETCHAT_TOKEN", acctest.Token)
	t.Setenv("TF_ACC_LOG_PATH", logFile) // CLI log and the in-process provider's tflog sink
	t.Setenv("TF_ACC_LOG", "TRACE")      // CLI level
	t.Setenv("TF_LOG", "TRACE")          // provider sink level
	t.Setenv("TF_LOG_SDK_PROTO", "TRACE")
	t.Setenv("TF_ACC_TEMP_DIR", workDir)
	t.Setenv("TF_ACC_PERSIST_WORKING_DIR", "1")

	checks := func() []statecheck.StateCheck { return []statecheck.StateCheck{noSecretsState{}} }
	planChecks := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{noSecretsPlan{}},
		PostApplyPostRefresh: []plancheck.PlanCheck{noSecretsPlan{}, plancheck.ExpectEmptyPlan()},
	}
	passwordSet := func(s *tfState) error {
		id := s.RootModule().Resources["rocketchat_workspace.test"].Primary.ID
		w, err := e.Client().GetWorkspace(context.Background(), id)
		if err != nil {
			return err
		}
		if !w.AdminPasswordSet {
			return fmt.Errorf("the API never received the write-only password")
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config:            secretsConfig(e, secretPassword1, 1),
				ConfigPlanChecks:  planChecks,
				ConfigStateChecks: checks(),
				Check:             passwordSet,
			},
			{
				// Rotation sends the new password again.
				Config:            secretsConfig(e, secretPassword2, 2),
				ConfigPlanChecks:  planChecks,
				ConfigStateChecks: checks(),
				Check:             passwordSet,
			},
			{
				RefreshState: true,
			},
		},
	})
	if t.Failed() {
		return
	}

	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatalf("no log was written: %v", err)
	}
	// The log is only evidence if it holds what would leak: the provider's
	// own request lines (with the redacted header) and the CLI's trace.
	for _, want := range []string{"Rocket.Chat API request", "Bearer ***", "[TRACE]", "admin_password_wo"} {
		if !bytes.Contains(logs, []byte(want)) {
			t.Errorf("the log (%d bytes) lacks %q; it cannot prove the secrets stay out of it", len(logs), want)
		}
	}
	for _, leak := range findSecrets("the TRACE log", logs) {
		t.Error(leak)
	}
	leaks, files, states := scanTree(t, workDir)
	if files < 3 || states == 0 {
		t.Errorf("only %d files (%d state files) in the kept working directories; the scan proves nothing", files, states)
	}
	for _, leak := range leaks {
		t.Error(leak)
	}
	t.Logf("scanned %d bytes of TRACE log and %d files of working directories", len(logs), files)
}

// TestAccProvider_customCABundle: with the API behind TLS signed by a
// private CA, ca_cert_file makes apply work; without it, the error names
// the certificate problem.
func TestAccProvider_customCABundle(t *testing.T) {
	e := acctest.New(t)
	ts := httptest.NewUnstartedServer(e.Emulator)
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	ts.StartTLS()
	t.Cleanup(ts.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := func(caLine string) string {
		return fmt.Sprintf(`
provider "rocketchat" {
  endpoint = %q
  token    = %q
  %s
}

resource "rocketchat_plan_tier" "tls" {
  tier = "standard"
}
`, ts.URL, acctest.Token, caLine)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg(fmt.Sprintf("ca_cert_file = %q", filepath.Join(t.TempDir(), "missing.pem"))),
				PlanOnly:    true,
				ExpectError: errorRE(`Cannot read CA bundle`),
			},
			{
				Config:      cfg(""),
				ExpectError: errorRE(`tls: failed to verify certificate: x509: certificate signed by unknown authority.*set ca_cert_file`),
			},
			{
				Config: cfg(fmt.Sprintf("ca_cert_file = %q", caFile)),
				Check: func(s *tfState) error {
					if n := e.Emulator.Counts("acme")["plans"]; n != 1 {
						return fmt.Errorf("%d plans through TLS, want 1", n)
					}
					return nil
				},
			},
		},
	})
	if n := e.Emulator.Counts("acme")["plans"]; n != 0 {
		t.Errorf("destroy through TLS left %d plans", n)
	}
}
