package client_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

// The API refuses what the provider refuses at plan time (the same shared
// validator): names under the platform's domain and trailing dots, with a
// 422 naming hostname and carrying the request ID.
func TestEmulatorRefusesReservedAndDottedHostnames(t *testing.T) {
	srv, err := emulator.New(emulator.Config{Tokens: map[string]string{"tok": "acme"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer func() { ts.Close(); _ = srv.Close() }()
	c, err := client.New(client.Config{Endpoint: ts.URL, Token: "tok", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	plan, err := c.CreatePlan(ctx, api.PlanInput{Tier: string(catalog.Standard), Region: catalog.DefaultRegion})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "Acme", Subdomain: "victim", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]string{
		"victim.rocket.chat": "is reserved", "rocket.chat": "is reserved", "api.rocket.chat": "is reserved",
		"chat.example.com.": "remove the trailing dot",
	} {
		_, err := c.CreateDomain(ctx, ws.ID, api.DomainInput{Hostname: host})
		var apiErr *client.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 {
			t.Errorf("%s: %v; want a 422", host, err)
			continue
		}
		fe := client.FieldErrors(err)
		if len(fe) != 1 || fe[0].Field != "hostname" || !strings.Contains(fe[0].Message, want) {
			t.Errorf("%s: field errors %+v; want one on hostname saying %q", host, fe, want)
		}
		if !strings.HasPrefix(client.RequestID(err), "req-") {
			t.Errorf("%s: no request ID in %v", host, err)
		}
	}
}
