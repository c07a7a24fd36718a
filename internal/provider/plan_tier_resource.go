package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

var (
	_ resource.Resource                   = (*planTierResource)(nil)
	_ resource.ResourceWithConfigure      = (*planTierResource)(nil)
	_ resource.ResourceWithImportState    = (*planTierResource)(nil)
	_ resource.ResourceWithValidateConfig = (*planTierResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*planTierResource)(nil)
)

// NewPlanTierResource returns the rocketchat_plan_tier resource.
func NewPlanTierResource() resource.Resource { return &planTierResource{} }

// planTierResource is the contracted plan a workspace is provisioned on. It
// carries the tier and the region, so every tier rule can be decided from
// its own configuration and prior state, at plan time, even for new objects.
type planTierResource struct {
	client *client.Client
	reads  *readCaches
	gates  *gateCache
}

type planTierModel struct {
	ID                           types.String   `tfsdk:"id"`
	Tier                         types.String   `tfsdk:"tier"`
	Region                       types.String   `tfsdk:"region"`
	VPN                          types.Bool     `tfsdk:"vpn"`
	IPIsolation                  types.Bool     `tfsdk:"ip_isolation"`
	AutomatedScaling             types.Bool     `tfsdk:"automated_scaling"`
	RoutingRules                 types.Bool     `tfsdk:"routing_rules"`
	MatrixAddon                  types.Bool     `tfsdk:"matrix_addon"`
	AsteriskAddon                types.Bool     `tfsdk:"asterisk_addon"`
	APIRateLimit                 types.Int64    `tfsdk:"api_rate_limit"`
	MaxUsers                     types.Int64    `tfsdk:"max_users"`
	MaxStorageGB                 types.Int64    `tfsdk:"max_storage_gb"`
	OmnichannelConversations     types.Int64    `tfsdk:"omnichannel_conversations_per_month"`
	VersionFreeze                types.String   `tfsdk:"version_freeze"`
	MajorUpgradePostponementDays types.Int64    `tfsdk:"major_upgrade_postponement_days"`
	Status                       types.String   `tfsdk:"status"`
	CreatedAt                    types.String   `tfsdk:"created_at"`
	Timeouts                     timeouts.Value `tfsdk:"timeouts"`
}

// planTierAttributes are the attributes an API field error may point at.
var planTierAttributes = []string{
	"tier", "region", "vpn", "ip_isolation", "automated_scaling", "routing_rules", "matrix_addon",
	"asterisk_addon", "api_rate_limit", "max_users", "max_storage_gb", "omnichannel_conversations_per_month",
	"version_freeze", "major_upgrade_postponement_days",
}

func (r *planTierResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_plan_tier"
}

// tierNote tells which tiers a feature needs, from the catalog.
func tierNote(f catalog.Feature) string {
	return fmt.Sprintf(" Needs the %s tier (checked at plan time).", strings.Join(catalog.TiersAllowing(f), " or "))
}

func capNote(name string, cap func(catalog.TierSpec) int64) string {
	var parts []string
	for _, t := range catalog.Tiers {
		if c := cap(t); c == catalog.NoCap {
			parts = append(parts, fmt.Sprintf("%s: no fixed cap", t.Name))
		} else {
			parts = append(parts, fmt.Sprintf("%s: at most %d", t.Name, c))
		}
	}
	return fmt.Sprintf("Contracted %s. Unset means the tier's cap (%s); a value above the tier's cap is an error at plan time.", name, strings.Join(parts, ", "))
}

func featureFlag(f catalog.Feature, what string) schema.BoolAttribute {
	return schema.BoolAttribute{
		MarkdownDescription: what + " Defaults to `false`." + tierNote(f),
		Optional:            true,
		Computed:            true,
		Default:             booldefault.StaticBool(false),
	}
}

