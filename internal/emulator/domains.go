package emulator

import (
	"net/http"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// VerificationPrefix is the name prefix of a domain's TXT verification record.
const VerificationPrefix = "_rocketchat-challenge."

// domainView is the domain as answered: verified once DomainVerifyDelay has
// passed (when set) or an operator verified it.
func (s *Server) domainView(d *store.DomainRec, now time.Time) api.Domain {
	out := d.Domain
	delay := s.cfg.DomainVerifyDelay
	if d.Verified || (delay > 0 && !now.Before(d.CreatedAt.Add(delay))) {
		out.Status, out.CertificateStatus = api.StatusVerified, api.StatusIssued
	} else {
		out.Status, out.CertificateStatus = api.StatusPending, api.StatusPending
	}
	return out
}

// childOf reads a child record of the request's workspace, or 404.
// countChild counts a child object in (+1) or out (-1) of its workspace's
// usage, in the same atomic batch as the object itself.
func (q *request) countChild(ws *store.WorkspaceRec, f catalog.Feature, delta int) error {
	ws.Usage.Add(f, delta)
	return q.put(store.KindWorkspaces, ws.ID, ws)
}

func childOf[T any](s *Server, q *request, kind, noun, idParam string, owner func(*T) (org, wsID string)) (*store.WorkspaceRec, *T, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return nil, nil, err
	}
	id := q.path(idParam)
	c, err := getRec[T](s, kind, id)
	if err != nil {
		return nil, nil, err
	}
	if c == nil {
		return nil, nil, errNotFound(noun, id)
	}
	if org, wsID := owner(c); org != q.org || wsID != ws.ID {
		return nil, nil, errNotFound(noun, id)
	}
	return ws, c, nil
}

func domainOwner(d *store.DomainRec) (string, string) { return d.Org, d.WorkspaceID }

func (s *Server) listDomains(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	return listPage(s, q, store.KindDomains, store.WsGroup(store.KindDomains, ws.ID), func(d *store.DomainRec) (api.Domain, error) {
		return s.domainView(d, q.now), nil
	})
}

func (s *Server) createDomain(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	var in api.DomainInput
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	errs := in.Validate()
	errs = append(errs, api.Collect(catalog.CheckChildFeature(catalog.Tier(ws.Tier), catalog.FeatureCustomDomains, ws.ID))...)
	if len(errs) > 0 {
		return 0, nil, errInvalid(errs)
	}
	if v := catalog.CheckChildQuota(catalog.Tier(ws.Tier), catalog.FeatureCustomDomains, ws.ID, ws.Usage.Count(catalog.FeatureCustomDomains)); v != nil {
		return 0, nil, errInvalid(api.Collect(v))
	}
	host := store.NormalHost(in.Hostname)
	if id, ok := s.store.Holder(store.UniqueKey("hostname", host)); ok {
		taken, err := getRec[store.DomainRec](s, store.KindDomains, id)
		if err != nil {
			return 0, nil, err
		}
		where := "another organization's workspace"
		if taken != nil && taken.Org == q.org {
			where = "workspace " + taken.WorkspaceID + " (domain " + taken.ID + ")"
		}
		return 0, nil, errTaken("hostname", "hostname %q is already in use by %s; a hostname can belong to one workspace only", in.Hostname, where)
	}
	d := store.DomainRec{Org: q.org, Domain: api.Domain{
		ID: newID("dom"), WorkspaceID: ws.ID, Hostname: in.Hostname,
		VerificationRecord: api.DNSRecord{Type: "TXT", Name: VerificationPrefix + host, Value: "rocketchat-verification=" + randomHex(16)},
		RoutingRecord:      api.DNSRecord{Type: "CNAME", Name: host, Value: ws.Subdomain + "." + WorkspaceDomain},
		CreatedAt:          q.now,
	}}
	d.Domain = s.domainView(&d, q.now)
	if err := q.put(store.KindDomains, d.ID, d); err != nil {
		return 0, nil, err
	}
	if err := q.countChild(ws, catalog.FeatureCustomDomains, +1); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, d.Domain, nil
}

func (s *Server) getDomain(q *request) (int, any, error) {
	_, d, err := childOf(s, q, store.KindDomains, "domain", "domain_id", domainOwner)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.domainView(d, q.now), nil
}

func (s *Server) deleteDomain(q *request) (int, any, error) {
	ws, d, err := childOf(s, q, store.KindDomains, "domain", "domain_id", domainOwner)
	if err != nil {
		return 0, nil, err
	}
	q.del(store.KindDomains, d.ID)
	if err := q.countChild(ws, catalog.FeatureCustomDomains, -1); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
