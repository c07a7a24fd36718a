package provider_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func (p *proto) actionConfig(name string, vals map[string]tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	s, ok := p.schemas.ActionSchemas[name]
	if !ok {
		p.t.Fatalf("no action %s", name)
	}
	return p.dv(s.Schema.ValueType(), vals)
}

// planAction runs PlanAction and returns its error diagnostics.
func (p *proto) planAction(name string, vals map[string]tftypes.Value) string {
	p.t.Helper()
	resp, err := p.srv.PlanAction(p.ctx, &tfprotov6.PlanActionRequest{ActionType: name, Config: p.actionConfig(name, vals)})
	if err != nil {
		p.t.Fatal(err)
	}
	return errorsOf(resp.Diagnostics)
}

// invoke runs InvokeAction and consumes the event stream: the progress
// messages, and the error diagnostics of the completed event.
func (p *proto) invoke(name string, vals map[string]tftypes.Value) (progress []string, errs string) {
	p.t.Helper()
	stream, err := p.srv.InvokeAction(p.ctx, &tfprotov6.InvokeActionRequest{ActionType: name, Config: p.actionConfig(name, vals)})
	if err != nil {
		p.t.Fatal(err)
	}
	completed := 0
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			if completed > 0 {
				p.t.Fatal("progress after the completed event")
			}
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			completed++
			errs = errorsOf(e.Diagnostics)
		}
	}
	if completed != 1 {
		p.t.Fatalf("%d completed events, want 1", completed)
	}
	return progress, errs
}

func TestProtocolActionSchemas(t *testing.T) {
	p := newProto(t)
	want := map[string][]string{
		"rocketchat_workspace_export":     {"include_files", "timeout", "wait", "workspace_id"},
		"rocketchat_custom_domain_verify": {"custom_domain_id", "workspace_id"},
	}
	if len(p.schemas.ActionSchemas) != len(want) {
		t.Fatalf("%d actions", len(p.schemas.ActionSchemas))
	}
	for name, attrs := range want {
		s := p.schemas.ActionSchemas[name]
		if s == nil {
			t.Fatalf("no action %s", name)
		}
		var got []string
		for _, a := range s.Schema.Block.Attributes {
			got = append(got, a.Name)
		}
		if strings.Join(got, ",") != strings.Join(attrs, ",") || s.Schema.Block.Description == "" {
			t.Errorf("%s attributes %v, want %v", name, got, attrs)
		}
	}
	resp, err := p.srv.ValidateActionConfig(p.ctx, &tfprotov6.ValidateActionConfigRequest{ActionType: "rocketchat_workspace_export",
		Config: p.actionConfig("rocketchat_workspace_export", map[string]tftypes.Value{"workspace_id": str("ws-1"), "timeout": str("soon")})})
	if err != nil {
		t.Fatal(err)
	}
	if e := errorsOf(resp.Diagnostics); !strings.Contains(e, `"soon"`) {
		t.Fatalf("a bad timeout was accepted: %q", e)
	}
}