func (r *planTierResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The contracted plan (the order) that a `rocketchat_workspace` is provisioned on: its tier, region and " +
			"tier-dependent options. Tiers only move up (`standard` -> `premium` -> `dedicated`), in place; a downgrade is an error at " +
			"plan time. Destroying a plan tier ends the contract: the API refuses while a workspace still runs on it (destroy the " +
			"workspace first), so a workspace is never silently downgraded. See the tier rules guide for the full matrix.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Identifier of the plan.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"tier": schema.StringAttribute{
				MarkdownDescription: "Plan tier: one of " + backquoteJoin(catalog.TierNames()) + ". May only move up, in place (same IDs); " +
					"moving down is an error at plan time. An upgrade waits for the new tier's provisioning (Dedicated: manual approval).",
				Required:   true,
				Validators: []validator.String{stringvalidator.OneOf(catalog.TierNames()...)},
			},
			"region": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Region the workspace is hosted in. Defaults to `%s`. Standard: `%s` only; Premium: %s; "+
					"Dedicated: any of %s. Changing it forces a new plan (and so a new workspace).",
					catalog.DefaultRegion, catalog.DefaultRegion, backquoteJoin(catalog.RegionsFor(mustTier(catalog.Premium))), backquoteJoin(catalog.RegionNames())),
				Optional:      true,
				Computed:      true,
				Default:       stringdefault.StaticString(catalog.DefaultRegion),
				Validators:    []validator.String{stringvalidator.OneOf(catalog.RegionNames()...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"vpn":               featureFlag(catalog.FeatureVPN, "VPN access to the workspace."),
			"ip_isolation":      featureFlag(catalog.FeatureIPIsolation, "IP isolation."),
			"automated_scaling": featureFlag(catalog.FeatureAutomatedScaling, "Automated scaling."),
			"routing_rules":     featureFlag(catalog.FeatureRoutingRules, "Custom network configuration and routing rules."),
			"matrix_addon":      featureFlag(catalog.FeatureMatrixAddon, "Matrix homeserver add-on."),
			"asterisk_addon":    featureFlag(catalog.FeatureAsteriskAddon, "Asterisk (voice) server add-on."),
			"api_rate_limit": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Workspace API rate limit in requests per minute, %d to %d. Unset means the default (%d).",
					catalog.MinAPIRateLimit, catalog.MaxAPIRateLimit, catalog.DefaultAPIRateLimit) + tierNote(catalog.FeatureAPIRateLimit),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(catalog.MinAPIRateLimit, catalog.MaxAPIRateLimit)},
			},
			catalog.FieldMaxUsers: schema.Int64Attribute{
				MarkdownDescription: capNote("users", func(t catalog.TierSpec) int64 { return t.MaxUsers }),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			catalog.FieldMaxStorageGB: schema.Int64Attribute{
				MarkdownDescription: capNote("file storage in GB", func(t catalog.TierSpec) int64 { return t.MaxStorageGB }),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			catalog.FieldOmnichannelConversations: schema.Int64Attribute{
				MarkdownDescription: capNote("omnichannel conversations per month", func(t catalog.TierSpec) int64 { return t.MaxOmnichannelConversationsMonth }),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"version_freeze": schema.StringAttribute{
				MarkdownDescription: "Freeze the workspace's software version inside the supported window: one of " +
					backquoteJoin(catalog.SupportedVersions) + ". Patches still apply." + tierNote(catalog.FeatureVersionFreeze),
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(catalog.SupportedVersions...)},
			},
			"major_upgrade_postponement_days": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Postpone each major upgrade by this many days, 0 to %d.", catalog.MaxUpgradePostponementDays) +
					" A value above 0 needs the " + strings.Join(catalog.TiersAllowing(catalog.FeatureUpgradePostponement), " or ") + " tier (checked at plan time).",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, catalog.MaxUpgradePostponementDays)},
			},
			"status": computedChanging("`active`, or `upgrading` while the workspace moves to a higher tier. A plan found " +
				"`upgrading` (a wait that was interrupted or timed out) is planned as an in-place update that waits for the upgrade."),
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the plan was ordered (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx, timeouts.Opts{Update: true}),
		},
	}
}

