package client

import (
	"context"
	"net/http"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// CreateDomain adds a custom domain to a workspace (POST /v1/workspaces/{workspace_id}/domains).
func (c *Client) CreateDomain(ctx context.Context, workspaceID string, in api.DomainInput) (*api.Domain, error) {
	p, err := buildPath("workspaces", workspaceID, "domains")
	if err != nil {
		return nil, err
	}
	return call[api.Domain](ctx, c, http.MethodPost, p, in)
}

// GetDomain reads a custom domain (GET /v1/workspaces/{workspace_id}/domains/{id}).
func (c *Client) GetDomain(ctx context.Context, workspaceID, id string) (*api.Domain, error) {
	p, err := buildPath("workspaces", workspaceID, "domains", id)
	if err != nil {
		return nil, err
	}
	return call[api.Domain](ctx, c, http.MethodGet, p, nil)
}

// DeleteDomain removes a custom domain (DELETE /v1/workspaces/{workspace_id}/domains/{id}).
func (c *Client) DeleteDomain(ctx context.Context, workspaceID, id string) error {
	p, err := buildPath("workspaces", workspaceID, "domains", id)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodDelete, p, nil, nil)
}

// ListDomains lists the custom domains of a workspace (GET /v1/workspaces/{workspace_id}/domains).
func (c *Client) ListDomains(ctx context.Context, workspaceID string) ([]api.Domain, error) {
	p, err := buildPath("workspaces", workspaceID, "domains")
	if err != nil {
		return nil, err
	}
	return list[api.Domain](ctx, c, p)
}
