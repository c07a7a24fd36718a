package provider_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/provider"
)

// objectWith is a value of the object type typ with the given attributes set
// and every other one null.
func objectWith(typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	ot := typ.(tftypes.Object)
	vals := make(map[string]tftypes.Value, len(ot.AttributeTypes))
	for name, at := range ot.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(ot, vals)
}

func dynamic(t *testing.T, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatalf("dynamic value: %v", err)
	}
	return &dv
}

func attrs(t *testing.T, typ tftypes.Type, dv *tfprotov6.DynamicValue) map[string]tftypes.Value {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	m := map[string]tftypes.Value{}
	if err := v.As(&m); err != nil {
		t.Fatalf("as map: %v", err)
	}
	return m
}

func stringOf(t *testing.T, v tftypes.Value) string {
	t.Helper()
	if !v.IsKnown() {
		return "<unknown>"
	}
	var s string
	if err := v.As(&s); err != nil {
		t.Fatalf("as string: %v", err)
	}
	return s
}

func noErrors(t *testing.T, what string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s: %s", what, d.Summary, d.Detail)
		}
	}
}

// interruptCase is one resource whose create waits: its configuration, the
// route the wait polls, what must be unknown in the plan that resumes the
// wait, and how to finish the wait.
type interruptCase struct {
	typeName string
	config   map[string]tftypes.Value
	pollKey  string // "METHOD route" the wait polls
	waiting  string // status while waiting
	done     string // status once the wait is over
	unknown  []string
	finish   func(id string)
}

// interruptAndResume creates the object with a context cancelled during the
// wait (what the framework does on Ctrl-C), then plans and applies again as
// the next `terraform apply` would. It returns the emulator's requests.
func interruptAndResume(t *testing.T, e *acctest.Env, tc interruptCase) map[string]int {
	t.Helper()
	ctx := context.Background()
	srv, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	provType := schemas.Provider.ValueType()
	cfgResp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4",
		Config: dynamic(t, provType, objectWith(provType, map[string]tftypes.Value{
			"endpoint": tftypes.NewValue(tftypes.String, e.URL), "token": tftypes.NewValue(tftypes.String, acctest.Token),
		}))})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "configure", cfgResp.Diagnostics)

	typ := schemas.ResourceSchemas[tc.typeName].ValueType()
	config := dynamic(t, typ, objectWith(typ, tc.config))
	null := dynamic(t, typ, tftypes.NewValue(typ, nil))
	planned, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: tc.typeName,
		PriorState: null, ProposedNewState: config, Config: config})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "plan create", planned.Diagnostics)

	applyCtx, interrupt := context.WithCancel(ctx)
	done := make(chan *tfprotov6.ApplyResourceChangeResponse, 1)
	go func() {
		resp, err := srv.ApplyResourceChange(applyCtx, &tfprotov6.ApplyResourceChangeRequest{TypeName: tc.typeName,
			PriorState: null, PlannedState: planned.PlannedState, Config: config, PlannedPrivate: planned.PlannedPrivate})
		if err != nil {
			t.Error(err)
		}
		done <- resp
	}()
	// Interrupt once the provider is waiting (it has polled the object).
	for i := 0; e.Emulator.Stats().Requests[tc.pollKey] == 0; i++ {
		if i == 3000 {
			t.Fatalf("the provider never polled %s", tc.pollKey)
		}
		time.Sleep(10 * time.Millisecond)
	}
	interrupt()
	var created *tfprotov6.ApplyResourceChangeResponse
	select {
	case created = <-done:
	case <-time.After(time.Minute):
		t.Fatal("the create did not return after the interrupt")
	}
	if created == nil {
		t.FailNow()
	}
	noErrors(t, "interrupted create (an error would taint the object)", created.Diagnostics)
	if len(created.Diagnostics) != 1 || !strings.Contains(created.Diagnostics[0].Summary, "Interrupted") ||
		!strings.Contains(created.Diagnostics[0].Detail, "not tainted: the next apply resumes the wait") ||
		strings.Contains(created.Diagnostics[0].Detail, "timed out") {
		t.Errorf("diagnostics = %+v; want one warning saying the wait was interrupted", created.Diagnostics)
	}
	state := attrs(t, typ, created.NewState)
	id := stringOf(t, state["id"])
	if id == "" || stringOf(t, state["status"]) != tc.waiting {
		t.Fatalf("state after the interrupt: id %q, status %q; want the object, %s", id, stringOf(t, state["status"]), tc.waiting)
	}

	// The next apply: an in-place update that resumes the wait.
	replan, err := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: tc.typeName,
		PriorState: created.NewState, ProposedNewState: created.NewState, Config: config, PriorPrivate: created.Private})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "plan after the interrupt", replan.Diagnostics)
	if len(replan.RequiresReplace) != 0 {
		t.Fatalf("the next plan replaces the object (%v)", replan.RequiresReplace)
	}
	plannedAttrs := attrs(t, typ, replan.PlannedState)
	for _, name := range append([]string{"status"}, tc.unknown...) {
		if s := stringOf(t, plannedAttrs[name]); s != "<unknown>" {
			t.Fatalf("planned %s %q; want unknown, so the apply updates in place and waits", name, s)
		}
	}
	tc.finish(id)
	resumed, err := srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: tc.typeName,
		PriorState: created.NewState, PlannedState: replan.PlannedState, Config: config, PlannedPrivate: replan.PlannedPrivate})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "resumed apply", resumed.Diagnostics)
	final := attrs(t, typ, resumed.NewState)
	if stringOf(t, final["id"]) != id || stringOf(t, final["status"]) != tc.done {
		t.Errorf("after the resumed wait: id %q, status %q; want %q %s", stringOf(t, final["id"]), stringOf(t, final["status"]), id, tc.done)
	}
	return e.Emulator.Stats().Requests
}