func (r *planTierResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
	r.reads = configureReads(req.ProviderData)
	r.gates = configureGates(req.ProviderData)
}

// spec is the catalog's view of the model; unknown values are left out, so
// plan-time checks run on whatever is known.
func (m planTierModel) spec() catalog.PlanSpec {
	return catalog.PlanSpec{
		Tier:   catalog.Tier(m.Tier.ValueString()),
		Region: m.Region.ValueString(),
		VPN:    boolPtr(m.VPN), IPIsolation: boolPtr(m.IPIsolation), AutomatedScaling: boolPtr(m.AutomatedScaling),
		RoutingRules: boolPtr(m.RoutingRules), MatrixAddon: boolPtr(m.MatrixAddon), AsteriskAddon: boolPtr(m.AsteriskAddon),
		APIRateLimit: int64Ptr(m.APIRateLimit), MaxUsers: int64Ptr(m.MaxUsers), MaxStorageGB: int64Ptr(m.MaxStorageGB),
		OmnichannelConversations: int64Ptr(m.OmnichannelConversations), VersionFreeze: stringPtr(m.VersionFreeze),
		MajorUpgradePostponementDays: int64Ptr(m.MajorUpgradePostponementDays),
	}
}

func (m planTierModel) input() api.PlanInput {
	return api.PlanInput{
		Tier: m.Tier.ValueString(), Region: m.Region.ValueString(),
		VPN: m.VPN.ValueBool(), IPIsolation: m.IPIsolation.ValueBool(), AutomatedScaling: m.AutomatedScaling.ValueBool(),
		RoutingRules: m.RoutingRules.ValueBool(), MatrixAddon: m.MatrixAddon.ValueBool(), AsteriskAddon: m.AsteriskAddon.ValueBool(),
		APIRateLimit: int64Ptr(m.APIRateLimit), MaxUsers: int64Ptr(m.MaxUsers), MaxStorageGB: int64Ptr(m.MaxStorageGB),
		OmnichannelConversations: int64Ptr(m.OmnichannelConversations), VersionFreeze: stringPtr(m.VersionFreeze),
		MajorUpgradePostponementDays: int64Ptr(m.MajorUpgradePostponementDays),
	}
}

func (m *planTierModel) fromAPI(p *api.Plan) {
	m.ID = types.StringValue(p.ID)
	m.Tier = types.StringValue(p.Tier)
	m.Region = types.StringValue(p.Region)
	m.VPN = types.BoolValue(p.VPN)
	m.IPIsolation = types.BoolValue(p.IPIsolation)
	m.AutomatedScaling = types.BoolValue(p.AutomatedScaling)
	m.RoutingRules = types.BoolValue(p.RoutingRules)
	m.MatrixAddon = types.BoolValue(p.MatrixAddon)
	m.AsteriskAddon = types.BoolValue(p.AsteriskAddon)
	m.APIRateLimit = int64Value(p.APIRateLimit)
	m.MaxUsers = int64Value(p.MaxUsers)
	m.MaxStorageGB = int64Value(p.MaxStorageGB)
	m.OmnichannelConversations = int64Value(p.OmnichannelConversations)
	m.VersionFreeze = stringValue(p.VersionFreeze)
	m.MajorUpgradePostponementDays = int64Value(p.MajorUpgradePostponementDays)
	m.Status = types.StringValue(p.Status)
	m.CreatedAt = timeValue(p.CreatedAt)
}

// ValidateConfig enforces the tier rules that depend on several attributes
// (feature gates, caps, regions per tier). Single-value rules (allowed values,
// ranges) are the schema validators' job, so each error appears once.
func (r *planTierResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m planTierModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.Region.IsNull() {
		m.Region = types.StringValue(catalog.DefaultRegion) // the schema default
	}
	for _, v := range catalog.CheckPlan(m.spec()) {
		if v.Rule == catalog.RuleOneOf || v.Rule == catalog.RuleRange {
			continue
		}
		resp.Diagnostics.AddAttributeError(path.Root(v.Field), "Plan tier rule violated", v.Message)
	}
}

