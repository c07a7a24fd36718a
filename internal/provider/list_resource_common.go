package provider

import (
	"context"
	"fmt"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// List resources (Terraform 1.14 `terraform query`): every resource type can
// be listed, so a user adopting an existing estate discovers it and lets
// Terraform generate its configuration. One generic implementation serves the
// five types; each type only says what it lists, how it filters and how a
// result is named (list_resources.go).
//
// A result carries the object's identity and, when Terraform asks for it,
// the full resource object, built exactly as a read after `terraform import`
// builds it (an all-null state filled by the resource's own fromAPI), so the
// generated configuration plans with no changes.

// listFilter is one optional filter attribute of a list block. The API has
// no filters: the provider applies them to each page as it arrives.
type listFilter[T any] struct {
	name, desc string
	allowed    []string // the attribute's allowed values, when fixed
	field      func(*T) string
}

// listSpec is what a resource type's list resource is made of.
type listSpec[T, M any, PM apiModel[M, T]] struct {
	typeSuffix string // "_plan_tier"
	noun       string // "plan tiers"
	desc       string
	// child lists the objects of one workspace: workspace_id is required.
	child   bool
	filters []listFilter[T]
	items   func(ctx context.Context, c *client.Client, workspaceID string) iter.Seq2[T, error]
	display func(*T) string
}

// listResource is the list.ListResource of one resource type.
type listResource[T, M any, PM apiModel[M, T]] struct {
	spec   listSpec[T, M, PM]
	client *client.Client
}

func newListResource[T, M any, PM apiModel[M, T]](spec listSpec[T, M, PM]) func() list.ListResource {
	return func() list.ListResource { return &listResource[T, M, PM]{spec: spec} }
}

func (l *listResource[T, M, PM]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + l.spec.typeSuffix
}

func (l *listResource[T, M, PM]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (l *listResource[T, M, PM]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attrs := map[string]listschema.Attribute{}
	if l.spec.child {
		attrs["workspace_id"] = listschema.StringAttribute{
			MarkdownDescription: "ID of the workspace whose " + l.spec.noun + " are listed.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		}
	}
	for _, f := range l.spec.filters {
		a := listschema.StringAttribute{MarkdownDescription: f.desc + " Unset lists every one.", Optional: true}
		if len(f.allowed) > 0 {
			a.MarkdownDescription = f.desc + " One of " + backquoteJoin(f.allowed) + "; unset lists every one."
			a.Validators = []validator.String{stringvalidator.OneOf(f.allowed...)}
		}
		attrs[f.name] = a
	}
	resp.Schema = listschema.Schema{MarkdownDescription: l.spec.desc, Attributes: attrs}
}

// List streams the matching objects, page by page, and stops at the first
// error, at Terraform's limit, or when Terraform stops reading.
func (l *listResource[T, M, PM]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var diags diag.Diagnostics
	wants := map[string]string{}
	var wsID string
	if l.spec.child {
		wsID = configString(ctx, req.Config, "workspace_id", &diags)
	}
	for _, f := range l.spec.filters {
		if v := configString(ctx, req.Config, f.name, &diags); v != "" {
			wants[f.name] = v
		}
	}
	if l.client == nil {
		diags.AddError("Provider not configured", "The provider must be configured before listing "+l.spec.noun+"; please report this issue.")
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		var n int64
		for obj, err := range l.spec.items(ctx, l.client, wsID) {
			if err != nil {
				r := list.ListResult{}
				if l.spec.child && client.IsNotFound(err) {
					r.Diagnostics.AddAttributeError(path.Root("workspace_id"), "Workspace not found",
						fmt.Sprintf("workspace %q does not exist (or belongs to another organization): %s", wsID, err))
				} else {
					addAPIError(&r.Diagnostics, "Cannot list "+l.spec.noun, err)
				}
				push(r)
				return
			}
			if !l.matches(&obj, wants) {
				continue
			}
			if !push(l.result(ctx, req, &obj)) {
				return
			}
			if n++; req.Limit > 0 && n >= req.Limit {
				return
			}
		}
	}
}

func (l *listResource[T, M, PM]) matches(obj *T, wants map[string]string) bool {
	for _, f := range l.spec.filters {
		if want, ok := wants[f.name]; ok && f.field(obj) != want {
			return false
		}
	}
	return true
}

// result is one listed object: its identity, its display name and, when
// asked for, the resource object a read after import would store.
func (l *listResource[T, M, PM]) result(ctx context.Context, req list.ListRequest, obj *T) list.ListResult {
	r := req.NewListResult(ctx)
	r.DisplayName = l.spec.display(obj)
	raw, diags := resourceObject[T, M, PM](ctx, r.Resource, obj)
	r.Diagnostics.Append(diags...)
	if r.Diagnostics.HasError() {
		return r
	}
	r.Diagnostics.Append(identityFromRaw(ctx, raw, r.Identity)...)
	if req.IncludeResource {
		r.Resource.Raw = raw
	} else {
		r.Resource = nil
	}
	return r
}

// resourceObject is the state a read after import stores for obj: the
// imported state holds nulls everywhere but the IDs, and Read fills it with
// the model's fromAPI.
func resourceObject[T, M any, PM apiModel[M, T]](ctx context.Context, res *tfsdk.Resource, obj *T) (tftypes.Value, diag.Diagnostics) {
	work := tfsdk.Resource{Schema: res.Schema, Raw: nullAttributes(res.Raw.Type())}
	m := PM(new(M))
	diags := work.Get(ctx, m)
	if diags.HasError() {
		return tftypes.Value{}, diags
	}
	m.fromAPI(obj)
	diags.Append(work.Set(ctx, m)...)
	return work.Raw, diags
}

// nullAttributes is a known object of typ whose attributes are all null.
func nullAttributes(typ tftypes.Type) tftypes.Value {
	ot, ok := typ.(tftypes.Object)
	if !ok {
		return tftypes.NewValue(typ, nil)
	}
	vals := make(map[string]tftypes.Value, len(ot.AttributeTypes))
	for name, at := range ot.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	return tftypes.NewValue(typ, vals)
}

// configString reads an optional string attribute of a list block ("" when unset).
func configString(ctx context.Context, cfg tfsdk.Config, name string, diags *diag.Diagnostics) string {
	var v types.String
	diags.Append(cfg.GetAttribute(ctx, path.Root(name), &v)...)
	return v.ValueString()
}
