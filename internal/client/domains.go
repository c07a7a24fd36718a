package client

import (
	"context"
	"net/http"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// CreateDomain adds a custom domain to a workspace (POST /v1/workspaces/{workspace_id}/domains).
func (c *Client) CreateDomain(ctx context.Context, workspaceID string, in api.DomainInput) (*api.Domain, error) {
	p := buildPath("workspaces", workspaceID, "domains")
	return call[api.Domain](ctx, c, http.MethodPost, p, in, want{parent: workspaceID})
}

// GetDomain reads a custom domain (GET /v1/workspaces/{workspace_id}/domains/{id}).
func (c *Client) GetDomain(ctx context.Context, workspaceID, id string) (*api.Domain, error) {
	p := buildPath("workspaces", workspaceID, "domains", id)
	return call[api.Domain](ctx, c, http.MethodGet, p, nil, want{id: id, parent: workspaceID})
}

// DeleteDomain removes a custom domain (DELETE /v1/workspaces/{workspace_id}/domains/{id}).
func (c *Client) DeleteDomain(ctx context.Context, workspaceID, id string) error {
	p := buildPath("workspaces", workspaceID, "domains", id)
	return c.do(ctx, http.MethodDelete, p, nil, nil, nil)
}

// ListDomains lists the custom domains of a workspace (GET /v1/workspaces/{workspace_id}/domains).
func (c *Client) ListDomains(ctx context.Context, workspaceID string) ([]api.Domain, error) {
	p := buildPath("workspaces", workspaceID, "domains")
	return list[api.Domain](ctx, c, p, workspaceID)
}
