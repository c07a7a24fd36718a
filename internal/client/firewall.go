package client

import (
	"context"
	"net/http"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// CreateFirewallRule adds a firewall rule to a workspace (POST /v1/workspaces/{workspace_id}/firewall-rules).
func (c *Client) CreateFirewallRule(ctx context.Context, workspaceID string, in api.FirewallRuleInput) (*api.FirewallRule, error) {
	p := buildPath("workspaces", workspaceID, "firewall-rules")
	return call[api.FirewallRule](ctx, c, http.MethodPost, p, in, want{parent: workspaceID})
}

// GetFirewallRule reads a firewall rule (GET /v1/workspaces/{workspace_id}/firewall-rules/{id}).
func (c *Client) GetFirewallRule(ctx context.Context, workspaceID, id string) (*api.FirewallRule, error) {
	p := buildPath("workspaces", workspaceID, "firewall-rules", id)
	return call[api.FirewallRule](ctx, c, http.MethodGet, p, nil, want{id: id, parent: workspaceID})
}

// UpdateFirewallRule changes a firewall rule (PATCH /v1/workspaces/{workspace_id}/firewall-rules/{id}).
func (c *Client) UpdateFirewallRule(ctx context.Context, workspaceID, id string, in api.FirewallRuleInput) (*api.FirewallRule, error) {
	p := buildPath("workspaces", workspaceID, "firewall-rules", id)
	return call[api.FirewallRule](ctx, c, http.MethodPatch, p, in, want{id: id, parent: workspaceID})
}

// DeleteFirewallRule removes a firewall rule (DELETE /v1/workspaces/{workspace_id}/firewall-rules/{id}).
func (c *Client) DeleteFirewallRule(ctx context.Context, workspaceID, id string) error {
	p := buildPath("workspaces", workspaceID, "firewall-rules", id)
	return c.do(ctx, http.MethodDelete, p, nil, nil, nil)
}

// ListFirewallRules lists the firewall rules of a workspace (GET /v1/workspaces/{workspace_id}/firewall-rules).
func (c *Client) ListFirewallRules(ctx context.Context, workspaceID string) ([]api.FirewallRule, error) {
	p := buildPath("workspaces", workspaceID, "firewall-rules")
	return list[api.FirewallRule](ctx, c, p, workspaceID)
}