// ModifyPlan rejects a downgrade against the prior state (an error, never
// "fixed" by a replacement), and the delete of a plan tier under a protected
// workspace.
func (r *planTierResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	// An upgrade whose wait was interrupted: the next apply resumes the wait.
	resumeWaitPlan(ctx, req, resp, api.StatusActive)
	guardPlanTierDeletion(ctx, r.client, r.gates, req, resp)
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.Plan.Raw.Equal(req.State.Raw) {
		return // a create, a destroy, or nothing changes (most plans: keep them cheap)
	}
	var from, to types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("tier"), &from)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("tier"), &to)...)
	if resp.Diagnostics.HasError() || to.IsUnknown() {
		return
	}
	if v := catalog.CheckTierChange(catalog.Tier(from.ValueString()), catalog.Tier(to.ValueString())); v != nil {
		resp.Diagnostics.AddAttributeError(path.Root("tier"), "Plan tier cannot be downgraded", v.Message)
	}
}

func (r *planTierResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	writeResource(ctx, req.Plan, &resp.State, resp.Identity, &resp.Diagnostics, "Cannot order plan tier", planTierAttributes,
		func(ctx context.Context, m *planTierModel) (*api.Plan, error) {
			return r.client.CreatePlan(ctx, m.input())
		})
}

func (r *planTierResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readResource(ctx, req, resp, "plan tier", func(ctx context.Context, m *planTierModel) (*api.Plan, error) {
		return r.reads.plan(ctx, r.client, m.ID.ValueString())
	})
}

func (r *planTierResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m planTierModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := m.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := r.client.UpdatePlan(ctx, m.ID.ValueString(), m.input())
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot change plan tier", err, planTierAttributes...)
		return
	}
	m.fromAPI(p)
	// Record the accepted change before waiting, so a timeout leaves the truth in state.
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.Append(syncIdentity(ctx, &resp.State, resp.Identity)...)
	if p.Status != api.StatusUpgrading {
		return
	}
	err = waitFor(ctx, timeout, func(ctx context.Context) (bool, error) {
		p, err = r.client.GetPlan(ctx, m.ID.ValueString())
		return err == nil && p.Status != api.StatusUpgrading, err
	})
	if err != nil {
		resp.Diagnostics.AddError("Plan tier upgrade did not complete", upgradeWaitMessage(m.ID.ValueString(), m.Tier.ValueString(), err))
		return
	}
	m.fromAPI(p)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func upgradeWaitMessage(id, tier string, err error) string {
	msg := fmt.Sprintf("Waiting for plan %s to finish its upgrade to %q: %s.", id, tier, err)
	if errors.Is(err, errWaitInterrupted) {
		msg += " The upgrade was accepted and is recorded in state; the next apply resumes the wait."
	}
	if errors.Is(err, errWaitTimeout) {
		if spec, _ := catalog.Lookup(catalog.Tier(tier)); spec.Provisioning == catalog.ProvisionManual {
			msg += " The " + tier + " tier is provisioned only after a manual approval (quoted delivery)."
		}
		msg += " The upgrade was accepted and is recorded in state; run apply again once it completes, or raise timeouts.update."
	}
	return msg
}

// Delete cancels the plan. The API refuses while a workspace still runs on
// it, so a workspace is never silently downgraded.
func (r *planTierResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	deleteResource(ctx, req, resp, "Cannot cancel plan tier", func(ctx context.Context, m *planTierModel) error {
		return r.client.DeletePlan(ctx, m.ID.ValueString())
	})
}

func (r *planTierResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importTop(ctx, req, resp)
}

func mustTier(t catalog.Tier) catalog.TierSpec {
	s, _ := catalog.Lookup(t)
	return s
}

func backquoteJoin(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = "`" + v + "`"
	}
	return strings.Join(q, ", ")
}
