package provider_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

const domainAddr = "rocketchat_custom_domain.test"

func domainConfig(e *acctest.Env, hostname, extra string) string {
	return childConfig(e, "standard", fmt.Sprintf(`
resource "rocketchat_custom_domain" "test" {
  workspace_id = rocketchat_workspace.test.id
  hostname     = %q
  %s
}
`, hostname, extra))
}

func expectDomainRecord(attr string, want map[string]knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(domainAddr, tfjsonpath.New(attr), knownvalue.ObjectExact(want))
}

// verifyDomain verifies a domain through the emulator's admin API, as an
// operator (or the DNS check) would.
func verifyDomain(t *testing.T, e *acctest.Env, id string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost,
		e.URL+strings.Replace(api.RouteAdminVerifyDomain, "{domain_id}", id, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+acctest.AdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("verify domain %s: %v", id, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("verify domain %s: status %d", id, resp.StatusCode)
	}
}

func TestAccCustomDomain_basic(t *testing.T) {
	e := acctest.New(t)
	var ws, id string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{
			{
				Config: domainConfig(e, "chat.example.com", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(domainAddr, "id", knownvalue.StringRegexp(regexp.MustCompile(`^dom-`))),
					expectAttr(domainAddr, "hostname", knownvalue.StringExact("chat.example.com")),
					expectAttr(domainAddr, "status", knownvalue.StringExact("pending")),
					expectAttr(domainAddr, "certificate_status", knownvalue.StringExact("pending")),
					expectAttr(domainAddr, "wait_for_verification", knownvalue.Bool(false)),
					expectDomainRecord("verification_record", map[string]knownvalue.Check{
						"type":  knownvalue.StringExact("TXT"),
						"name":  knownvalue.StringExact("_rocketchat-challenge.chat.example.com"),
						"value": knownvalue.StringRegexp(regexp.MustCompile(`^rocketchat-verification=[0-9a-f]+$`)),
					}),
					expectDomainRecord("routing_record", map[string]knownvalue.Check{
						"type":  knownvalue.StringExact("CNAME"),
						"name":  knownvalue.StringExact("chat.example.com"),
						"value": knownvalue.StringExact("acme-chat.rocket.chat"),
					}),
					statecheck.CompareValuePairs(domainAddr, tfjsonpath.New("workspace_id"),
						"rocketchat_workspace.test", tfjsonpath.New("id"), compare.ValuesSame()),
				},
				Check: captureChild(domainAddr, &ws, &id),
			},
			{
				ResourceName:      domainAddr,
				ImportState:       true,
				ImportStateIdFunc: childImportID(domainAddr),
				ImportStateVerify: true,
			},
			{
				// Verified behind Terraform's back: refresh records it, and the
				// plan stays empty (status is computed-only).
				PreConfig: func() { verifyDomain(t, e, id) },
				Config:    domainConfig(e, "chat.example.com", ""),
				PlanOnly:  true,
			},
			{
				// wait_for_verification is the one in-place change.
				Config: domainConfig(e, "chat.example.com", "wait_for_verification = true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(domainAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(domainAddr, "status", knownvalue.StringExact("verified")),
					expectAttr(domainAddr, "certificate_status", knownvalue.StringExact("issued")),
				},
			},
			{
				// A new hostname is a new custom domain.
				Config: domainConfig(e, "talk.example.com", "wait_for_verification = true\ntimeouts {\n create = \"1s\"\n}"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(domainAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ExpectError: regexp.MustCompile(`(?s)verification did not complete.*_rocketchat-challenge\.talk\.example\.com.*tainted`),
			},
		},
	})
}

func TestAccCustomDomain_waitForVerification(t *testing.T) {
	e := acctest.New(t, acctest.WithDomainVerifyDelay(500*time.Millisecond))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: domainConfig(e, "chat.example.com", "wait_for_verification = true"),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr(domainAddr, "status", knownvalue.StringExact("verified")),
				expectAttr(domainAddr, "certificate_status", knownvalue.StringExact("issued")),
			},
		}},
	})
}

func TestAccCustomDomain_disappears(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: disappearsSteps(t, domainConfig(e, "chat.example.com", ""), domainAddr, func(ws, id string) error {
			return e.Client().DeleteDomain(context.Background(), ws, id)
		}),
	})
}

func TestAccCustomDomain_malformedImportID(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps:                    []resource.TestStep{malformedImportStep(domainConfig(e, "chat.example.com", ""), domainAddr, "custom_domain")},
	})
}

func TestAccCustomDomain_invalidHostnameAtPlan(t *testing.T) {
	e := acctest.New(t)
	for host, want := range map[string]string{
		"https://chat.example.com": `remove the scheme`,
		"chat.example.com:8443":    `remove the port`,
		"chat.example.com/x":       `remove the path`,
		"Chat.Example.com":         `use lowercase letters`,
		"localhost":                `at least two labels`,
		"-bad.example.com":         words(`may hold only letters, digits and inner hyphens`),
	} {
		t.Run(host, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: e.Factories(),
				Steps: []resource.TestStep{{
					Config:      domainConfig(e, host, ""),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)Invalid hostname.*` + want),
				}},
			})
		})
	}
	if n := e.Mutations(); n != 0 {
		t.Errorf("emulator saw %d mutating requests; want 0", n)
	}
}

// A hostname belongs to one workspace across all organizations: the 409 is
// reported on the hostname attribute.
func TestAccCustomDomain_hostnameTakenByOtherOrg(t *testing.T) {
	e := acctest.New(t)
	ctx := context.Background()
	other, err := client.New(client.Config{Endpoint: e.URL, Token: acctest.OtherToken, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	p, err := other.CreatePlan(ctx, api.PlanInput{Tier: "standard", Region: "us-east"})
	if err != nil {
		t.Fatal(err)
	}
	w, err := other.CreateWorkspace(ctx, api.WorkspaceInput{Name: "Globex", Subdomain: "globex-chat", PlanID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.CreateDomain(ctx, w.ID, api.DomainInput{Hostname: "chat.example.com"}); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: []resource.TestStep{{
			Config: domainConfig(e, "chat.example.com", ""),
			ExpectError: regexp.MustCompile(`(?s)Cannot add custom domain.*hostname\s+=\s+"chat\.example\.com".*` +
				words(`hostname "chat.example.com" is already in use by another organization's workspace`)),
		}},
	})
}

// The Standard tier's custom domain quota holds at plan time on an existing workspace.
func TestAccCustomDomain_quotaAtPlan(t *testing.T) {
	e := acctest.New(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: e.Factories(),
		Steps: tierGateSteps(e, childConfig(e, "standard", domainsConfig(5)), childConfig(e, "standard", domainsConfig(6)),
			regexp.MustCompile(`(?s)Tier quota exceeded.*`+fmt.Sprintf(words(`the standard tier allows at most 5 custom domains per workspace and workspace %s already has 5`), `"ws-[^"]+"`))),
	})
}

func domainsConfig(n int) string {
	return fmt.Sprintf(`
resource "rocketchat_custom_domain" "test" {
  count        = %d
  workspace_id = rocketchat_workspace.test.id
  hostname     = "chat${count.index}.example.com"
}
`, n)
}
