package provider

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

var (
	_ resource.Resource                   = (*firewallRulesResource)(nil)
	_ resource.ResourceWithConfigure      = (*firewallRulesResource)(nil)
	_ resource.ResourceWithImportState    = (*firewallRulesResource)(nil)
	_ resource.ResourceWithValidateConfig = (*firewallRulesResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*firewallRulesResource)(nil)
	_ resource.ResourceWithIdentity       = (*firewallRulesResource)(nil)
)

// NewFirewallRulesResource returns the rocketchat_firewall_rules resource.
func NewFirewallRulesResource() resource.Resource { return &firewallRulesResource{} }

// firewallRulesResource owns a workspace's whole firewall rule set: one
// request replaces it (PUT), one listing reads it. Rules are a map keyed by
// priority, which the API keeps unique per workspace: a rule's identity in
// the plan is its key, so changing or inserting one rule is that one rule's
// change in the plan (a list would shift every rule after it, a set would
// show a changed rule as one removed and one added, and neither could point
// an error at "the rule with priority 200").
type firewallRulesResource struct {
	client *client.Client
	gates  *gateCache
}

type firewallRulesModel struct {
	ID          types.String `tfsdk:"id"`
	WorkspaceID types.String `tfsdk:"workspace_id"`
	Rules       types.Map    `tfsdk:"rules"`
	Version     types.String `tfsdk:"version"`
}

// The attributes of one rule of the set (its priority is its key).
var ruleSetAttrTypes = map[string]attr.Type{
	"id": types.StringType, "cidr": types.StringType, "action": types.StringType,
	"protocol": types.StringType, "port_range": types.StringType, "description": types.StringType,
}

var ruleSetElemType = types.ObjectType{AttrTypes: ruleSetAttrTypes}

// Private state keys: importedPrivateKey marks a set just imported (its
// first read asks the workspace whether a set owns its rules);
// claimPrivateKey marks an imported set whose rules no set owns yet (the
// next apply claims them).
const (
	importedPrivateKey = "firewall_rules_imported"
	claimPrivateKey    = "firewall_rules_claim"
)

func (r *firewallRulesResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_firewall_rules"
}

func (r *firewallRulesResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	rule := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "Identifier of the rule (`fw-…`). A rule keeps its ID while its priority (its key) stays, whatever else changes.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{keepRuleID{}},
		},
		"cidr":        ruleFields.cidr(),
		"action":      ruleFields.action(),
		"protocol":    ruleFields.protocol(),
		"port_range":  ruleFields.portRange(),
		"description": ruleFields.description(),
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every inbound firewall rule of a `rocketchat_workspace`, owned as one exclusive set: the workspace's " +
			"rules are exactly the `rules` configured here. A rule added, changed or removed outside Terraform shows in the next " +
			"plan as exactly that rule's change, and apply puts the set back. Apply replaces the whole set in one atomic request " +
			"(all rules valid or nothing changes), refresh reads it with one listing, so a workspace with a thousand rules costs " +
			"two requests, not a thousand.\n\n" +
			"**Keyed by priority.** `rules` is a map from each rule's priority (`\"100\"`, an integer from " +
			fmt.Sprintf("%d to %d written without leading zeros) to the rule. ", api.MinPriority, api.MaxPriority) +
			"Priorities are unique per workspace, so the key is a stable name the API itself keeps: changing or inserting one rule " +
			"shows as one rule's change, never a shift of the rules after it, and every error points at the rule's own attribute " +
			"(`rules[\"200\"].cidr`). Changing a rule's priority is removing one key and adding another.\n\n" +
			"**No lost updates.** Every write carries the version of the rules the plan was made from (`If-Match`); if they changed " +
			"out of band after the plan, the apply fails, changes nothing, and says to run `terraform plan` again.\n\n" +
			"**Exclusive.** While a set owns a workspace's rules, `rocketchat_firewall_rule` cannot add rules to it (an error at plan " +
			"time, and `409` from the API). Destroying the set deletes every rule and ends the ownership. Use this resource when one " +
			"configuration owns a workspace's firewall, and `rocketchat_firewall_rule` when several configurations each add their " +
			"own rules to it; the guide *Moving firewall rules into a set* moves an existing workspace without deleting a rule.\n\n" +
			"Import with the workspace ID (`terraform import rocketchat_firewall_rules.x ws-…`, or an `import` block with " +
			"`identity = { workspace_id = \"ws-…\" }` on Terraform 1.12+)." + firewallRuleSetNote(),
		Attributes: map[string]schema.Attribute{
			"id":           computedStable("The workspace ID (the set has no ID of its own)."),
			"workspace_id": workspaceIDAttribute("firewall rule set"),
			"rules": schema.MapNestedAttribute{
				MarkdownDescription: "The workspace's rules, keyed by priority (evaluation order, lowest first). An empty map " +
					"means the workspace has no rules. Each rule has the attributes of a `rocketchat_firewall_rule` but its " +
					"priority, which is its key.",
				Required:     true,
				NestedObject: schema.NestedAttributeObject{Attributes: rule},
				// The keys and the size are checked in ValidateConfig: an error
				// of a map validator would stop the framework from checking the
				// rules inside, and every error is reported at once.
			},
			"version": schema.StringAttribute{
				MarkdownDescription: "Version of the workspace's rule collection (the API's `ETag`) when it was last read or " +
					"written; every change of any rule, by anyone, raises it. Writes send it back as `If-Match`.",
				Computed: true,
			},
		},
	}
}

