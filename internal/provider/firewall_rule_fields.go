package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// The fields of a firewall rule, shared by rocketchat_firewall_rule (one rule
// per resource) and rocketchat_firewall_rules (a workspace's whole set, one
// nested object per rule): the same descriptions, the same validators (the
// API's own checks), so both resources accept exactly the same rules.

type firewallRuleFields struct{}

var ruleFields firewallRuleFields

func (firewallRuleFields) cidr() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Source IPv4 or IPv6 prefix in canonical form, e.g. `203.0.113.0/24` or `2001:db8::/32`. " +
			"A prefix with host bits set (`10.0.0.1/24`) is an error at plan time that names the canonical form " +
			"(`10.0.0.0/24`); it is never silently normalised, so plan and state always agree.",
		Required:   true,
		Validators: []validator.String{apiStringValidator{"a canonical CIDR block", api.ValidateCIDR}},
	}
}

func (firewallRuleFields) action() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "What the rule does with matching traffic: one of " + backquoteJoin(api.FirewallActions) + ".",
		Required:            true,
		Validators:          []validator.String{stringvalidator.OneOf(api.FirewallActions...)},
	}
}

func (firewallRuleFields) protocol() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Protocol: one of " + backquoteJoin(api.FirewallProtocols) + ". Defaults to `tcp`.",
		Optional:            true,
		Computed:            true,
		Default:             stringdefault.StaticString(api.DefaultFirewallProtocol),
		Validators:          []validator.String{stringvalidator.OneOf(api.FirewallProtocols...)},
	}
}

func (firewallRuleFields) portRange() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Destination port (`443`) or inclusive range (`8000-8100`), 1 to 65535. Unset means every " +
			"port. Only for `tcp` and `udp`: it must be unset with `icmp` and `any` (checked at plan time).",
		Optional:   true,
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

func (firewallRuleFields) priority() schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("Evaluation order, %d to %d, lowest first. Unique per workspace: a priority "+
			"another rule holds is an error on this attribute at apply.", api.MinPriority, api.MaxPriority),
		Required:   true,
		Validators: []validator.Int64{int64validator.Between(api.MinPriority, api.MaxPriority)},
	}
}

func (firewallRuleFields) description() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("Free text, 1 to %d printable characters (unset it rather than setting it empty). Changes in place.", api.MaxDescriptionLength),
		Optional:            true,
		Validators:          descriptionValidators(),
	}
}

// checkRulePorts checks a rule's port_range (at portPath) against its
// protocol with the API's own rule: the format, the bounds, and no ports for
// icmp or any. An unknown protocol is checked as the default; the API checks
// the pairing again at apply.
func checkRulePorts(portPath path.Path, proto, portRange types.String, diags *diag.Diagnostics) {
	if portRange.IsNull() || portRange.IsUnknown() {
		return
	}
	protocol := proto.ValueString()
	if proto.IsNull() || proto.IsUnknown() {
		protocol = api.DefaultFirewallProtocol
	}
	if fe := api.ValidatePortRange("port_range", protocol, portRange.ValueString()); fe != nil {
		diags.AddAttributeError(portPath, "Invalid "+portPath.String(), fe.Message)
	}
}
