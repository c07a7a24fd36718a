// Package provider implements the Terraform provider for Rocket.Chat Cloud:
// schemas, CRUD, plan-time checks, data sources, functions and ephemeral
// resources. Business rules come from internal/catalog, HTTP from internal/client.
package provider

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

var (
	_ provider.Provider                       = (*rocketChatProvider)(nil)
	_ provider.ProviderWithFunctions          = (*rocketChatProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*rocketChatProvider)(nil)
	_ provider.ProviderWithListResources      = (*rocketChatProvider)(nil)
	_ provider.ProviderWithActions            = (*rocketChatProvider)(nil)
)

// Environment variables read when the attribute is not set.
const (
	EnvEndpoint   = "ROCKETCHAT_ENDPOINT"
	EnvToken      = "ROCKETCHAT_TOKEN"
	EnvCACertFile = "ROCKETCHAT_CA_CERT_FILE"
)

type rocketChatProvider struct {
	version string
}

type providerModel struct {
	Endpoint       types.String `tfsdk:"endpoint"`
	Token          types.String `tfsdk:"token"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	CACertFile     types.String `tfsdk:"ca_cert_file"`
}

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &rocketChatProvider{version: version} }
}

func (p *rocketChatProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "rocketchat"
	resp.Version = p.version
}

func (p *rocketChatProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Declares a Rocket.Chat Cloud estate: plan tiers, workspaces, custom domains, firewall rules and static IPs.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Rocket.Chat Cloud API, e.g. `http://127.0.0.1:8080` for the emulator. May also be set with the `" + EnvEndpoint + "` environment variable.",
				Optional:            true,
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "API token of your organization. May also be set with the `" + EnvToken + "` environment variable. Never logged.",
				Optional:            true,
				Sensitive:           true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How often a request is retried after a connection error, a `429` or a `5xx` answer (with backoff, honouring `Retry-After`). Defaults to `4`; `0` disables retries.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Timeout of one HTTP attempt, as a Go duration (`30s`, `2m`). Defaults to `30s`. Waits for provisioning use each resource's `timeouts` block instead.",
				Optional:            true,
			},
			"ca_cert_file": schema.StringAttribute{
				MarkdownDescription: "Path to a PEM bundle of extra certificate authorities to trust for a TLS endpoint. May also be set with `" + EnvCACertFile + "`.",
				Optional:            true,
			},
		},
	}
}

func (p *rocketChatProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for name, v := range map[string]types.String{"endpoint": cfg.Endpoint, "token": cfg.Token, "request_timeout": cfg.RequestTimeout, "ca_cert_file": cfg.CACertFile} {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown provider configuration",
				fmt.Sprintf("%s depends on a value known only after apply; the provider needs it to plan. Set it statically or through the environment.", name))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	endpoint := fromConfigOrEnv(cfg.Endpoint, EnvEndpoint)
	token := fromConfigOrEnv(cfg.Token, EnvToken)
	if endpoint == "" {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Missing API endpoint",
			"Set endpoint in the provider block or the "+EnvEndpoint+" environment variable, e.g. http://127.0.0.1:8080 for the emulator.")
	}
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Missing API token",
			"Set token in the provider block or the "+EnvToken+" environment variable. The emulator prints its token when it starts.")
	}
	ccfg := client.Config{
		Endpoint:  endpoint,
		Token:     token,
		UserAgent: fmt.Sprintf("terraform-provider-rocketchat/%s Terraform/%s", p.version, req.TerraformVersion),
		Logger:    tflogLogger{},
	}
	if !cfg.MaxRetries.IsNull() {
		ccfg.MaxRetries = int(cfg.MaxRetries.ValueInt64())
		if ccfg.MaxRetries == 0 {
			ccfg.MaxRetries = -1 // the client reads 0 as "default"
		}
	}
	if s := cfg.RequestTimeout.ValueString(); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout",
				fmt.Sprintf("%q is not a positive Go duration such as \"30s\" or \"2m\"", s))
		}
		ccfg.RequestTimeout = d
	}
	if f := fromConfigOrEnv(cfg.CACertFile, EnvCACertFile); f != "" {
		pem, err := os.ReadFile(f)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("ca_cert_file"), "Cannot read CA bundle", err.Error())
		}
		ccfg.CACertPEM = pem
	}
	if resp.Diagnostics.HasError() {
		return
	}
	c, err := client.New(ccfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid provider configuration", err.Error())
		return
	}
	tflog.Debug(ctx, "configured Rocket.Chat Cloud client", map[string]any{"endpoint": endpoint})
	// New caches per Configure: one per walk, never shared across runs.
	reads := newReadCaches()
	resp.ResourceData = &providerData{client: c, gates: newGateCache(c, reads), reads: reads}
	resp.DataSourceData = c
	resp.EphemeralResourceData = c
	resp.ListResourceData = c
	resp.ActionData = c
}

func fromConfigOrEnv(v types.String, env string) string {
	if !v.IsNull() && v.ValueString() != "" {
		return v.ValueString()
	}
	return os.Getenv(env)
}

func (p *rocketChatProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewPlanTierResource,
		NewWorkspaceResource,
		NewCustomDomainResource,
		NewFirewallRuleResource,
		NewFirewallRulesResource,
		NewStaticIPResource,
	}
}

func (p *rocketChatProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewPlanTiersDataSource,
		NewTierDataSource,
		NewRegionsDataSource,
		NewWorkspaceDataSource,
	}
}

func (p *rocketChatProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		NewTierAllowsFunction,
		NewTierLimitsFunction,
		NewParseImportIDFunction,
		NewCanUpgradeFunction,
	}
}

func (p *rocketChatProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewWorkspaceAdminTokenEphemeralResource,
	}
}

func (p *rocketChatProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewPlanTierListResource,
		NewWorkspaceListResource,
		NewCustomDomainListResource,
		NewFirewallRuleListResource,
		NewStaticIPListResource,
	}
}

func (p *rocketChatProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{
		NewWorkspaceExportAction,
		NewCustomDomainVerifyAction,
	}
}

// tflogLogger sends the client's request log lines to Terraform's log.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}