func TestProtocolAction_workspaceExport(t *testing.T) {
	p := newProto(t, acctest.WithProvisioning(catalog.Dedicated, catalog.ProvisionManual, 0))
	ctx := context.Background()
	c := p.env.Client()
	plan, _ := c.CreatePlan(ctx, api.PlanInput{Tier: "dedicated", Region: catalog.DefaultRegion})
	ws, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "Export", Subdomain: "export-ws", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	const name = "rocketchat_workspace_export"
	cfg := map[string]tftypes.Value{"workspace_id": str(ws.ID), "include_files": tftypes.NewValue(tftypes.Bool, true)}

	// Plan time: an unknown workspace is an error on workspace_id, a known one is fine.
	if e := p.planAction(name, map[string]tftypes.Value{"workspace_id": str("ws-missing")}); !strings.Contains(e, "ws-missing") {
		t.Fatalf("plan of an export of a missing workspace: %q", e)
	}
	if e := p.planAction(name, cfg); e != "" {
		t.Fatal(e)
	}

	// Not ready yet (Dedicated waits for approval): the API refuses, and the error says why.
	p.env.Emulator.ResetStats()
	progress, errs := p.invoke(name, cfg)
	if !strings.Contains(errs, "pending") || !strings.Contains(errs, "ready") || len(progress) != 0 {
		t.Fatalf("export of a pending workspace: progress %q, errors %q", progress, errs)
	}
	p.env.Emulator.ApproveAll()

	p.env.Emulator.ResetStats()
	progress, errs = p.invoke(name, cfg)
	if errs != "" {
		t.Fatal(errs)
	}
	if len(progress) != 2 || !strings.Contains(progress[0], "requested") || !strings.Contains(progress[0], "uploaded files") ||
		!strings.Contains(progress[1], "complete") {
		t.Fatalf("progress %q", progress)
	}
	st := p.env.Emulator.Stats()
	if st.Requests["POST "+api.RouteExports] != 1 || st.Requests["GET "+api.RouteExport] != 1 || st.Mutating != 1 {
		t.Fatalf("requests %v, want one POST and one GET of the export", st.Requests)
	}
	// The signed download link is a credential: never printed.
	for _, m := range progress {
		if strings.Contains(m, "signature") || strings.Contains(m, "https://") {
			t.Fatalf("the download link was printed: %q", m)
		}
	}

	// wait = false returns once the export is accepted.
	p.env.Emulator.ResetStats()
	cfg["wait"] = tftypes.NewValue(tftypes.Bool, false)
	progress, errs = p.invoke(name, cfg)
	if errs != "" || len(progress) != 2 || p.env.Emulator.Stats().Requests["GET "+api.RouteExport] != 0 {
		t.Fatalf("progress %q errors %q requests %v", progress, errs, p.env.Emulator.Stats().Requests)
	}
}

func TestProtocolAction_customDomainVerify(t *testing.T) {
	p := newProto(t)
	ctx := context.Background()
	c := p.env.Client()
	plan, _ := c.CreatePlan(ctx, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
	ws, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "Verify", Subdomain: "verify-ws", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.CreateDomain(ctx, ws.ID, api.DomainInput{Hostname: "chat.verify-action.example"})
	if err != nil {
		t.Fatal(err)
	}
	const name = "rocketchat_custom_domain_verify"
	cfg := map[string]tftypes.Value{"workspace_id": str(ws.ID), "custom_domain_id": str(d.ID)}

	if e := p.planAction(name, map[string]tftypes.Value{"workspace_id": str(ws.ID), "custom_domain_id": str("dom-missing")}); !strings.Contains(e, "dom-missing") {
		t.Fatalf("plan with a missing domain: %q", e)
	}
	// An ID known only after apply is not checked at plan time.
	if e := p.planAction(name, map[string]tftypes.Value{"workspace_id": str(ws.ID),
		"custom_domain_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}); e != "" {
		t.Fatal(e)
	}

	// No TXT record yet: an error naming the record and its value; nothing changes.
	_, errs := p.invoke(name, cfg)
	if !strings.Contains(errs, d.VerificationRecord.Name) || !strings.Contains(errs, d.VerificationRecord.Value) {
		t.Fatalf("errors %q do not name the record to create", errs)
	}
	if got, _ := c.GetDomain(ctx, ws.ID, d.ID); got.Status != api.StatusPending {
		t.Fatalf("%+v", got)
	}

	// Once the record is published, the action verifies the domain at once.
	p.env.Emulator.PublishTXT(d.VerificationRecord.Name, d.VerificationRecord.Value)
	p.env.Emulator.ResetStats()
	progress, errs := p.invoke(name, cfg)
	if errs != "" {
		t.Fatal(errs)
	}
	if len(progress) != 2 || !strings.Contains(progress[1], "chat.verify-action.example is verified") {
		t.Fatalf("progress %q", progress)
	}
	if st := p.env.Emulator.Stats(); st.Requests["POST "+api.RouteDomainVerify] != 1 || st.Mutating != 1 {
		t.Fatalf("requests %v", st.Requests)
	}
	if got, _ := c.GetDomain(ctx, ws.ID, d.ID); got.Status != api.StatusVerified || got.CertificateStatus != api.StatusIssued {
		t.Fatalf("%+v", got)
	}
}
