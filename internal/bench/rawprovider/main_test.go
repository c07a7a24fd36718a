package main

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The raw floor serves the provider's resources under its own name, with the
// provider's schemas, and plans and applies like a provider: computed values
// it is not given become unknown in the plan and known on apply, configured
// values pass through untouched.
func TestRawFloorPlansAndApplies(t *testing.T) {
	ctx := context.Background()
	s, err := newServer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	schemaResp, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"raw_firewall_rules", "raw_firewall_rule", "raw_workspace"} {
		if schemaResp.ResourceSchemas[name] == nil {
			t.Fatalf("no schema for %s", name)
		}
	}
	r, _ := s.shape("raw_firewall_rules")
	objType := r.typ.(tftypes.Object)
	ruleType := objType.AttributeTypes["rules"].(tftypes.Map).ElementType.(tftypes.Object)
	rule := map[string]tftypes.Value{}
	for name, typ := range ruleType.AttributeTypes {
		rule[name] = tftypes.NewValue(typ, nil)
	}
	rule["cidr"] = tftypes.NewValue(tftypes.String, "10.0.0.0/24")
	rule["action"] = tftypes.NewValue(tftypes.String, "allow")
	top := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		top[name] = tftypes.NewValue(typ, nil)
	}
	top["workspace_id"] = tftypes.NewValue(tftypes.String, "ws-1")
	top["rules"] = tftypes.NewValue(objType.AttributeTypes["rules"], map[string]tftypes.Value{"100": tftypes.NewValue(ruleType, rule)})
	proposed, err := tfprotov6.NewDynamicValue(r.typ, tftypes.NewValue(r.typ, top))
	if err != nil {
		t.Fatal(err)
	}

	plan, err := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "raw_firewall_rules", ProposedNewState: &proposed})
	if err != nil {
		t.Fatal(err)
	}
	planned := attrs(t, plan.PlannedState, r.typ)
	if planned["id"].IsKnown() || planned["version"].IsKnown() || !planned["workspace_id"].Equal(top["workspace_id"]) {
		t.Errorf("planned top level: %v", planned)
	}
	plannedRule := ruleOf(t, planned["rules"])
	if plannedRule["id"].IsKnown() || !plannedRule["cidr"].Equal(rule["cidr"]) || !plannedRule["description"].IsNull() {
		t.Errorf("planned rule: %v", plannedRule)
	}

	applied, err := s.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: "raw_firewall_rules", PlannedState: plan.PlannedState})
	if err != nil {
		t.Fatal(err)
	}
	state := attrs(t, applied.NewState, r.typ)
	if !state["id"].IsFullyKnown() || !state["rules"].IsFullyKnown() {
		t.Errorf("applied state not known: %v", state)
	}
	if _, err := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "rocketchat_firewall_rules", ProposedNewState: &proposed}); err == nil {
		t.Error("a type the floor does not serve was planned")
	}
}

func attrs(t *testing.T, dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]tftypes.Value{}
	if err := v.As(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func ruleOf(t *testing.T, rules tftypes.Value) map[string]tftypes.Value {
	t.Helper()
	m := map[string]tftypes.Value{}
	if err := rules.As(&m); err != nil {
		t.Fatal(err)
	}
	out := map[string]tftypes.Value{}
	if err := m["100"].As(&out); err != nil {
		t.Fatal(err)
	}
	return out
}
