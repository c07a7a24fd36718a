package provider_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/acctest"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/provider"
)

// The Terraform CLI on this machine (1.11) cannot import by identity, run
// `terraform query` or invoke actions, and terraform-plugin-testing skips
// such steps. These helpers drive the provider the way Terraform 1.12-1.14
// does, through the protocol 6 RPCs, served in-process against the
// in-process emulator, so the features are tested in every `go test`.

// protoServer is the provider server with the RPCs of Terraform 1.14.
type protoServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
}

// proto is a configured provider server talking to its own emulator.
type proto struct {
	t          *testing.T
	ctx        context.Context
	env        *acctest.Env
	srv        protoServer
	schemas    *tfprotov6.GetProviderSchemaResponse
	identities *tfprotov6.GetResourceIdentitySchemasResponse
}

func newProto(t *testing.T, opts ...acctest.Option) *proto {
	t.Helper()
	env := acctest.New(t, opts...)
	base, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	srv, ok := base.(protoServer)
	if !ok {
		t.Fatalf("%T does not serve list resources and actions", base)
	}
	p := &proto{t: t, ctx: context.Background(), env: env, srv: srv}
	if p.schemas, err = srv.GetProviderSchema(p.ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	p.noErrors("GetProviderSchema", p.schemas.Diagnostics)
	if p.identities, err = srv.GetResourceIdentitySchemas(p.ctx, &tfprotov6.GetResourceIdentitySchemasRequest{}); err != nil {
		t.Fatal(err)
	}
	p.noErrors("GetResourceIdentitySchemas", p.identities.Diagnostics)
	p.configure()
	return p
}

// configure starts a new Terraform walk: Terraform configures the provider
// at the start of every command, which also starts the walk's caches afresh.
func (p *proto) configure() {
	p.t.Helper()
	p.configureAt(p.env.URL)
}

// configureAt starts a new walk against another endpoint (a proxy in front
// of the emulator).
func (p *proto) configureAt(endpoint string) {
	p.t.Helper()
	cfg := p.dv(p.schemas.Provider.ValueType(), map[string]tftypes.Value{
		"endpoint": tftypes.NewValue(tftypes.String, endpoint),
		"token":    tftypes.NewValue(tftypes.String, acctest.Token),
	})
	resp, err := p.srv.ConfigureProvider(p.ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: cfg})
	if err != nil {
		p.t.Fatal(err)
	}
	p.noErrors("ConfigureProvider", resp.Diagnostics)
}

// noErrors fails the test on any error diagnostic.
func (p *proto) noErrors(what string, diags []*tfprotov6.Diagnostic) {
	p.t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			p.t.Fatalf("%s: %s: %s", what, d.Summary, d.Detail)
		}
	}
}

