package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// Day-2 operations (the provider's Terraform actions call them):
//
//	POST /v1/workspaces/{workspace_id}/exports                     request a data export -> 202 Export (running)
//	GET  /v1/workspaces/{workspace_id}/exports/{export_id}         its progress -> Export (completed, with a download link)
//	POST /v1/workspaces/{workspace_id}/domains/{domain_id}/verify  look the TXT record up now -> Domain (verified) or 422
//	PUT  /admin/v1/dns/{name}                                      publish TXT values in the simulated DNS -> 204

// maxExportsPerWorkspace is how many exports a workspace keeps; a new one
// replaces the oldest (they expire after api.ExportRetention anyway).
const maxExportsPerWorkspace = 20

type exportRec struct {
	Org string `json:"org"`
	api.Export
}

// view is the export as answered: running in the answer to the request that
// started it, completed on every later read (so a client always sees it
// running once, then completed), like an immediate provisioning.
func (e *exportRec) view(fresh bool) api.Export {
	out := e.Export
	if fresh {
		out.Status = api.ExportRunning
		return out
	}
	// Emulated exports take no time: completed when requested, so every
	// read answers the same times without a write.
	done, expires := e.RequestedAt, e.RequestedAt.Add(api.ExportRetention)
	out.Status, out.CompletedAt, out.ExpiresAt = api.ExportCompleted, &done, &expires
	out.DownloadURL = "https://exports." + WorkspaceDomain + "/" + e.WorkspaceID + "/" + e.ID + ".tar.gz?signature=" + e.signature()
	return out
}

// signature stands for the signed part of a download link; it is derived
// from the export's ID so every read answers the same link.
func (e *exportRec) signature() string { return hashPassword(e.Org + "/" + e.ID)[:32] }

// createExport requests a data export of a ready workspace ("exports on
// request" in every tier's terms). The export runs asynchronously.
func (s *Server) createExport(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	var in api.ExportInput
	if len(q.body) > 0 {
		if err := q.decode(&in); err != nil {
			return 0, nil, err
		}
	}
	if st := ws.View(q.now).Status; st != api.StatusReady {
		return 0, nil, errConflict("workspace %s is %s; an export can be requested once it is ready", ws.ID, st)
	}
	// A workspace keeps its newest maxExportsPerWorkspace exports: one
	// tenant's requests never grow the store without bound.
	group := store.WsGroup(store.KindExports, ws.ID)
	if over := s.store.Count(group) - maxExportsPerWorkspace + 1; over > 0 {
		oldest, _ := s.store.Page(group, nil, over)
		for _, k := range oldest {
			q.del(store.KindExports, k.ID)
		}
	}
	e := exportRec{Org: q.org, Export: api.Export{
		ID: newID("exp"), WorkspaceID: ws.ID, IncludeFiles: in.IncludeFiles, RequestedAt: q.now,
	}}
	if err := q.put(store.KindExports, e.ID, e); err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, e.view(true), nil
}

// getExport reads an export (completed: see view).
func (s *Server) getExport(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	id := q.path("export_id")
	e, err := getRec[exportRec](s, store.KindExports, id)
	if err != nil {
		return 0, nil, err
	}
	if e == nil || e.Org != q.org || e.WorkspaceID != ws.ID {
		return 0, nil, errNotFound("export", id)
	}
	return http.StatusOK, e.view(false), nil
}

// verifyDomain looks the domain's TXT record up in DNS now, instead of
// waiting for the periodic check. A verified domain stays verified. A missing
// or different record is a 422 naming verification_record and the record to
// create, so the caller knows exactly what to fix.
func (s *Server) verifyDomain(q *request) (int, any, error) {
	_, d, err := childOf(s, q, store.KindDomains, "domain", "domain_id", domainOwner)
	if err != nil {
		return 0, nil, err
	}
	if view := s.domainView(d, q.now); view.Status == api.StatusVerified {
		return http.StatusOK, view, nil
	}
	rec := d.VerificationRecord
	found := s.dns.lookup(rec.Name)
	switch {
	case len(found) == 0:
		return 0, nil, errInvalid([]api.FieldError{{Field: "verification_record", Rule: api.RuleDNSRecordMissing,
			Message: "no TXT record found at " + rec.Name + "; create it with the value " + quote(rec.Value) + " at your DNS provider, then verify again"}})
	case !slices.Contains(found, rec.Value):
		return 0, nil, errInvalid([]api.FieldError{{Field: "verification_record", Rule: api.RuleDNSRecordMismatch,
			Message: "the TXT record at " + rec.Name + " holds " + quote(strings.Join(found, `", "`)) + ", not " + quote(rec.Value) +
				"; set it to the value of verification_record, then verify again", Allowed: []string{rec.Value}}})
	}
	d.Verified = true
	if err := q.put(store.KindDomains, d.ID, d); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.domainView(d, q.now), nil
}

// dnsZone is the emulator's stand-in for public DNS: the TXT values an
// operator (or a test) published. It is the outside world, not the cloud's
// data, so it is kept in memory only.
type dnsZone struct {
	mu  sync.RWMutex
	txt map[string][]string
}

func (z *dnsZone) lookup(name string) []string {
	z.mu.RLock()
	defer z.mu.RUnlock()
	return slices.Clone(z.txt[store.NormalHost(strings.ToLower(name))])
}

// Bounds of the simulated DNS (it is in memory, fed by the admin API).
const (
	maxDNSNames  = 10000
	maxTXTValues = 16
)

// PublishTXT makes the simulated DNS answer these TXT values for name (none
// removes the name), as if the user had created the record at their DNS
// provider. It reports false when a new name would pass maxDNSNames.
func (s *Server) PublishTXT(name string, values ...string) bool {
	z := &s.dns
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.txt == nil {
		z.txt = map[string][]string{}
	}
	key := store.NormalHost(strings.ToLower(name))
	if len(values) == 0 {
		delete(z.txt, key)
		return true
	}
	if _, ok := z.txt[key]; !ok && len(z.txt) >= maxDNSNames {
		return false
	}
	z.txt[key] = slices.Clone(values)
	return true
}

// adminPutDNS publishes the TXT values of one name (admin API).
func (s *Server) adminPutDNS(q *request) (int, any, error) {
	var in api.DNSTXTInput
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	name := q.path("name")
	if name == "" || len(name) > 253 || strings.ContainsAny(name, " \t/") {
		return 0, nil, errInvalid([]api.FieldError{{Field: "name", Rule: "format",
			Message: quote(name) + " is not a DNS name (at most 253 characters, no spaces or slashes)"}})
	}
	if len(in.TXT) > maxTXTValues {
		return 0, nil, errInvalid([]api.FieldError{{Field: "txt", Rule: "max_items",
			Message: fmt.Sprintf("at most %d TXT values per name", maxTXTValues)}})
	}
	if !s.PublishTXT(name, in.TXT...) {
		return 0, nil, errConflict("the simulated DNS holds %d names, its limit; delete some (PUT with no values) or reset the emulator", maxDNSNames)
	}
	return http.StatusNoContent, nil, nil
}