// firewallRuleSetNote documents the plan-time tier checks.
func firewallRuleSetNote() string {
	var quotas []string
	for _, t := range catalog.Tiers {
		if q := t.Quota(catalog.FeatureFirewallRules); q > 0 {
			quotas = append(quotas, fmt.Sprintf("%s %d", t.Name, q))
		}
	}
	return fmt.Sprintf("\n\n**Tier rules.** `terraform plan` checks every rule (the same checks as `rocketchat_firewall_rule`, "+
		"every error at once, each on its rule's attribute) and, when the workspace exists, the tier gate (firewall rules need "+
		"the %s tier) and the tier's rule quota (%s) against the number of rules in the set, from one listing of the organization's workspaces per plan, shared by every set and rule in it. "+
		"When the workspace is created in the same apply, the API applies the same checks with the same words.",
		strings.Join(catalog.TiersAllowing(catalog.FeatureFirewallRules), " or "), strings.Join(quotas, ", "))
}

func (r *firewallRulesResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"workspace_id": identityschema.StringAttribute{RequiredForImport: true, Description: "ID of the workspace whose firewall rules the set owns."},
	}}
}

func (r *firewallRulesResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
	r.gates = configureGates(req.ProviderData)
}

// priorityKey is the map key of a priority.
func priorityKey(p int64) string { return strconv.FormatInt(p, 10) }

// parsePriorityKey reads a key written in canonical form ("100", not "0100"
// or "+100"), so that key and stored priority always agree.
func parsePriorityKey(k string) (int64, bool) {
	p, err := strconv.ParseInt(k, 10, 64)
	if err != nil || priorityKey(p) != k || p < api.MinPriority || p > api.MaxPriority {
		return 0, false
	}
	return p, true
}

// keepRuleID plans a kept rule's ID as its current one (UseStateForUnknown
// would also plan a new key's ID as null, the value of a rule that is not in
// state yet, instead of unknown).
type keepRuleID struct{}

func (keepRuleID) Description(context.Context) string {
	return "a rule keeps its ID while its key stays"
}

func (m keepRuleID) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (keepRuleID) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	resp.PlanValue = req.StateValue
}

// checkPriorityKey reports a key that is not a canonical priority.
func checkPriorityKey(k string, diags *diag.Diagnostics) {
	if _, ok := parsePriorityKey(k); !ok {
		diags.AddAttributeError(path.Root("rules").AtMapKey(k), "Invalid rule key",
			fmt.Sprintf("rules key %q is not a priority: each key is its rule's priority, an integer from %d to %d written "+
				"without leading zeros or sign, e.g. \"100\"", k, api.MinPriority, api.MaxPriority))
	}
}

