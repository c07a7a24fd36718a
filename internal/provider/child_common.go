package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// This file holds what the child resources of a workspace (custom domains,
// firewall rules, static IPs) share: the workspace_id attribute, the
// "<workspace_id>/<id>" import, the plan-time tier gate and error mapping.

// workspaceIDAttribute is the required, replace-forcing parent reference.
func workspaceIDAttribute(what string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("ID of the `rocketchat_workspace` the %s belongs to. Changing it forces a new %s.", what, what),
		Required:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

// descriptionValidators check an optional description with the API's rule;
// an empty string is refused because the API does not keep it (unset it instead).
func descriptionValidators() []validator.String {
	return []validator.String{stringvalidator.LengthAtLeast(1), apiStringValidator{"a description", api.ValidateDescription}}
}

// importChildID imports "<workspace_id>/<id>" (`terraform import`,
// `import { id = ... }`) or, from Terraform 1.12, the identity
// `import { identity = { workspace_id = ..., id = ... } }`; Read fills in the
// rest, identity included.
func importChildID(ctx context.Context, kind string, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var wsID, id string
	if req.ID == "" && req.Identity != nil {
		ids, ok := identityStrings(ctx, req.Identity, &resp.Diagnostics, "workspace_id", "id")
		if !ok {
			return
		}
		wsID, id = ids[0], ids[1]
	} else {
		var err error
		if wsID, id, err = parseChildID(req.ID, kind); err != nil {
			resp.Diagnostics.AddError("Invalid import ID", err.Error())
			return
		}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("workspace_id"), wsID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}

// childGate is the plan-time tier check of a child resource: the tier gate
// of its feature and the tier's per-workspace quota of it.
type childGate struct {
	feature catalog.Feature
	// noun names the object in messages ("firewall rule").
	noun string
	// refuse, when set, says why the workspace takes no new child at all
	// (its firewall rules owned by a rocketchat_firewall_rules set), or "".
	refuse func(ws *api.Workspace) string
}

// planNote documents, for the resource description, which checks run when.
func (g childGate) planNote() string {
	gate := ""
	if tiers := catalog.TiersAllowing(g.feature); len(tiers) < len(catalog.Tiers) {
		gate = fmt.Sprintf("the tier gate (%s need the %s tier) and ", catalog.ChildNoun(g.feature), strings.Join(tiers, " or "))
	}
	var quotas []string
	example := ""
	for _, t := range catalog.Tiers {
		if q := t.Quota(g.feature); q > 0 {
			quotas = append(quotas, fmt.Sprintf("%s %d", t.Name, q))
			if example == "" { // the lowest tier that has any: the smallest quota, the likeliest to be hit
				example = fmt.Sprintf("%d new %s on a %s workspace (quota %d) fail at plan", q+1, catalog.ChildNoun(g.feature), t.Name, q)
			}
		}
	}
	return fmt.Sprintf("\n\n**Tier rules.** When a %s is created in a workspace that already exists, `terraform plan` checks %s"+
		"the tier's per-workspace quota (%s): the workspace's usage plus every %s this plan creates in it, so %s, before any is "+
		"created. Each workspace is read once per run for all its children "+
		"(or not at all when the same run already read it). Removals in the same plan are not subtracted, because "+
		"Terraform may run a create before a removal; replacing one in the same workspace counts as neither. When the "+
		"workspace is created in the same apply, its ID is unknown at plan time, so the same checks, with the same words, "+
		"run at apply before each create. If the same apply also upgrades the workspace's plan tier, the plan-time check "+
		"still sees the current tier: apply the upgrade first (`-target` the `rocketchat_plan_tier`).",
		g.noun, gate, strings.Join(quotas, ", "), g.noun, example)
}

// gatePrivateKey marks, in the planned private state, a replacement whose
// first plan (with the prior state) already decided the gate: Terraform plans
// a replacement a second time with a null prior state, which must not count
// as one more create.
const gatePrivateKey = "gate_replacement"

// modifyPlan runs the tier checks when a child is about to be created in a
// workspace whose ID is known, counting every create of the walk in that
// workspace against the quota. It makes no call at all on any other plan, so
// a refresh or a no-change plan costs no read beyond the refresh itself.
func (g childGate) modifyPlan(ctx context.Context, gates *gateCache, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if gates == nil || req.Plan.Raw.IsNull() || req.Plan.Raw.Equal(req.State.Raw) {
		return // provider not configured yet, a destroy, or nothing changes
	}
	var planWS types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("workspace_id"), &planWS)...)
	if resp.Diagnostics.HasError() || planWS.IsUnknown() || planWS.IsNull() {
		return // a new workspace: the same checks run when the apply plans again
	}
	if !req.State.Raw.IsNull() {
		var stateWS types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("workspace_id"), &stateWS)...)
		if resp.Diagnostics.HasError() {
			return
		}
		// An update, or the first plan of a replacement: mark it, so the
		// replacement's second plan does not count a create again.
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, gatePrivateKey, []byte("true"))...)
		if stateWS.Equal(planWS) {
			return // nothing is added to a workspace: one object replaces another
		}
	} else if req.Private != nil {
		if mark, diags := req.Private.GetKey(ctx, gatePrivateKey); !diags.HasError() && len(mark) > 0 {
			return // the second plan of a replacement, decided by the first
		}
	}
	wsID := planWS.ValueString()
	ws, adding, err := gates.reserve(ctx, wsID, g.feature)
	if client.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("workspace_id"), "Workspace not found",
			fmt.Sprintf("workspace %q does not exist (or belongs to another organization); a %s needs an existing workspace.", wsID, g.noun))
		return
	}
	if err != nil {
		resp.Diagnostics.AddWarning("Tier rules not checked at plan time",
			fmt.Sprintf("Reading workspace %q failed (%s); the API checks the same rules at apply.", wsID, err))
		return
	}
	if g.refuse != nil {
		if why := g.refuse(ws); why != "" {
			resp.Diagnostics.AddAttributeError(path.Root("workspace_id"), "Workspace does not take this "+g.noun, why)
			return
		}
	}
	tier := catalog.Tier(ws.Tier)
	if v := catalog.CheckChildFeature(tier, g.feature, wsID); v != nil {
		resp.Diagnostics.AddAttributeError(path.Root("workspace_id"), "Tier rule violated", v.Message)
		return
	}
	if v := catalog.CheckChildQuotaAdding(tier, g.feature, wsID, ws.Usage.Count(g.feature), adding); v != nil {
		resp.Diagnostics.AddAttributeError(path.Root("workspace_id"), "Tier quota exceeded", v.Message)
	}
}
