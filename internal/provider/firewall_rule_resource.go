package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

var (
	_ resource.Resource                   = (*firewallRuleResource)(nil)
	_ resource.ResourceWithConfigure      = (*firewallRuleResource)(nil)
	_ resource.ResourceWithImportState    = (*firewallRuleResource)(nil)
	_ resource.ResourceWithValidateConfig = (*firewallRuleResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*firewallRuleResource)(nil)
)

// NewFirewallRuleResource returns the rocketchat_firewall_rule resource.
func NewFirewallRuleResource() resource.Resource { return &firewallRuleResource{} }

// firewallRuleResource is one inbound rule. A workspace may hold hundreds, so
// Read makes exactly one GET of its own rule and never lists.
type firewallRuleResource struct {
	client *client.Client
	reads  *readCaches
	gates  *gateCache
}

type firewallRuleModel struct {
	ID          types.String `tfsdk:"id"`
	WorkspaceID types.String `tfsdk:"workspace_id"`
	CIDR        types.String `tfsdk:"cidr"`
	Action      types.String `tfsdk:"action"`
	Protocol    types.String `tfsdk:"protocol"`
	PortRange   types.String `tfsdk:"port_range"`
	Priority    types.Int64  `tfsdk:"priority"`
	Description types.String `tfsdk:"description"`
	CreatedAt   types.String `tfsdk:"created_at"`
}

var firewallRuleAttributes = []string{"workspace_id", "cidr", "action", "protocol", "port_range", "priority", "description"}

var firewallRuleGate = childGate{
	feature: catalog.FeatureFirewallRules,
	noun:    "firewall rule",
	refuse: func(ws *api.Workspace) string {
		if !ws.FirewallRulesExclusive {
			return ""
		}
		return fmt.Sprintf("The firewall rules of workspace %q are owned by a rocketchat_firewall_rules set, which deletes "+
			"every rule it does not list: add this rule to that set's rules (keyed by its priority) instead. To manage "+
			"the rules one by one again, destroy the set first (that deletes its rules).", ws.ID)
	},
}

func (r *firewallRuleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_firewall_rule"
}

func (r *firewallRuleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An inbound firewall rule of a `rocketchat_workspace`. Rules are evaluated by ascending `priority`; " +
			"priorities are unique per workspace. Every attribute but `workspace_id` changes in place. A workspace may hold " +
			"hundreds of rules: each rule is read with one request of its own. Import with `<workspace_id>/<firewall_rule_id>`.\n\n" +
			"**One rule per resource, or the whole set.** Use this resource when several configurations each add their own " +
			"rules to a workspace: each manages only the rules it created, and a rule added outside Terraform is never seen. " +
			"When one configuration owns the workspace's firewall (\"its rules are exactly these\"), use " +
			"`rocketchat_firewall_rules`: one resource, one request per apply, drift of any rule shown in the plan. The two do " +
			"not mix: while a set owns a workspace's rules, creating a rule here fails at `terraform plan` (and the API " +
			"answers 409); the guide *Moving firewall rules into a set* moves a workspace over without deleting a rule." +
			firewallRuleGate.planNote(),
		Attributes: map[string]schema.Attribute{
			"id":           computedStable("Identifier of the firewall rule."),
			"workspace_id": workspaceIDAttribute("firewall rule"),
			"cidr":         ruleFields.cidr(),
			"action":       ruleFields.action(),
			"protocol":     ruleFields.protocol(),
			"port_range":   ruleFields.portRange(),
			"priority":     ruleFields.priority(),
			"description":  ruleFields.description(),
			"created_at":   computedStable("When the rule was created (RFC 3339)."),
		},
	}
}

func (r *firewallRuleResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
	r.reads = configureReads(req.ProviderData)
	r.gates = configureGates(req.ProviderData)
}

func (m firewallRuleModel) input() api.FirewallRuleInput {
	return api.FirewallRuleInput{
		CIDR: m.CIDR.ValueString(), Action: m.Action.ValueString(), Protocol: m.Protocol.ValueString(),
		PortRange: m.PortRange.ValueString(), Priority: m.Priority.ValueInt64(), Description: m.Description.ValueString(),
	}
}

func (m *firewallRuleModel) fromAPI(fw *api.FirewallRule) {
	m.ID = types.StringValue(fw.ID)
	m.WorkspaceID = types.StringValue(fw.WorkspaceID)
	m.CIDR = types.StringValue(fw.CIDR)
	m.Action = types.StringValue(fw.Action)
	m.Protocol = types.StringValue(fw.Protocol)
	m.PortRange = optionalString(fw.PortRange)
	m.Priority = types.Int64Value(fw.Priority)
	m.Description = optionalString(fw.Description)
	m.CreatedAt = timeValue(fw.CreatedAt)
}

// ValidateConfig checks port_range against the protocol with the API's own
// rule (format, bounds, and no ports for icmp or any).
func (r *firewallRuleResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var portRange, proto types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("port_range"), &portRange)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("protocol"), &proto)...)
	if resp.Diagnostics.HasError() {
		return
	}
	checkRulePorts(path.Root("port_range"), proto, portRange, &resp.Diagnostics)
}

func (r *firewallRuleResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	firewallRuleGate.modifyPlan(ctx, r.gates, req, resp)
}

func (r *firewallRuleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	writeResource(ctx, req.Plan, &resp.State, resp.Identity, &resp.Diagnostics, "Cannot create firewall rule", firewallRuleAttributes,
		func(ctx context.Context, m *firewallRuleModel) (*api.FirewallRule, error) {
			return r.client.CreateFirewallRule(ctx, m.WorkspaceID.ValueString(), m.input())
		})
}

func (r *firewallRuleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readResource(ctx, req, resp, "firewall rule", func(ctx context.Context, m *firewallRuleModel) (*api.FirewallRule, error) {
		return r.reads.firewallRule(ctx, r.client, m.WorkspaceID.ValueString(), m.ID.ValueString())
	})
}

// Update sends the full rule (PATCH replaces every field).
func (r *firewallRuleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	writeResource(ctx, req.Plan, &resp.State, resp.Identity, &resp.Diagnostics, "Cannot update firewall rule", firewallRuleAttributes,
		func(ctx context.Context, m *firewallRuleModel) (*api.FirewallRule, error) {
			return r.client.UpdateFirewallRule(ctx, m.WorkspaceID.ValueString(), m.ID.ValueString(), m.input())
		})
}

func (r *firewallRuleResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	deleteResource(ctx, req, resp, "Cannot delete firewall rule", func(ctx context.Context, m *firewallRuleModel) error {
		return r.client.DeleteFirewallRule(ctx, m.WorkspaceID.ValueString(), m.ID.ValueString())
	})
}

func (r *firewallRuleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importChildID(ctx, "firewall_rule", req, resp)
}