// ruleSetEntry is one rule of the set, read without reflection (a set may
// hold a thousand rules).
type ruleSetEntry struct {
	key   string
	attrs map[string]attr.Value
}

func (e ruleSetEntry) str(name string) types.String {
	s, _ := e.attrs[name].(types.String)
	return s
}

// entries returns the known rules of a map, sorted by priority; ok is false
// when the map (or a key) is not known yet.
func ruleEntries(m types.Map) ([]ruleSetEntry, bool) {
	if m.IsNull() || m.IsUnknown() {
		return nil, false
	}
	out := make([]ruleSetEntry, 0, len(m.Elements()))
	for k, v := range m.Elements() {
		o, ok := v.(types.Object)
		if !ok || o.IsUnknown() || o.IsNull() {
			return nil, false
		}
		out = append(out, ruleSetEntry{key: k, attrs: o.Attributes()})
	}
	sort.Slice(out, func(i, j int) bool {
		pi, _ := parsePriorityKey(out[i].key)
		pj, _ := parsePriorityKey(out[j].key)
		if pi != pj {
			return pi < pj
		}
		return out[i].key < out[j].key
	})
	return out, true
}

// input is the rule's API body.
func (e ruleSetEntry) input() api.FirewallRuleInput {
	p, _ := parsePriorityKey(e.key)
	return api.FirewallRuleInput{
		CIDR: e.str("cidr").ValueString(), Action: e.str("action").ValueString(), Protocol: e.str("protocol").ValueString(),
		PortRange: e.str("port_range").ValueString(), Priority: p, Description: e.str("description").ValueString(),
	}
}

// rulesValue builds the rules map from the API's rules.
func rulesValue(rules []api.FirewallRule) (types.Map, diag.Diagnostics) {
	elems := make(map[string]attr.Value, len(rules))
	var diags diag.Diagnostics
	for _, fw := range rules {
		k := priorityKey(fw.Priority)
		if _, dup := elems[k]; dup {
			diags.AddError("Unexpected API answer", fmt.Sprintf("the API listed two firewall rules with priority %d; priorities are unique per workspace", fw.Priority))
			return types.MapNull(ruleSetElemType), diags
		}
		o, d := types.ObjectValue(ruleSetAttrTypes, map[string]attr.Value{
			"id": types.StringValue(fw.ID), "cidr": types.StringValue(fw.CIDR), "action": types.StringValue(fw.Action),
			"protocol": types.StringValue(fw.Protocol), "port_range": optionalString(fw.PortRange),
			"description": optionalString(fw.Description),
		})
		diags.Append(d...)
		elems[k] = o
	}
	m, d := types.MapValue(ruleSetElemType, elems)
	diags.Append(d...)
	return m, diags
}

// ValidateConfig checks the keys, the number of rules and each rule's
// port_range against its protocol, on the rule's own attribute, every rule
// at once (the schema's validators check each field).
func (r *firewallRulesResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var rules types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("rules"), &rules)...)
	if resp.Diagnostics.HasError() || rules.IsNull() || rules.IsUnknown() {
		return
	}
	if n := len(rules.Elements()); n > api.MaxFirewallRulesPageSize {
		resp.Diagnostics.AddAttributeError(path.Root("rules"), "Too many rules",
			fmt.Sprintf("%d rules; a workspace holds at most %d on any tier", n, api.MaxFirewallRulesPageSize))
	}
	for k, v := range rules.Elements() {
		checkPriorityKey(k, &resp.Diagnostics)
		o, ok := v.(types.Object)
		if !ok || o.IsNull() || o.IsUnknown() {
			continue
		}
		e := ruleSetEntry{key: k, attrs: o.Attributes()}
		checkRulePorts(path.Root("rules").AtMapKey(k).AtName("port_range"), e.str("protocol"), e.str("port_range"), &resp.Diagnostics)
	}
}

