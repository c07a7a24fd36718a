package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

var (
	_ resource.Resource                = (*staticIPResource)(nil)
	_ resource.ResourceWithConfigure   = (*staticIPResource)(nil)
	_ resource.ResourceWithImportState = (*staticIPResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*staticIPResource)(nil)
)

// NewStaticIPResource returns the rocketchat_static_ip resource.
func NewStaticIPResource() resource.Resource { return &staticIPResource{} }

type staticIPResource struct {
	client *client.Client
	reads  *readCaches
	gates  *gateCache
}

type staticIPModel struct {
	ID          types.String `tfsdk:"id"`
	WorkspaceID types.String `tfsdk:"workspace_id"`
	Purpose     types.String `tfsdk:"purpose"`
	Description types.String `tfsdk:"description"`
	Address     types.String `tfsdk:"address"`
	Dedicated   types.Bool   `tfsdk:"dedicated"`
	CreatedAt   types.String `tfsdk:"created_at"`
}

var staticIPAttributes = []string{"workspace_id", "purpose", "description"}

var staticIPGate = childGate{
	feature: catalog.FeatureStaticIPs,
	noun:    "static IP",
}

func (r *staticIPResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_static_ip"
}

// staticIPKinds describes, from the catalog, what address each tier gets.
func staticIPKinds() string {
	var parts []string
	for _, t := range catalog.Tiers {
		switch t.StaticIPKind {
		case catalog.StaticIPShared:
			parts = append(parts, fmt.Sprintf("%s: an address from a shared pool", t.DisplayName))
		case catalog.StaticIPDedicated:
			parts = append(parts, fmt.Sprintf("%s: an address of the workspace's own", t.DisplayName))
		}
	}
	return strings.Join(parts, "; ")
}

func (r *staticIPResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A static IP address held by a `rocketchat_workspace`, for outbound traffic (to allow-list it " +
			"elsewhere) or for its load balancer (" + staticIPKinds() + "). The address is allocated on create and released " +
			"on destroy. Import with `<workspace_id>/<static_ip_id>`." + staticIPGate.planNote(),
		Attributes: map[string]schema.Attribute{
			"id":           computedStable("Identifier of the static IP."),
			"workspace_id": workspaceIDAttribute("static IP"),
			"purpose": schema.StringAttribute{
				MarkdownDescription: "What the address is for: one of " + backquoteJoin(api.StaticIPPurposes) + ". " +
					"Changing it forces a new static IP (and a new address).",
				Required:      true,
				Validators:    []validator.String{stringvalidator.OneOf(api.StaticIPPurposes...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Free text, 1 to %d printable characters (unset it rather than setting it empty). "+
					"Changes in place; the address is kept.", api.MaxDescriptionLength),
				Optional:   true,
				Validators: descriptionValidators(),
			},
			"address": computedStable("The allocated IPv4 address; it never changes for the life of the static IP."),
			"dedicated": schema.BoolAttribute{
				MarkdownDescription: "`true` when the address is the workspace's alone (Dedicated tier), `false` when it comes " +
					"from the shared pool (Premium tier). Fixed at allocation.",
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"created_at": computedStable("When the address was allocated (RFC 3339)."),
		},
	}
}

func (r *staticIPResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
	r.reads = configureReads(req.ProviderData)
	r.gates = configureGates(req.ProviderData)
}

func (m staticIPModel) input() api.StaticIPInput {
	return api.StaticIPInput{Purpose: m.Purpose.ValueString(), Description: m.Description.ValueString()}
}

func (m *staticIPModel) fromAPI(ip *api.StaticIP) {
	m.ID = types.StringValue(ip.ID)
	m.WorkspaceID = types.StringValue(ip.WorkspaceID)
	m.Purpose = types.StringValue(ip.Purpose)
	m.Description = optionalString(ip.Description)
	m.Address = types.StringValue(ip.Address)
	m.Dedicated = types.BoolValue(ip.Dedicated)
	m.CreatedAt = timeValue(ip.CreatedAt)
}

func (r *staticIPResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	staticIPGate.modifyPlan(ctx, r.gates, req, resp)
}

func (r *staticIPResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	writeResource(ctx, req.Plan, &resp.State, resp.Identity, &resp.Diagnostics, "Cannot allocate static IP", staticIPAttributes,
		func(ctx context.Context, m *staticIPModel) (*api.StaticIP, error) {
			return r.client.CreateStaticIP(ctx, m.WorkspaceID.ValueString(), m.input())
		})
}

func (r *staticIPResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readResource(ctx, req, resp, "static IP", func(ctx context.Context, m *staticIPModel) (*api.StaticIP, error) {
		return r.reads.staticIP(ctx, r.client, m.WorkspaceID.ValueString(), m.ID.ValueString())
	})
}

// Update changes the description only (purpose forces a new static IP).
func (r *staticIPResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	writeResource(ctx, req.Plan, &resp.State, resp.Identity, &resp.Diagnostics, "Cannot update static IP", staticIPAttributes,
		func(ctx context.Context, m *staticIPModel) (*api.StaticIP, error) {
			return r.client.UpdateStaticIP(ctx, m.WorkspaceID.ValueString(), m.ID.ValueString(), m.input())
		})
}

// Delete releases the address; an address already gone counts as released.
func (r *staticIPResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	deleteResource(ctx, req, resp, "Cannot release static IP", func(ctx context.Context, m *staticIPModel) error {
		return r.client.DeleteStaticIP(ctx, m.WorkspaceID.ValueString(), m.ID.ValueString())
	})
}

func (r *staticIPResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importChildID(ctx, "static_ip", req, resp)
}
