package provider

import (
	"context"
	"fmt"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/list"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// The list resources of the five resource types (see list_resource_common.go).

// Allowed values of the status filters.
var (
	planStatuses      = []string{api.StatusActive, api.StatusUpgrading}
	workspaceStatuses = []string{api.StatusPending, api.StatusReady, api.StatusUpgrading}
	domainStatuses    = []string{api.StatusPending, api.StatusVerified}
)

func tierFilter[T any](what string, field func(*T) string) listFilter[T] {
	return listFilter[T]{name: "tier", desc: "Only " + what + " of this tier.", allowed: catalog.TierNames(), field: field}
}

func regionFilter[T any](what string, field func(*T) string) listFilter[T] {
	return listFilter[T]{name: "region", desc: "Only " + what + " in this region.", allowed: catalog.RegionNames(), field: field}
}

// NewPlanTierListResource lists the organization's plan tiers.
func NewPlanTierListResource() list.ListResource { return planTierList() }

var planTierList = newListResource(listSpec[api.Plan, planTierModel, *planTierModel]{
	typeSuffix: "_plan_tier",
	noun:       "plan tiers",
	desc: "Lists the organization's plan tiers (`terraform query`, Terraform 1.14+), optionally by tier, region and status. " +
		"Each result carries the plan tier's identity and, with `include_resource = true`, its full object, so " +
		"`terraform query -generate-config-out` writes a configuration that plans with no changes.",
	filters: []listFilter[api.Plan]{
		tierFilter("plan tiers", func(p *api.Plan) string { return p.Tier }),
		regionFilter("plan tiers", func(p *api.Plan) string { return p.Region }),
		{name: "status", desc: "Only plan tiers in this status.", allowed: planStatuses, field: func(p *api.Plan) string { return p.Status }},
	},
	items: func(ctx context.Context, c *client.Client, _ string) iter.Seq2[api.Plan, error] {
		return c.AllPlans(ctx)
	},
	display: func(p *api.Plan) string {
		used := "no workspace"
		if p.WorkspaceID != "" {
			used = "workspace " + p.WorkspaceID
		}
		return fmt.Sprintf("%s in %s (%s, %s)", p.Tier, p.Region, p.ID, used)
	},
})

// NewWorkspaceListResource lists the organization's workspaces.
func NewWorkspaceListResource() list.ListResource { return workspaceList() }

var workspaceList = newListResource(listSpec[api.Workspace, workspaceModel, *workspaceModel]{
	typeSuffix: "_workspace",
	noun:       "workspaces",
	desc: "Lists the organization's workspaces (`terraform query`, Terraform 1.14+), optionally by tier, region and status. " +
		"The admin password is write-only and never listed: generated configurations set `admin_password_wo` to `null`.",
	filters: []listFilter[api.Workspace]{
		tierFilter("workspaces", func(w *api.Workspace) string { return w.Tier }),
		regionFilter("workspaces", func(w *api.Workspace) string { return w.Region }),
		{name: "status", desc: "Only workspaces in this status.", allowed: workspaceStatuses, field: func(w *api.Workspace) string { return w.Status }},
	},
	items: func(ctx context.Context, c *client.Client, _ string) iter.Seq2[api.Workspace, error] {
		return c.AllWorkspaces(ctx)
	},
	display: func(w *api.Workspace) string {
		return fmt.Sprintf("%s (%s, %s in %s)", w.Name, w.URL, w.Tier, w.Region)
	},
})

// NewCustomDomainListResource lists the custom domains of a workspace.
func NewCustomDomainListResource() list.ListResource { return customDomainList() }

var customDomainList = newListResource(listSpec[api.Domain, customDomainModel, *customDomainModel]{
	typeSuffix: "_custom_domain",
	noun:       "custom domains",
	desc:       "Lists the custom domains of one workspace (`terraform query`, Terraform 1.14+), optionally by verification status.",
	child:      true,
	filters: []listFilter[api.Domain]{
		{name: "status", desc: "Only custom domains in this verification status.", allowed: domainStatuses, field: func(d *api.Domain) string { return d.Status }},
	},
	items: func(ctx context.Context, c *client.Client, ws string) iter.Seq2[api.Domain, error] {
		return c.AllDomains(ctx, ws)
	},
	display: func(d *api.Domain) string { return fmt.Sprintf("%s (%s)", d.Hostname, d.Status) },
})

// NewFirewallRuleListResource lists the firewall rules of a workspace.
func NewFirewallRuleListResource() list.ListResource { return firewallRuleList() }

var firewallRuleList = newListResource(listSpec[api.FirewallRule, firewallRuleModel, *firewallRuleModel]{
	typeSuffix: "_firewall_rule",
	noun:       "firewall rules",
	desc:       "Lists the firewall rules of one workspace (`terraform query`, Terraform 1.14+), optionally by action and protocol.",
	child:      true,
	filters: []listFilter[api.FirewallRule]{
		{name: "action", desc: "Only rules with this action.", allowed: api.FirewallActions, field: func(r *api.FirewallRule) string { return r.Action }},
		{name: "protocol", desc: "Only rules of this protocol.", allowed: api.FirewallProtocols, field: func(r *api.FirewallRule) string { return r.Protocol }},
	},
	items: func(ctx context.Context, c *client.Client, ws string) iter.Seq2[api.FirewallRule, error] {
		return c.AllFirewallRules(ctx, ws)
	},
	display: func(r *api.FirewallRule) string {
		ports := ""
		if r.PortRange != "" {
			ports = " port " + r.PortRange
		}
		return fmt.Sprintf("#%d %s %s from %s%s", r.Priority, r.Action, r.Protocol, r.CIDR, ports)
	},
})

// NewStaticIPListResource lists the static IPs of a workspace.
func NewStaticIPListResource() list.ListResource { return staticIPList() }

var staticIPList = newListResource(listSpec[api.StaticIP, staticIPModel, *staticIPModel]{
	typeSuffix: "_static_ip",
	noun:       "static IPs",
	desc:       "Lists the static IPs of one workspace (`terraform query`, Terraform 1.14+), optionally by purpose.",
	child:      true,
	filters: []listFilter[api.StaticIP]{
		{name: "purpose", desc: "Only addresses with this purpose.", allowed: api.StaticIPPurposes, field: func(ip *api.StaticIP) string { return ip.Purpose }},
	},
	items: func(ctx context.Context, c *client.Client, ws string) iter.Seq2[api.StaticIP, error] {
		return c.AllStaticIPs(ctx, ws)
	},
	display: func(ip *api.StaticIP) string { return fmt.Sprintf("%s (%s)", ip.Address, ip.Purpose) },
})