// ModifyPlan runs the tier checks on the workspace when it exists (one read,
// shared with every other resource of the walk), refuses a workspace whose
// rules another set owns, and plans the claim of an imported set.
func (r *firewallRulesResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // a destroy
	}
	create := req.State.Raw.IsNull()
	if !create && req.Private != nil {
		if claim, d := req.Private.GetKey(ctx, claimPrivateKey); !d.HasError() && len(claim) > 0 {
			var wsID types.String
			resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("workspace_id"), &wsID)...)
			resp.Diagnostics.AddWarning("Apply takes ownership of the firewall rules",
				fmt.Sprintf("The firewall rules of workspace %q were imported and are not yet owned by a set. Apply takes "+
					"ownership with one request that changes no rule; from then on rocketchat_firewall_rule cannot add rules to "+
					"the workspace.", wsID.ValueString()))
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("version"), types.StringUnknown())...)
		}
	}
	if !create && req.Plan.Raw.Equal(req.State.Raw) {
		return // nothing changes: no rule to check (and a thousand rules not converted)
	}
	var plan firewallRulesModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || r.gates == nil || plan.WorkspaceID.IsUnknown() {
		return // not configured yet, or a new workspace (the API checks at apply)
	}
	wsID := plan.WorkspaceID.ValueString()
	e, err := r.gates.snapshot(ctx, wsID)
	if client.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("workspace_id"), "Workspace not found",
			fmt.Sprintf("workspace %q does not exist (or belongs to another organization); a firewall rule set needs an existing workspace.", wsID))
		return
	}
	if err != nil {
		resp.Diagnostics.AddWarning("Tier rules not checked at plan time",
			fmt.Sprintf("Reading workspace %q failed (%s); the API checks the same rules at apply.", wsID, err))
		return
	}
	ws := e.ws
	if create {
		if ws.FirewallRulesExclusive {
			resp.Diagnostics.AddAttributeError(path.Root("workspace_id"), "Firewall rules already owned by a set",
				fmt.Sprintf("The firewall rules of workspace %q are already owned by a rocketchat_firewall_rules set (perhaps in "+
					"another configuration). Two sets would undo each other's changes: import that set here "+
					"(import { to = ..., id = %q }) or destroy it first.", wsID, wsID))
			return
		}
		if n := ws.Usage.FirewallRules; n > 0 {
			resp.Diagnostics.AddWarning("Existing firewall rules will be replaced",
				fmt.Sprintf("Workspace %q already has %d firewall rule(s). Creating this set replaces them: a rule whose priority "+
					"is not a key of rules is deleted. To see each existing rule as a change in the plan instead, import the set "+
					"first (import { to = ..., id = %q }).", wsID, n, wsID))
		}
	}
	entries, known := ruleEntries(plan.Rules)
	if !known || len(entries) == 0 {
		return
	}
	tier := catalog.Tier(ws.Tier)
	if v := catalog.CheckChildFeature(tier, catalog.FeatureFirewallRules, wsID); v != nil {
		resp.Diagnostics.AddAttributeError(path.Root("workspace_id"), "Tier rule violated", v.Message)
		return
	}
	if v := catalog.CheckRuleSetQuota(tier, catalog.FeatureFirewallRules, wsID, len(entries)); v != nil {
		resp.Diagnostics.AddAttributeError(path.Root("rules"), "Tier quota exceeded", v.Message)
	}
}

func (r *firewallRulesResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan firewallRulesModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Unconditional: the plan checked that no other set owns the rules, and
	// warned of the rules the set replaces (the framework hands a create no
	// planned private state to carry a version in).
	r.replace(ctx, plan, "", &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *firewallRulesResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state firewallRulesModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.replace(ctx, plan, state.Version.ValueString(), &resp.State, resp.Identity, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, claimPrivateKey, nil)...)
	}
}