// errorsOf joins the error diagnostics' summaries and details.
func errorsOf(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			b.WriteString(d.Summary + ": " + d.Detail + "\n")
		}
	}
	return b.String()
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// obj builds an object of typ from vals; every attribute not in vals is null.
func obj(typ tftypes.Type, vals map[string]tftypes.Value) tftypes.Value {
	ot := typ.(tftypes.Object)
	all := make(map[string]tftypes.Value, len(ot.AttributeTypes))
	for name, at := range ot.AttributeTypes {
		if v, ok := vals[name]; ok {
			all[name] = v
		} else {
			all[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(typ, all)
}

func (p *proto) dv(typ tftypes.Type, vals map[string]tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	return p.dvOf(typ, obj(typ, vals))
}

func (p *proto) dvOf(typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	d, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		p.t.Fatal(err)
	}
	return &d
}

// attrs decodes a dynamic value of typ into its attributes.
func (p *proto) attrs(typ tftypes.Type, d *tfprotov6.DynamicValue) map[string]tftypes.Value {
	p.t.Helper()
	if d == nil {
		p.t.Fatal("no value")
	}
	v, err := d.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	out := map[string]tftypes.Value{}
	if err := v.As(&out); err != nil {
		p.t.Fatal(err)
	}
	return out
}

// strAttr is one string attribute of a decoded object ("" when null).
func strAttr(t *testing.T, vals map[string]tftypes.Value, name string) string {
	t.Helper()
	var s *string
	if err := vals[name].As(&s); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if s == nil {
		return ""
	}
	return *s
}

func (p *proto) resourceType(name string) tftypes.Type {
	p.t.Helper()
	s, ok := p.schemas.ResourceSchemas[name]
	if !ok {
		p.t.Fatalf("no resource %s", name)
	}
	return s.ValueType()
}

func (p *proto) identityType(name string) tftypes.Type {
	p.t.Helper()
	s, ok := p.identities.IdentitySchemas[name]
	if !ok {
		p.t.Fatalf("no identity schema for %s", name)
	}
	return s.ValueType()
}

// identity builds identity data of the resource type.
func (p *proto) identity(name string, ids map[string]string) *tfprotov6.ResourceIdentityData {
	vals := map[string]tftypes.Value{}
	for k, v := range ids {
		vals[k] = str(v)
	}
	return &tfprotov6.ResourceIdentityData{IdentityData: p.dv(p.identityType(name), vals)}
}

// identityStrings decodes identity data into strings.
func (p *proto) identityStrings(name string, id *tfprotov6.ResourceIdentityData) map[string]string {
	p.t.Helper()
	if id == nil || id.IdentityData == nil {
		p.t.Fatalf("%s: no identity returned", name)
	}
	out := map[string]string{}
	for k, v := range p.attrs(p.identityType(name), id.IdentityData) {
		out[k] = strAttr(p.t, map[string]tftypes.Value{k: v}, k)
	}
	return out
}

// importByIdentity imports with `import { identity = ids }` and reads the
// object as Terraform does right after, returning the read's answer.
// importByIdentity imports and reads, in a walk of its own.
func (p *proto) importByIdentity(name string, ids map[string]string) *tfprotov6.ReadResourceResponse {
	p.t.Helper()
	p.configure()
	imp, err := p.srv.ImportResourceState(p.ctx, &tfprotov6.ImportResourceStateRequest{TypeName: name, Identity: p.identity(name, ids)})
	if err != nil {
		p.t.Fatal(err)
	}
	p.noErrors("ImportResourceState "+name, imp.Diagnostics)
	if len(imp.ImportedResources) != 1 {
		p.t.Fatalf("%d imported resources", len(imp.ImportedResources))
	}
	r := imp.ImportedResources[0]
	return p.readInWalk(name, r.State, r.Identity, r.Private)
}

// read refreshes one object, in a walk of its own.
func (p *proto) read(name string, state *tfprotov6.DynamicValue, identity *tfprotov6.ResourceIdentityData, private []byte) *tfprotov6.ReadResourceResponse {
	p.t.Helper()
	p.configure()
	return p.readInWalk(name, state, identity, private)
}

// readInWalk refreshes one object in the current walk.
func (p *proto) readInWalk(name string, state *tfprotov6.DynamicValue, identity *tfprotov6.ResourceIdentityData, private []byte) *tfprotov6.ReadResourceResponse {
	p.t.Helper()
	resp, err := p.srv.ReadResource(p.ctx, &tfprotov6.ReadResourceRequest{
		TypeName: name, CurrentState: state, CurrentIdentity: identity, Private: private,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// apply plans and applies a change as Terraform does: the proposed new state
// is the configuration, with computed attributes the configuration leaves
// null taken from the prior state.
func (p *proto) apply(name string, prior *tfprotov6.DynamicValue, priorIdentity *tfprotov6.ResourceIdentityData, config map[string]tftypes.Value) *tfprotov6.ApplyResourceChangeResponse {
	p.t.Helper()
	typ := p.resourceType(name)
	cfg := obj(typ, config)
	proposed := map[string]tftypes.Value{}
	_ = cfg.As(&proposed)
	if prior != nil {
		priorVals := p.attrs(typ, prior)
		for _, a := range p.schemas.ResourceSchemas[name].Block.Attributes {
			if a.Computed && proposed[a.Name].IsNull() {
				proposed[a.Name] = priorVals[a.Name]
			}
		}
	} else {
		prior = p.dvOf(typ, tftypes.NewValue(typ, nil))
	}
	plan, err := p.srv.PlanResourceChange(p.ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: name, PriorState: prior, PriorIdentity: priorIdentity,
		ProposedNewState: p.dvOf(typ, tftypes.NewValue(typ, proposed)), Config: p.dvOf(typ, cfg),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.noErrors("PlanResourceChange "+name, plan.Diagnostics)
	resp, err := p.srv.ApplyResourceChange(p.ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: name, PriorState: prior, PlannedState: plan.PlannedState, Config: p.dvOf(typ, cfg),
		PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	p.noErrors("ApplyResourceChange "+name, resp.Diagnostics)
	return resp
}

// premiumWorkspace orders a Premium plan tier in us-east and a workspace on
// it, straight through the API (the objects a protocol test starts from).
func (p *proto) premiumWorkspace(t *testing.T, name, subdomain string) (*api.Plan, *api.Workspace) {
	t.Helper()
	ctx := context.Background()
	c := p.env.Client()
	plan, err := c.CreatePlan(ctx, api.PlanInput{Tier: "premium", Region: "us-east"})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: name, Subdomain: subdomain, PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	return plan, ws
}
