package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Resource identity (Terraform 1.12+): the attributes that name one remote
// object, stored beside the state, used by `import { identity = {...} }` and
// returned by list resources. Plan tiers and workspaces are named by their
// ID; a workspace's child objects by workspace_id and their own ID, so users
// never assemble "<workspace_id>/<id>" strings.
//
// Every identity attribute has a state attribute of the same name, and both
// are fixed for the life of the object (id is UseStateForUnknown,
// workspace_id forces replacement). So the identity is copied from the state
// after each write (syncIdentity): it cannot drift from the state, and a tier
// upgrade in place, a refresh that records drift or an update keep it as is.

var (
	_ resource.ResourceWithIdentity = (*planTierResource)(nil)
	_ resource.ResourceWithIdentity = (*workspaceResource)(nil)
	_ resource.ResourceWithIdentity = (*customDomainResource)(nil)
	_ resource.ResourceWithIdentity = (*firewallRuleResource)(nil)
	_ resource.ResourceWithIdentity = (*staticIPResource)(nil)
)

// topIdentitySchema is the identity of an object named by its ID alone.
func topIdentitySchema(what string) identityschema.Schema {
	return identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{RequiredForImport: true, Description: "Identifier of the " + what + "."},
	}}
}

// childIdentitySchema is the identity of a workspace's child object.
func childIdentitySchema(what string) identityschema.Schema {
	return identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"workspace_id": identityschema.StringAttribute{RequiredForImport: true, Description: "ID of the workspace the " + what + " belongs to."},
		"id":           identityschema.StringAttribute{RequiredForImport: true, Description: "Identifier of the " + what + "."},
	}}
}

func (r *planTierResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = topIdentitySchema("plan tier")
}

func (r *workspaceResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = topIdentitySchema("workspace")
}

func (r *customDomainResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = childIdentitySchema("custom domain")
}

func (r *firewallRuleResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = childIdentitySchema("firewall rule")
}

func (r *staticIPResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = childIdentitySchema("static IP")
}

// syncIdentity copies the identity attributes from the state into identity.
// It works on the raw values (no reflection), so calling it on every read
// costs next to nothing. identity is nil when the resource has no identity
// schema; a state whose ID is not known yet leaves identity as it is.
func syncIdentity(ctx context.Context, state *tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	if state == nil {
		return nil
	}
	return identityFromRaw(ctx, state.Raw, identity)
}

// identityFromRaw sets identity from the attributes of a resource object.
func identityFromRaw(ctx context.Context, raw tftypes.Value, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	var diags diag.Diagnostics
	if identity == nil || !raw.IsKnown() || raw.IsNull() {
		return diags
	}
	attrs := map[string]tftypes.Value{}
	if err := raw.As(&attrs); err != nil {
		diags.AddError("Cannot set resource identity", fmt.Sprintf("reading the state: %s; please report this issue", err))
		return diags
	}
	vals := map[string]tftypes.Value{}
	for name := range identity.Schema.GetAttributes() {
		v, ok := attrs[name]
		if !ok || !v.IsKnown() || v.IsNull() {
			return diags
		}
		vals[name] = v
	}
	identity.Raw = tftypes.NewValue(identity.Schema.Type().TerraformType(ctx), vals)
	return diags
}

// importTop imports a plan tier or a workspace by its ID: `terraform import`,
// `import { id = "..." }` or `import { identity = { id = "..." } }`.
func importTop(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil {
		if _, ok := identityStrings(ctx, req.Identity, &resp.Diagnostics, "id"); !ok {
			return
		}
	}
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}

// identityStrings reads string identity attributes, each of which must be set.
func identityStrings(ctx context.Context, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics, names ...string) ([]string, bool) {
	out := make([]string, len(names))
	for i, name := range names {
		var v types.String
		diags.Append(identity.GetAttribute(ctx, path.Root(name), &v)...)
		if diags.HasError() {
			return nil, false
		}
		if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
			diags.AddAttributeError(path.Root(name), "Invalid import identity",
				fmt.Sprintf("identity attribute %q must be set to a non-empty, known string (e.g. identity = { %s = \"...\" }).", name, name))
			return nil, false
		}
		out[i] = v.ValueString()
	}
	return out, true
}
