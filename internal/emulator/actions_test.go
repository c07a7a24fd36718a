package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// conforms checks an answer of the route against the OpenAPI document: the
// status is documented for the operation and the body matches its schema.
func conforms(t *testing.T, method, pattern string, r *resp) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPIDocument())
	if err != nil {
		t.Fatal(err)
	}
	item := doc.Paths.Find(pattern)
	if item == nil || item.GetOperation(method) == nil {
		t.Fatalf("%s %s is not in the OpenAPI document", method, pattern)
	}
	ref := item.GetOperation(method).Responses.Status(r.Code)
	if ref == nil || ref.Value == nil {
		t.Fatalf("%s %s: status %d is not documented", method, pattern, r.Code)
	}
	if len(r.Body) == 0 {
		return
	}
	mt := ref.Value.Content.Get(strings.Split(r.Header.Get("Content-Type"), ";")[0])
	if mt == nil || mt.Schema == nil {
		t.Fatalf("%s %s %d: content type %q is not documented", method, pattern, r.Code, r.Header.Get("Content-Type"))
	}
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatal(err)
	}
	if err := mt.Schema.Value.VisitJSON(v); err != nil {
		t.Fatalf("%s %s %d: the answer does not match the document: %v\n%s", method, pattern, r.Code, err, r.Body)
	}
}

func TestExportLifecycle(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Standard, "exp-a")

	r := h.do(tokA, "POST", path(api.RouteExports, ws.ID), api.ExportInput{IncludeFiles: true}, api.IdempotencyKeyHeader, "k-1")
	conforms(t, "POST", api.RouteExports, r)
	var e api.Export
	if err := json.Unmarshal(r.Body, &e); err != nil || r.Code != http.StatusAccepted {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	if e.Status != api.ExportRunning || !e.IncludeFiles || e.WorkspaceID != ws.ID || e.DownloadURL != "" || !strings.HasPrefix(e.ID, "exp-") {
		t.Fatalf("fresh export %+v", e)
	}
	// The same key replays the answer: one export, not two.
	var again api.Export
	h.must(http.StatusAccepted, tokA, "POST", path(api.RouteExports, ws.ID), api.ExportInput{IncludeFiles: true}, &again, api.IdempotencyKeyHeader, "k-1")
	if again.ID != e.ID {
		t.Fatalf("replay created export %s beside %s", again.ID, e.ID)
	}

	h.clock.Advance(time.Minute)
	r = h.do(tokA, "GET", path(api.RouteExport, ws.ID, e.ID), nil)
	conforms(t, "GET", api.RouteExport, r)
	var done api.Export
	_ = json.Unmarshal(r.Body, &done)
	if done.Status != api.ExportCompleted || done.DownloadURL == "" || done.ExpiresAt == nil ||
		!done.ExpiresAt.Equal(e.RequestedAt.Add(api.ExportRetention)) {
		t.Fatalf("completed export %+v", done)
	}
	// Every read answers the same link and times.
	var second api.Export
	h.must(http.StatusOK, tokA, "GET", path(api.RouteExport, ws.ID, e.ID), nil, &second)
	if second.DownloadURL != done.DownloadURL || !second.CompletedAt.Equal(*done.CompletedAt) {
		t.Fatalf("reads differ: %+v vs %+v", second, done)
	}
	// An empty body is an export without files.
	var bare api.Export
	h.must(http.StatusAccepted, tokA, "POST", path(api.RouteExports, ws.ID), nil, &bare)
	if bare.IncludeFiles {
		t.Fatalf("%+v", bare)
	}
	// Unknown fields are refused like everywhere else.
	problem(t, h.do(tokA, "POST", path(api.RouteExports, ws.ID), `{"include_file":true}`), http.StatusBadRequest)
	// Unknown export and unknown workspace are 404.
	r = h.do(tokA, "GET", path(api.RouteExport, ws.ID, "exp-nope"), nil)
	problem(t, r, http.StatusNotFound)
	conforms(t, "GET", api.RouteExport, r)
	problem(t, h.do(tokA, "POST", path(api.RouteExports, "ws-nope"), nil), http.StatusNotFound)
	if n := h.s.Counts("org-a")["workspaces"]; n != 1 {
		t.Fatalf("%d workspaces", n)
	}
}

func TestExportRefusedUntilReady(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Provisioning[catalog.Dedicated] = ProvisioningConfig{Mode: catalog.ProvisionManual}
	})
	_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "exp-pending")
	r := h.do(tokA, "POST", path(api.RouteExports, ws.ID), nil)
	p := problem(t, r, http.StatusConflict)
	conforms(t, "POST", api.RouteExports, r)
	if !strings.Contains(p.Detail, "pending") || !strings.Contains(p.Detail, "ready") {
		t.Fatalf("detail %q does not say why", p.Detail)
	}
	h.s.ApproveAll()
	h.must(http.StatusAccepted, tokA, "POST", path(api.RouteExports, ws.ID), nil, nil)
}