// Ctrl-C during the provisioning wait: Terraform cancels the request's
// context. The create then says it was interrupted, as a warning (no error,
// so Terraform does not taint the workspace), and keeps the workspace in
// state with its current status. The next plan is an in-place update, not a
// replacement, and its apply resumes the wait: the same workspace, one POST,
// no DELETE.
func TestWorkspaceInterruptedCreateResumesNotReplaces(t *testing.T) {
	e := acctest.New(t) // Dedicated waits for a manual approval: the wait lasts until cancelled
	plan, err := e.Client().CreatePlan(context.Background(), api.PlanInput{Tier: string(catalog.Dedicated), Region: catalog.DefaultRegion})
	if err != nil {
		t.Fatal(err)
	}
	reqs := interruptAndResume(t, e, interruptCase{
		typeName: "rocketchat_workspace",
		config: map[string]tftypes.Value{
			"name": tftypes.NewValue(tftypes.String, "Acme"), "subdomain": tftypes.NewValue(tftypes.String, "acme-int"),
			"plan_id": tftypes.NewValue(tftypes.String, plan.ID),
		},
		pollKey: "GET " + api.RouteWorkspace, waiting: api.StatusPending, done: api.StatusReady,
		finish: func(string) { e.Emulator.ApproveAll() },
	})
	if reqs["POST "+api.RouteWorkspaces] != 1 || reqs["DELETE "+api.RouteWorkspace] != 0 || reqs["PATCH "+api.RouteWorkspace] != 0 {
		t.Errorf("workspace writes %v; want exactly one POST and no DELETE or PATCH", reqs)
	}
}

// The same for a custom domain waiting for its verification.
func TestCustomDomainInterruptedWaitResumesNotReplaces(t *testing.T) {
	e := acctest.New(t) // domains verify only through the admin API
	ctx := context.Background()
	c := e.Client()
	plan, err := c.CreatePlan(ctx, api.PlanInput{Tier: string(catalog.Standard), Region: catalog.DefaultRegion})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "Acme", Subdomain: "acme-dom", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	reqs := interruptAndResume(t, e, interruptCase{
		typeName: "rocketchat_custom_domain",
		config: map[string]tftypes.Value{
			"workspace_id": tftypes.NewValue(tftypes.String, ws.ID), "hostname": tftypes.NewValue(tftypes.String, "chat.example.com"),
			"wait_for_verification": tftypes.NewValue(tftypes.Bool, true),
		},
		pollKey: "GET " + api.RouteDomain, waiting: api.StatusPending, done: api.StatusVerified,
		unknown: []string{"certificate_status"},
		finish:  func(id string) { verifyDomain(t, e, id) },
	})
	if reqs["POST "+api.RouteDomains] != 1 || reqs["DELETE "+api.RouteDomain] != 0 {
		t.Errorf("domain writes %v; want exactly one POST and no DELETE", reqs)
	}
}