// replace sends the planned rules in one request, conditional on version
// ifMatch, and stores the answer. It reports whether it succeeded.
func (r *firewallRulesResource) replace(ctx context.Context, plan firewallRulesModel, ifMatch string, state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) bool {
	entries, known := ruleEntries(plan.Rules)
	if !known {
		diags.AddAttributeError(path.Root("rules"), "Rules not known", "The rules are not known at apply; please report this issue.")
		return false
	}
	wsID := plan.WorkspaceID.ValueString()
	in := make([]api.FirewallRuleInput, len(entries))
	for i, e := range entries {
		in[i] = e.input()
	}
	set, err := r.client.ReplaceFirewallRules(ctx, wsID, ifMatch, in)
	if client.IsPreconditionFailed(err) {
		// A retried PUT whose first answer was lost finds its own change:
		// the rules are already exactly the plan's, so the apply is done.
		if cur, lerr := r.client.ListFirewallRuleSet(ctx, wsID); lerr == nil && sameRules(cur.Items, in) {
			set, err = cur, nil
		}
	}
	if err != nil {
		addRuleSetError(diags, "Cannot replace the firewall rules of workspace "+wsID, err, entries)
		return false
	}
	if !sameRules(set.Items, in) {
		diags.AddError("Unexpected API answer", fmt.Sprintf("the API answered the replace of workspace %q's firewall rules with other rules than were sent; the state is left as it was", wsID))
		return false
	}
	return r.store(ctx, plan, false, set, state, identity, diags)
}

// store records the set the API answered; stateHoldsM says that state holds
// m already (a refresh).
func (r *firewallRulesResource) store(ctx context.Context, m firewallRulesModel, stateHoldsM bool, set *api.FirewallRuleSet, state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) bool {
	for _, fw := range set.Items {
		if fw.WorkspaceID != m.WorkspaceID.ValueString() {
			diags.AddError("Unexpected API answer", fmt.Sprintf("the API answered firewall rule %q of workspace %q when asked for the rules of workspace %q; the state is left as it was",
				fw.ID, fw.WorkspaceID, m.WorkspaceID.ValueString()))
			return false
		}
	}
	rules, d := rulesValue(set.Items)
	diags.Append(d...)
	if diags.HasError() {
		return false
	}
	next := m
	next.ID = m.WorkspaceID
	next.Rules = rules
	next.Version = types.StringValue(set.Version)
	// A refresh that finds the rules as they were leaves the state it already
	// holds (m): writing a thousand rules back costs the framework a
	// conversion of every value.
	if !stateHoldsM || !next.ID.Equal(m.ID) || !next.Rules.Equal(m.Rules) || !next.Version.Equal(m.Version) {
		diags.Append(state.Set(ctx, &next)...)
	}
	diags.Append(syncIdentity(ctx, state, identity)...)
	return !diags.HasError()
}

// sameRules reports whether the API's rules are exactly the ones sent.
func sameRules(got []api.FirewallRule, sent []api.FirewallRuleInput) bool {
	if len(got) != len(sent) {
		return false
	}
	byPriority := make(map[int64]api.FirewallRuleInput, len(got))
	for _, fw := range got {
		byPriority[fw.Priority] = fw.FirewallRuleInput
	}
	for _, in := range sent {
		if byPriority[in.Priority] != in {
			return false
		}
	}
	return true
}

func (r *firewallRulesResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m firewallRulesModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	wsID := m.WorkspaceID.ValueString()
	set, err := r.client.ListFirewallRuleSet(ctx, wsID)
	if client.IsNotFound(err) {
		resp.Diagnostics.Append(syncIdentity(ctx, &resp.State, resp.Identity)...)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot read the firewall rules of workspace "+wsID, err)
		return
	}
	if imported, d := req.Private.GetKey(ctx, importedPrivateKey); !d.HasError() && len(imported) > 0 {
		// Just imported: one read of the workspace tells whether a set
		// already owns its rules; if not, the next apply claims them.
		ws, err := r.client.GetWorkspace(ctx, wsID)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Cannot read workspace "+wsID, err)
			return
		}
		if !ws.FirewallRulesExclusive {
			resp.Diagnostics.Append(resp.Private.SetKey(ctx, claimPrivateKey, []byte("true"))...)
		}
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedPrivateKey, nil)...)
	}
	r.store(ctx, m, true, set, &resp.State, resp.Identity, &resp.Diagnostics)
}