func TestVerifyDomainLooksUpDNS(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.DomainVerifyDelay = 0 })
	_, ws := h.tierWorkspace(tokA, catalog.Standard, "verify-a")
	var d api.Domain
	h.must(http.StatusCreated, tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "chat.verify.example"}, &d)
	verify := path(api.RouteDomainVerify, ws.ID, d.ID)

	// No record yet: 422 on verification_record, naming the record to create.
	r := h.do(tokA, "POST", verify, nil)
	p := problem(t, r, http.StatusUnprocessableEntity)
	conforms(t, "POST", api.RouteDomainVerify, r)
	if !hasFieldError(p, "verification_record", api.RuleDNSRecordMissing) || !strings.Contains(p.Errors[0].Message, d.VerificationRecord.Value) {
		t.Fatalf("%+v", p.Errors)
	}
	// A record with another value: 422 whose allowed value is the right one.
	h.s.PublishTXT(d.VerificationRecord.Name, "rocketchat-verification=stale")
	p = problem(t, h.do(tokA, "POST", verify, nil), http.StatusUnprocessableEntity)
	if !hasFieldError(p, "verification_record", api.RuleDNSRecordMismatch) || len(p.Errors[0].Allowed) != 1 || p.Errors[0].Allowed[0] != d.VerificationRecord.Value {
		t.Fatalf("%+v", p.Errors)
	}
	var still api.Domain
	h.must(http.StatusOK, tokA, "GET", path(api.RouteDomain, ws.ID, d.ID), nil, &still)
	if still.Status != api.StatusPending {
		t.Fatalf("a failed check changed the domain: %+v", still)
	}

	// Published through the admin API (as the standalone emulator is used), then verified.
	var body = api.DNSTXTInput{TXT: []string{"other", d.VerificationRecord.Value}}
	if r := h.do(tokAdmin, "PUT", path(api.RouteAdminDNS, d.VerificationRecord.Name), body); r.Code != http.StatusNoContent {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	r = h.do(tokA, "POST", verify, nil)
	conforms(t, "POST", api.RouteDomainVerify, r)
	var ok api.Domain
	if err := json.Unmarshal(r.Body, &ok); err != nil || r.Code != http.StatusOK {
		t.Fatalf("%d %s", r.Code, r.Body)
	}
	if ok.Status != api.StatusVerified || ok.CertificateStatus != api.StatusIssued {
		t.Fatalf("%+v", ok)
	}
	// Verified stays verified, even once the record is gone.
	h.s.PublishTXT(d.VerificationRecord.Name)
	h.must(http.StatusOK, tokA, "POST", verify, nil, &ok)
	h.must(http.StatusOK, tokA, "GET", path(api.RouteDomain, ws.ID, d.ID), nil, &still)
	if still.Status != api.StatusVerified {
		t.Fatalf("%+v", still)
	}
	problem(t, h.do(tokA, "POST", path(api.RouteDomainVerify, ws.ID, "dom-nope"), nil), http.StatusNotFound)
	// The admin DNS route refuses a name that is not one.
	problem(t, h.do(tokAdmin, "PUT", "/admin/v1/dns/"+strings.Repeat("a", 254), body), http.StatusUnprocessableEntity)
	problem(t, h.do(tokA, "PUT", path(api.RouteAdminDNS, "x.example"), body), http.StatusForbidden)
}

// A workspace keeps its newest exports only, and deleting the workspace
// deletes them: one tenant's export requests never grow the store unbounded.
func TestExportsAreBounded(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Standard, "exp-bound")
	var ids []string
	for range maxExportsPerWorkspace + 5 {
		var e api.Export
		h.must(http.StatusAccepted, tokA, "POST", path(api.RouteExports, ws.ID), nil, &e)
		ids = append(ids, e.ID)
		h.clock.Advance(time.Second)
	}
	if n := h.s.store.Count(store.WsGroup(store.KindExports, ws.ID)); n != maxExportsPerWorkspace {
		t.Fatalf("%d exports kept; want %d", n, maxExportsPerWorkspace)
	}
	problem(t, h.do(tokA, "GET", path(api.RouteExport, ws.ID, ids[4]), nil), http.StatusNotFound)
	h.must(http.StatusOK, tokA, "GET", path(api.RouteExport, ws.ID, ids[5]), nil, nil)
	h.must(http.StatusNoContent, tokA, "DELETE", path(api.RouteWorkspace, ws.ID), nil, nil)
	if n := h.s.store.Count(store.OrgGroup(store.KindExports, "org-a")); n != 0 {
		t.Fatalf("%d exports left after the workspace was deleted", n)
	}
}
