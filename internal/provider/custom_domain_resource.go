package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

var (
	_ resource.Resource                = (*customDomainResource)(nil)
	_ resource.ResourceWithConfigure   = (*customDomainResource)(nil)
	_ resource.ResourceWithImportState = (*customDomainResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*customDomainResource)(nil)
)

// NewCustomDomainResource returns the rocketchat_custom_domain resource.
func NewCustomDomainResource() resource.Resource { return &customDomainResource{} }

type customDomainResource struct {
	client *client.Client
	reads  *readCaches
	gates  *gateCache
}

type customDomainModel struct {
	ID                  types.String   `tfsdk:"id"`
	WorkspaceID         types.String   `tfsdk:"workspace_id"`
	Hostname            types.String   `tfsdk:"hostname"`
	WaitForVerification types.Bool     `tfsdk:"wait_for_verification"`
	Status              types.String   `tfsdk:"status"`
	CertificateStatus   types.String   `tfsdk:"certificate_status"`
	VerificationRecord  types.Object   `tfsdk:"verification_record"`
	RoutingRecord       types.Object   `tfsdk:"routing_record"`
	CreatedAt           types.String   `tfsdk:"created_at"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

var customDomainAttributes = []string{"workspace_id", "hostname"}

var customDomainGate = childGate{
	feature: catalog.FeatureCustomDomains,
	noun:    "custom domain",
}

// dnsRecordAttrTypes is the object type of a DNS record attribute.
var dnsRecordAttrTypes = map[string]attr.Type{"type": types.StringType, "name": types.StringType, "value": types.StringType}

func dnsRecordAttribute(desc string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: desc,
		Computed:            true,
		PlanModifiers:       []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
		Attributes: map[string]schema.Attribute{
			"type":  schema.StringAttribute{MarkdownDescription: "Record type.", Computed: true},
			"name":  schema.StringAttribute{MarkdownDescription: "Fully qualified record name.", Computed: true},
			"value": schema.StringAttribute{MarkdownDescription: "Record value.", Computed: true},
		},
	}
}

func dnsRecordValue(r api.DNSRecord) types.Object {
	return types.ObjectValueMust(dnsRecordAttrTypes, map[string]attr.Value{
		"type": types.StringValue(r.Type), "name": types.StringValue(r.Name), "value": types.StringValue(r.Value),
	})
}

func (r *customDomainResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_custom_domain"
}

func (r *customDomainResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A custom domain of a `rocketchat_workspace` (for example `chat.example.com`). The API answers with two DNS " +
			"records to create at your DNS provider: `verification_record` (TXT, proves ownership) and `routing_record` (CNAME, " +
			"sends traffic to the workspace); both are exposed so they can feed a DNS provider's resources. Once the TXT record " +
			"is seen, `status` moves from `pending` to `verified` and `certificate_status` to `issued`; each refresh records the " +
			"current values. A hostname belongs to one workspace across all of Rocket.Chat Cloud. Import with " +
			"`<workspace_id>/<custom_domain_id>`." + customDomainGate.planNote(),
		Attributes: map[string]schema.Attribute{
			"id":           computedStable("Identifier of the custom domain."),
			"workspace_id": workspaceIDAttribute("custom domain"),
			"hostname": schema.StringAttribute{
				MarkdownDescription: "Fully qualified host name, lowercase RFC 1123 (at most 253 characters, at least two labels), " +
					"without scheme, path or port, e.g. `chat.example.com`; checked at plan time. Unique across all organizations: " +
					"a hostname in use elsewhere is an error on this attribute at apply. Changing it forces a new custom domain.",
				Required:      true,
				Validators:    []validator.String{apiStringValidator{"an RFC 1123 host name", api.ValidateHostname}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"wait_for_verification": schema.BoolAttribute{
				MarkdownDescription: "When `true`, create (and an update that turns it on) waits until `status` is `verified`, " +
					"within `timeouts.create` (or `timeouts.update`). Defaults to `false`. Resources that read this domain's " +
					"`verification_record` are created after it, so only turn this on when the TXT record is managed outside " +
					"this configuration (or already exists). A wait that times out leaves the domain in state as tainted: " +
					"`terraform untaint` it once it is verified, since a replacement gets a new verification value. A wait " +
					"interrupted by Terraform (Ctrl-C) keeps the domain in state, not tainted, and the next apply resumes it.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Verification status: `pending` until the TXT record is seen, then `verified`. Updated on refresh.",
				Computed:            true,
			},
			"certificate_status": schema.StringAttribute{
				MarkdownDescription: "TLS certificate status: `pending`, then `issued` once the domain is verified. Updated on refresh.",
				Computed:            true,
			},
			"verification_record": dnsRecordAttribute("The TXT record that proves ownership: `type` (`TXT`), `name` " +
				"(`_rocketchat-challenge.<hostname>`) and `value`. Fixed for the life of the custom domain."),
			"routing_record": dnsRecordAttribute("The CNAME record that routes the hostname to the workspace: `type` " +
				"(`CNAME`), `name` (the hostname) and `value` (the workspace's host)."),
			"created_at": computedStable("When the custom domain was added (RFC 3339)."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx, timeouts.Opts{Create: true, Update: true}),
		},
	}
}

func (r *customDomainResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
	r.reads = configureReads(req.ProviderData)
	r.gates = configureGates(req.ProviderData)
}

func (m *customDomainModel) fromAPI(d *api.Domain) {
	m.ID = types.StringValue(d.ID)
	m.WorkspaceID = types.StringValue(d.WorkspaceID)
	m.Hostname = types.StringValue(d.Hostname)
	m.Status = types.StringValue(d.Status)
	m.CertificateStatus = types.StringValue(d.CertificateStatus)
	m.VerificationRecord = dnsRecordValue(d.VerificationRecord)
	m.RoutingRecord = dnsRecordValue(d.RoutingRecord)
	m.CreatedAt = timeValue(d.CreatedAt)
	if m.WaitForVerification.IsNull() || m.WaitForVerification.IsUnknown() {
		m.WaitForVerification = types.BoolValue(false) // import: the schema default
	}
}

func (r *customDomainResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Plan.Raw.IsNull() {
		// A verification wait that an interrupt cut short: the next apply resumes it.
		var wait types.Bool
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("wait_for_verification"), &wait)...)
		if wait.ValueBool() {
			resumeWaitPlan(ctx, req, resp, api.StatusVerified, "certificate_status")
		}
	}
	customDomainGate.modifyPlan(ctx, r.gates, req, resp)
}

func (r *customDomainResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m customDomainModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := m.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	d, err := r.client.CreateDomain(ctx, m.WorkspaceID.ValueString(), api.DomainInput{Hostname: m.Hostname.ValueString()})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot add custom domain", err, customDomainAttributes...)
		return
	}
	// Track the domain before waiting: if the wait fails, it stays in state.
	m.fromAPI(d)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.Append(syncIdentity(ctx, &resp.State, resp.Identity)...)
	if m.WaitForVerification.ValueBool() {
		r.waitVerified(ctx, &m, timeout, resp.State.Set, &resp.Diagnostics)
	}
}

// waitVerified polls until the domain is verified, then records it.
func (r *customDomainResource) waitVerified(ctx context.Context, m *customDomainModel, timeout time.Duration,
	set func(context.Context, any) diag.Diagnostics, diags *diag.Diagnostics) {
	if m.Status.ValueString() == api.StatusVerified {
		return
	}
	var d *api.Domain
	err := waitFor(ctx, timeout, func(ctx context.Context) (bool, error) {
		var err error
		d, err = r.client.GetDomain(ctx, m.WorkspaceID.ValueString(), m.ID.ValueString())
		return err == nil && d.Status == api.StatusVerified, err
	})
	if errors.Is(err, errWaitInterrupted) {
		diags.AddWarning("Interrupted while waiting for the custom domain",
			fmt.Sprintf("Terraform was interrupted while waiting for custom domain %s (%s) to be verified. It is kept in "+
				"state, not tainted: the next apply resumes the wait.", m.ID.ValueString(), m.Hostname.ValueString()))
		return
	}
	if err != nil {
		msg := fmt.Sprintf("Waiting for custom domain %s (%s) to be verified: %s.", m.ID.ValueString(), m.Hostname.ValueString(), err)
		if errors.Is(err, errWaitTimeout) {
			if rec, ok := m.VerificationRecord.Attributes()["name"].(types.String); ok {
				msg += fmt.Sprintf(" Create the TXT record %s with the value of verification_record.value at your DNS provider.", rec.ValueString())
			}
			msg += " The custom domain exists and is kept in state as tainted: run `terraform untaint` once it is verified " +
				"(a replacement would get a new verification value), or raise the timeout."
		}
		diags.AddError("Custom domain verification did not complete", msg)
		return
	}
	m.fromAPI(d)
	diags.Append(set(ctx, m)...)
}

func (r *customDomainResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	readResource(ctx, req, resp, "custom domain", func(ctx context.Context, m *customDomainModel) (*api.Domain, error) {
		return r.reads.domain(ctx, r.client, m.WorkspaceID.ValueString(), m.ID.ValueString())
	})
}

// Update only ever changes wait_for_verification (everything else forces a
// new custom domain): it reads the domain, and waits when asked to.
func (r *customDomainResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m customDomainModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := m.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	d, err := r.client.GetDomain(ctx, m.WorkspaceID.ValueString(), m.ID.ValueString())
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot read custom domain", err)
		return
	}
	m.fromAPI(d)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.Append(syncIdentity(ctx, &resp.State, resp.Identity)...)
	if m.WaitForVerification.ValueBool() {
		r.waitVerified(ctx, &m, timeout, resp.State.Set, &resp.Diagnostics)
	}
}

func (r *customDomainResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	deleteResource(ctx, req, resp, "Cannot remove custom domain", func(ctx context.Context, m *customDomainModel) error {
		return r.client.DeleteDomain(ctx, m.WorkspaceID.ValueString(), m.ID.ValueString())
	})
}

func (r *customDomainResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importChildID(ctx, "custom_domain", req, resp)
}