// Delete deletes every rule and ends the set's ownership, conditional on the
// version in state.
func (r *firewallRulesResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m firewallRulesModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	wsID := m.WorkspaceID.ValueString()
	_, err := r.client.ReleaseFirewallRules(ctx, wsID, m.Version.ValueString())
	if client.IsPreconditionFailed(err) {
		// A retried DELETE whose first answer was lost: done if nothing is left.
		if cur, lerr := r.client.ListFirewallRuleSet(ctx, wsID); lerr == nil && len(cur.Items) == 0 {
			err = nil
		}
	}
	if err != nil && !client.IsNotFound(err) {
		addRuleSetError(&resp.Diagnostics, "Cannot delete the firewall rules of workspace "+wsID, err, nil)
	}
}

// ImportState imports by workspace ID (`terraform import`, `import { id }`)
// or by identity (`import { identity = { workspace_id = ... } }`).
func (r *firewallRulesResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	wsID := req.ID
	if req.ID == "" && req.Identity != nil {
		ids, ok := identityStrings(ctx, req.Identity, &resp.Diagnostics, "workspace_id")
		if !ok {
			return
		}
		wsID = ids[0]
	}
	if wsID == "" || strings.Contains(wsID, "/") {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("invalid firewall rule set import ID %q: expected the workspace ID alone, e.g. \"ws-0123abcd\"", wsID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("workspace_id"), wsID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), wsID)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedPrivateKey, []byte("true"))...)
}

// addRuleSetError reports an API error of a rule set write. A stale version
// says how to re-plan; a violation of rules[i].field lands on the attribute
// of the rule sent at index i (entries, sorted as sent).
func addRuleSetError(diags *diag.Diagnostics, summary string, err error, entries []ruleSetEntry) {
	if client.IsPreconditionFailed(err) {
		diags.AddError("Firewall rules changed since the plan",
			"The workspace's firewall rules were changed outside this Terraform run after the plan was made, so applying the "+
				"plan could undo a change it never showed. Nothing was changed. Run `terraform plan` (or `terraform apply` "+
				"without a saved plan) again: the new plan shows the out-of-band change as a difference.\n\n"+err.Error())
		return
	}
	fields := client.FieldErrors(err)
	if len(fields) == 0 {
		addAPIError(diags, summary, err)
		return
	}
	id := client.RequestID(err)
	for _, f := range fields {
		msg := f.Message
		if id != "" {
			msg += " (request ID " + id + ")"
		}
		if p, ok := ruleErrorPath(f.Field, entries); ok {
			diags.AddAttributeError(p, summary, msg)
			continue
		}
		addViolation(diags, summary, api.FieldError{Field: f.Field, Rule: f.Rule, Message: msg, Allowed: f.Allowed}, "workspace_id")
	}
}

// ruleErrorPath maps the API's "rules[3].cidr" to rules["<key>"].cidr.
func ruleErrorPath(field string, entries []ruleSetEntry) (path.Path, bool) {
	rest, ok := strings.CutPrefix(field, "rules[")
	if !ok {
		if field == "rules" {
			return path.Root("rules"), true
		}
		return path.Path{}, false
	}
	idx, name, ok := strings.Cut(rest, "]")
	i, err := strconv.Atoi(idx)
	if !ok || err != nil || i < 0 || i >= len(entries) {
		return path.Root("rules"), true
	}
	p := path.Root("rules").AtMapKey(entries[i].key)
	if attr, ok := strings.CutPrefix(name, "."); ok {
		if attr == "priority" {
			return p, true // the priority is the key
		}
		if _, known := ruleSetAttrTypes[attr]; known {
			return p.AtName(attr), true
		}
	}
	return p, true
}
