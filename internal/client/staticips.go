package client

import (
	"context"
	"net/http"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// CreateStaticIP adds a static IP to a workspace (POST /v1/workspaces/{workspace_id}/static-ips).
func (c *Client) CreateStaticIP(ctx context.Context, workspaceID string, in api.StaticIPInput) (*api.StaticIP, error) {
	p := buildPath("workspaces", workspaceID, "static-ips")
	return call[api.StaticIP](ctx, c, http.MethodPost, p, in, want{parent: workspaceID})
}

// GetStaticIP reads a static IP (GET /v1/workspaces/{workspace_id}/static-ips/{id}).
func (c *Client) GetStaticIP(ctx context.Context, workspaceID, id string) (*api.StaticIP, error) {
	p := buildPath("workspaces", workspaceID, "static-ips", id)
	return call[api.StaticIP](ctx, c, http.MethodGet, p, nil, want{id: id, parent: workspaceID})
}

// UpdateStaticIP changes a static IP (PATCH /v1/workspaces/{workspace_id}/static-ips/{id}).
func (c *Client) UpdateStaticIP(ctx context.Context, workspaceID, id string, in api.StaticIPInput) (*api.StaticIP, error) {
	p := buildPath("workspaces", workspaceID, "static-ips", id)
	return call[api.StaticIP](ctx, c, http.MethodPatch, p, in, want{id: id, parent: workspaceID})
}

// DeleteStaticIP removes a static IP (DELETE /v1/workspaces/{workspace_id}/static-ips/{id}).
func (c *Client) DeleteStaticIP(ctx context.Context, workspaceID, id string) error {
	p := buildPath("workspaces", workspaceID, "static-ips", id)
	return c.do(ctx, http.MethodDelete, p, nil, nil, nil)
}

// ListStaticIPs lists the static IPs of a workspace (GET /v1/workspaces/{workspace_id}/static-ips).
func (c *Client) ListStaticIPs(ctx context.Context, workspaceID string) ([]api.StaticIP, error) {
	p := buildPath("workspaces", workspaceID, "static-ips")
	return list[api.StaticIP](ctx, c, p, workspaceID)
}
