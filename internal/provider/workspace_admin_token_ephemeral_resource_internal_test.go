package provider

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// Open against a stub API, without Terraform or the emulator: one POST to
// the admin-tokens route, and the answer in the result.
func TestWorkspaceAdminTokenOpen(t *testing.T) {
	expires := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	var calls int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.Method != http.MethodPost || r.URL.Path != "/v1/workspaces/ws-1/admin-tokens" {
			http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(api.AdminToken{Token: "tok-123", ExpiresAt: expires})
	}))
	defer srv.Close()
	c, err := client.New(client.Config{Endpoint: srv.URL, Token: "t", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	r := NewWorkspaceAdminTokenEphemeralResource().(*workspaceAdminTokenEphemeralResource)
	var cresp ephemeral.ConfigureResponse
	r.Configure(ctx, ephemeral.ConfigureRequest{ProviderData: c}, &cresp)
	var sresp ephemeral.SchemaResponse
	r.Schema(ctx, ephemeral.SchemaRequest{}, &sresp)
	if diags := append(cresp.Diagnostics, sresp.Diagnostics...); diags.HasError() {
		t.Fatalf("configure/schema: %v", diags)
	}
	if a, ok := sresp.Schema.Attributes["token"].(schema.StringAttribute); !ok || !a.Sensitive || !a.Computed {
		t.Errorf("token must be a sensitive computed string, got %#v", sresp.Schema.Attributes["token"])
	}

	typ := sresp.Schema.Type().TerraformType(ctx)
	cfg := tftypes.NewValue(typ, map[string]tftypes.Value{
		"workspace_id": tftypes.NewValue(tftypes.String, "ws-1"),
		"token":        tftypes.NewValue(tftypes.String, nil),
		"expires_at":   tftypes.NewValue(tftypes.String, nil),
	})
	req := ephemeral.OpenRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: cfg}}
	resp := ephemeral.OpenResponse{Result: tfsdk.EphemeralResultData{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nil)}}
	r.Open(ctx, req, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("open: %v", resp.Diagnostics)
	}
	var got workspaceAdminTokenModel
	if diags := resp.Result.Get(ctx, &got); diags.HasError() {
		t.Fatal(diags)
	}
	if got.Token.ValueString() != "tok-123" || got.ExpiresAt.ValueString() != "2030-01-02T03:04:05Z" || got.WorkspaceID.ValueString() != "ws-1" {
		t.Errorf("result = %+v", got)
	}
	if calls != 1 {
		t.Errorf("the API received %d requests, want 1", calls)
	}
}
