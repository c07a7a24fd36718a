package console

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// notes are the fixed messages a page shows after an action (?done=...):
// the query names one, it never carries text.
var notes = map[string]string{
	"approved": "Approved: the workspace is ready.",
	"verified": "Verified: the domain's certificate is issued.",
	"faults":   "Faults saved.",
	"dns":      "DNS record saved.",
	"reset":    "The organization's objects were deleted.",
}

func note(q url.Values) (string, error) {
	d := q.Get("done")
	if d == "" {
		return "", nil
	}
	n, ok := notes[d]
	if !ok {
		return "", fmt.Errorf("unknown value %q of done", trunc(d))
	}
	return n, nil
}

// pageQuery parses a page's query (see query), including the fixed note
// of ?done=; on a bad query it answers 400 and reports false.
func (h *Handler) pageQuery(w http.ResponseWriter, r *http.Request, sess *session, allowed ...string) (url.Values, string, bool) {
	q, err := query(r, allowed...)
	var msg string
	if err == nil {
		msg, err = note(q)
	}
	if err != nil {
		h.fail(w, r, sess, http.StatusBadRequest, sentence(err))
		return nil, "", false
	}
	return q, msg, true
}

func redirectDone(w http.ResponseWriter, r *http.Request, to, done string) {
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	http.Redirect(w, r, to+sep+"done="+done, http.StatusSeeOther)
}

// ---- login ----

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r); err != nil {
		h.render(w, http.StatusBadRequest, "login", view{Title: "Log in", Nav: "login", Error: sentence(err)})
		return
	}
	if h.sessions.get(r) != nil {
		http.Redirect(w, r, Prefix, http.StatusSeeOther)
		return
	}
	h.showLogin(w, r, http.StatusOK, "")
}

func (h *Handler) showLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	tok := randomToken()
	setCookie(w, r, loginCookie, tok, Prefix+"login", loginTTL)
	h.render(w, status, "login", view{Title: "Log in", Nav: "login", CSRF: tok, Error: msg})
}

// login exchanges the admin token for a session. The login form's CSRF
// token is checked against its cookie (double submit), so another site
// cannot log a browser in either.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	form, err := readForm(w, r)
	if err == nil {
		err = onlyFields(form, csrfField, "token")
	}
	if err != nil {
		h.showLogin(w, r, http.StatusBadRequest, sentence(err))
		return
	}
	c, cerr := r.Cookie(loginCookie)
	if cerr != nil || !sameOrigin(r) || !equal(form.Get(csrfField), c.Value) {
		h.showLogin(w, r, http.StatusForbidden, "The login form expired or came from another site: try again.")
		return
	}
	addr := clientAddress(r)
	if d := h.throttle.wait(addr); d > 0 {
		secs := int((d + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		h.showLogin(w, r, http.StatusTooManyRequests, fmt.Sprintf("Too many wrong tokens from your address (%d a minute at most): try again in %d s.", MaxLoginFailures, secs))
		return
	}
	if tok := form.Get("token"); tok == "" || !h.b.IsAdminToken(tok) {
		h.throttle.failed(addr)
		h.showLogin(w, r, http.StatusUnauthorized, "That is not the emulator's admin token.")
		return
	}
	h.throttle.succeeded(addr)
	h.sessions.end(r) // a login replaces the browser's previous session
	id, _ := h.sessions.create()
	setCookie(w, r, loginCookie, "", Prefix+"login", -1)
	setCookie(w, r, sessionCookie, id, Prefix, SessionTTL)
	http.Redirect(w, r, Prefix, http.StatusSeeOther)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request, _ *session, form url.Values) {
	if err := onlyFields(form); err != nil {
		h.fail(w, r, nil, http.StatusBadRequest, sentence(err))
		return
	}
	h.sessions.end(r)
	setCookie(w, r, sessionCookie, "", Prefix, -1)
	http.Redirect(w, r, Prefix+"login", http.StatusSeeOther)
}

// ---- organizations and estates ----

type orgRow struct {
	Name   string
	Counts Counts
}

type orgsData struct {
	Orgs  []orgRow
	Tiers []catalog.TierSpec
	Next  string
	Size  int
	Total int
}

// organizations lists organizations by name, a page at a time (?after=NAME).
func (h *Handler) organizations(w http.ResponseWriter, r *http.Request, sess *session) {
	q, err := query(r, "after", "page_size")
	var size int
	if err == nil {
		size, err = intParam(q, "page_size", defaultOrgPage, maxOrgPage)
	}
	if err != nil {
		h.fail(w, r, sess, http.StatusBadRequest, sentence(err))
		return
	}
	all := h.b.Organizations()
	i, _ := slices.BinarySearch(all, q.Get("after"))
	if i < len(all) && all[i] == q.Get("after") {
		i++
	}
	d := orgsData{Tiers: catalog.Tiers, Total: len(all), Size: size}
	for _, name := range all[i:min(i+size, len(all))] {
		d.Orgs = append(d.Orgs, orgRow{Name: name, Counts: h.b.Counts(name)})
	}
	if i+size < len(all) && len(d.Orgs) > 0 {
		d.Next = d.Orgs[len(d.Orgs)-1].Name
	}
	h.render(w, http.StatusOK, "organizations", view{Title: "Organizations", Nav: "orgs", CSRF: sess.csrf, Data: d})
}

type estateData struct {
	Org    string
	Counts Counts
	Tiers  []catalog.TierSpec
	Estate *Estate
	Size   int
	First  bool
}

// maxOrgName bounds an organization name in a path (the emulator's names
// have at most 63 characters); a longer one is unknown without a lookup.
const maxOrgName = 63

func (h *Handler) knownOrg(org string) bool {
	if org == "" || len(org) > maxOrgName {
		return false
	}
	_, found := slices.BinarySearch(h.b.Organizations(), org)
	return found
}

// orgOf is the organization of an /orgs/{org} path, or "" after a 404 when
// its name cannot be one.
func (h *Handler) orgOf(w http.ResponseWriter, r *http.Request, sess *session) string {
	org := r.PathValue("org")
	if org == "" || len(org) > maxOrgName {
		h.fail(w, r, sess, http.StatusNotFound, "There is no such organization.")
		return ""
	}
	return org
}

// estate shows one organization's plans, workspaces and their children as a
// tree, a page of plans at a time (?cursor=, the API's cursor).
func (h *Handler) estate(w http.ResponseWriter, r *http.Request, sess *session) {
	org := h.orgOf(w, r, sess)
	if org == "" {
		return
	}
	q, err := query(r, "cursor", "page_size")
	var size int
	if err == nil {
		size, err = intParam(q, "page_size", defaultEstatePage, maxEstatePage)
	}
	if err != nil {
		h.fail(w, r, sess, http.StatusBadRequest, sentence(err))
		return
	}
	est, err := h.b.Estate(org, q.Get("cursor"), size, estateChildren)
	if err != nil {
		h.fail(w, r, sess, http.StatusBadRequest, sentence(err))
		return
	}
	counts := h.b.Counts(org)
	if len(est.Plans) == 0 && q.Get("cursor") == "" && !h.knownOrg(org) {
		h.fail(w, r, sess, http.StatusNotFound, "There is no organization "+strconv.Quote(org)+".")
		return
	}
	d := estateData{Org: org, Counts: counts, Tiers: catalog.Tiers, Estate: est, Size: size, First: q.Get("cursor") == ""}
	h.render(w, http.StatusOK, "estate", view{Title: org, Nav: "orgs", CSRF: sess.csrf, Data: d})
}

// manage is the confirmation page of an organization's snapshot and reset.
func (h *Handler) manage(w http.ResponseWriter, r *http.Request, sess *session) {
	org := h.orgOf(w, r, sess)
	if org == "" {
		return
	}
	_, msg, ok := h.pageQuery(w, r, sess, "done")
	if !ok {
		return
	}
	if !h.knownOrg(org) {
		h.fail(w, r, sess, http.StatusNotFound, "There is no organization "+strconv.Quote(org)+".")
		return
	}
	h.render(w, http.StatusOK, "manage", view{Title: "Manage " + org, Nav: "orgs", CSRF: sess.csrf, Note: msg,
		Data: map[string]any{"Org": org, "Counts": h.b.Counts(org)}})
}

// snapshot downloads one organization's snapshot (it holds API tokens and
// password hashes, so it is a CSRF-checked POST, not a link).
func (h *Handler) snapshot(w http.ResponseWriter, r *http.Request, sess *session, form url.Values) {
	org := h.orgOf(w, r, sess)
	if org == "" {
		return
	}
	if err := onlyFields(form); err != nil {
		h.fail(w, r, sess, http.StatusBadRequest, sentence(err))
		return
	}
	b, err := h.b.Snapshot(org)
	if err != nil {
		h.fail(w, r, sess, http.StatusNotFound, sentence(err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="snapshot-`+org+`.json"`)
	_, _ = w.Write(b)
}

// reset deletes one organization's objects once its name is typed again.
func (h *Handler) reset(w http.ResponseWriter, r *http.Request, sess *session, form url.Values) {
	org := h.orgOf(w, r, sess)
	if org == "" {
		return
	}
	if err := onlyFields(form, "confirm"); err != nil {
		h.fail(w, r, sess, http.StatusBadRequest, sentence(err))
		return
	}
	if form.Get("confirm") != org {
		h.render(w, http.StatusUnprocessableEntity, "manage", view{Title: "Manage " + org, Nav: "orgs", CSRF: sess.csrf,
			Error: "Type the organization's name exactly to confirm the reset. Nothing was changed.",
			Data:  map[string]any{"Org": org, "Counts": h.b.Counts(org)}})
		return
	}
	if err := h.b.ResetOrg(org); err != nil {
		h.fail(w, r, sess, http.StatusConflict, sentence(err))
		return
	}
	redirectDone(w, r, Prefix+"orgs/"+url.PathEscape(org)+"/manage", "reset")
}

// ---- pending work ----

func (h *Handler) pending(w http.ResponseWriter, r *http.Request, sess *session) {
	q, msg, ok := h.pageQuery(w, r, sess, "org", "done")
	if !ok {
		return
	}
	h.showPending(w, sess, http.StatusOK, q.Get("org"), msg, "")
}

func (h *Handler) showPending(w http.ResponseWriter, sess *session, status int, org, msg, errMsg string) {
	p, err := h.b.Pending(org, pendingLimit)
	if err != nil {
		errMsg, p, status = sentence(err), &Pending{}, http.StatusInternalServerError
	}
	h.render(w, status, "pending", view{Title: "Pending work", Nav: "pending", CSRF: sess.csrf, Note: msg, Error: errMsg,
		Data: map[string]any{"Pending": p, "Org": org, "Limit": pendingLimit}})
}

func (h *Handler) approve(w http.ResponseWriter, r *http.Request, sess *session, form url.Values) {
	h.act(w, r, sess, form, "workspace_id", h.b.Approve, "approved")
}

func (h *Handler) verify(w http.ResponseWriter, r *http.Request, sess *session, form url.Values) {
	h.act(w, r, sess, form, "domain_id", h.b.Verify, "verified")
}

// act runs Approve or Verify on the form's ID; the pending page shows the
// outcome (?org= keeps its filter).
func (h *Handler) act(w http.ResponseWriter, r *http.Request, sess *session, form url.Values, field string, do func(string) error, done string) {
	if err := onlyFields(form, field, "org"); err != nil {
		h.fail(w, r, sess, http.StatusBadRequest, sentence(err))
		return
	}
	if err := do(form.Get(field)); err != nil {
		h.showPending(w, sess, http.StatusConflict, form.Get("org"), "", sentence(err))
		return
	}
	to := Prefix + "pending"
	if org := form.Get("org"); org != "" {
		to += "?org=" + url.QueryEscape(org)
	}
	redirectDone(w, r, to, done)
}

// ---- request log ----

var statusFilters = []string{"", "error", "2xx", "3xx", "4xx", "5xx"}

func logFilter(r *http.Request) (LogFilter, error) {
	q, err := query(r, "org", "status", "request_id", "limit")
	if err != nil {
		return LogFilter{}, err
	}
	f := LogFilter{Org: q.Get("org"), RequestID: strings.TrimSpace(q.Get("request_id")), Status: q.Get("status")}
	if !slices.Contains(statusFilters, f.Status) {
		if n, err := strconv.Atoi(f.Status); err != nil || n < 100 || n > 599 {
			return f, fmt.Errorf("status must be one of error, 2xx, 3xx, 4xx, 5xx or an HTTP status code, got %q", trunc(f.Status))
		}
	}
	f.Limit, err = intParam(q, "limit", defaultLogLimit, maxLogLimit)
	return f, err
}

func (h *Handler) requests(w http.ResponseWriter, r *http.Request, sess *session) {
	f, err := logFilter(r)
	if err != nil {
		h.fail(w, r, sess, http.StatusBadRequest, sentence(err))
		return
	}
	h.render(w, http.StatusOK, "requests", view{Title: "Request log", Nav: "requests", CSRF: sess.csrf,
		Data: map[string]any{"Filter": f, "Entries": h.b.Requests(f), "Statuses": statusFilters[1:], "Query": r.URL.RawQuery}})
}

// requestsJSON is what the request log page polls: {"items": [...]}, newest first.
func (h *Handler) requestsJSON(w http.ResponseWriter, r *http.Request, _ *session) {
	f, err := logFilter(r)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	items := h.b.Requests(f)
	if items == nil {
		items = []LogEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// ---- faults ----

type faultsForm struct {
	ErrorRate, DropRate, RateLimitBurstRate, Latency, Seed string
}

func formOf(f Faults) faultsForm {
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return faultsForm{ErrorRate: g(f.ErrorRate), DropRate: g(f.DropRate), RateLimitBurstRate: g(f.RateLimitBurstRate),
		Latency: f.Latency.String(), Seed: strconv.FormatInt(f.Seed, 10)}
}

func (h *Handler) faults(w http.ResponseWriter, r *http.Request, sess *session) {
	_, msg, ok := h.pageQuery(w, r, sess, "done")
	if !ok {
		return
	}
	h.render(w, http.StatusOK, "faults", view{Title: "Faults", Nav: "faults", CSRF: sess.csrf, Note: msg, Data: formOf(h.b.Faults())})
}

var faultFields = []string{"error_rate", "drop_rate", "rate_limit_burst_rate", "latency", "seed"}

func (h *Handler) setFaults(w http.ResponseWriter, r *http.Request, sess *session, form url.Values) {
	if err := onlyFields(form, faultFields...); err != nil {
		h.fail(w, r, sess, http.StatusBadRequest, sentence(err))
		return
	}
	typed := faultsForm{ErrorRate: form.Get("error_rate"), DropRate: form.Get("drop_rate"),
		RateLimitBurstRate: form.Get("rate_limit_burst_rate"), Latency: form.Get("latency"), Seed: form.Get("seed")}
	f, err := parseFaults(typed)
	if err == nil {
		err = h.b.SetFaults(f)
	}
	if err != nil {
		h.render(w, http.StatusUnprocessableEntity, "faults", view{Title: "Faults", Nav: "faults", CSRF: sess.csrf,
			Error: sentence(err) + " Nothing was changed.", Data: typed})
		return
	}
	redirectDone(w, r, Prefix+"faults", "faults")
}

// parseFaults reads the form; the emulator checks the ranges (the admin
// API's own check).
func parseFaults(in faultsForm) (Faults, error) {
	var f Faults
	var errs []string
	rate := func(name, v string, dst *float64) {
		if v == "" {
			return
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			errs = append(errs, name+" must be a number from 0 to 1")
			return
		}
		*dst = x
	}
	rate("error_rate", in.ErrorRate, &f.ErrorRate)
	rate("drop_rate", in.DropRate, &f.DropRate)
	rate("rate_limit_burst_rate", in.RateLimitBurstRate, &f.RateLimitBurstRate)
	if in.Latency != "" {
		d, err := time.ParseDuration(in.Latency)
		if err != nil {
			errs = append(errs, `latency must be a duration such as "250ms"`)
		}
		f.Latency = d
	}
	if in.Seed != "" {
		n, err := strconv.ParseInt(in.Seed, 10, 64)
		if err != nil {
			errs = append(errs, "seed must be an integer")
		}
		f.Seed = n
	}
	if len(errs) > 0 {
		return f, errors.New(strings.Join(errs, "; "))
	}
	return f, nil
}

// ---- DNS ----

func (h *Handler) dns(w http.ResponseWriter, r *http.Request, sess *session) {
	q, msg, ok := h.pageQuery(w, r, sess, "after", "done")
	if !ok {
		return
	}
	h.showDNS(w, sess, http.StatusOK, q.Get("after"), msg, "", "", "")
}

func (h *Handler) showDNS(w http.ResponseWriter, sess *session, status int, after, msg, errMsg, name, txt string) {
	all := h.b.DNSRecords()
	i, _ := slices.BinarySearchFunc(all, after, func(d DNSRecord, n string) int { return strings.Compare(d.Name, n) })
	if i < len(all) && all[i].Name == after {
		i++
	}
	page := all[i:min(i+dnsPage, len(all))]
	next := ""
	if i+dnsPage < len(all) && len(page) > 0 {
		next = page[len(page)-1].Name
	}
	h.render(w, status, "dns", view{Title: "DNS records", Nav: "dns", CSRF: sess.csrf, Note: msg, Error: errMsg,
		Data: map[string]any{"Records": page, "Next": next, "Total": len(all), "Name": name, "TXT": txt}})
}

// publishDNS sets a name's TXT values, one per line (none removes the name).
func (h *Handler) publishDNS(w http.ResponseWriter, r *http.Request, sess *session, form url.Values) {
	if err := onlyFields(form, "name", "txt"); err != nil {
		h.fail(w, r, sess, http.StatusBadRequest, sentence(err))
		return
	}
	var values []string
	for _, line := range strings.Split(form.Get("txt"), "\n") {
		if v := strings.TrimSpace(line); v != "" {
			values = append(values, v)
		}
	}
	if err := h.b.PublishDNS(strings.TrimSpace(form.Get("name")), values); err != nil {
		h.showDNS(w, sess, http.StatusUnprocessableEntity, "", "", sentence(err)+" Nothing was changed.", form.Get("name"), form.Get("txt"))
		return
	}
	redirectDone(w, r, Prefix+"dns", "dns")
}

// ---- tier matrix ----

func (h *Handler) tiers(w http.ResponseWriter, r *http.Request, sess *session) {
	if _, err := query(r); err != nil {
		h.fail(w, r, sess, http.StatusBadRequest, sentence(err))
		return
	}
	h.render(w, http.StatusOK, "tiers", view{Title: "Tier matrix", Nav: "tiers", CSRF: sess.csrf,
		Data: map[string]any{"Tiers": catalog.Tiers, "Rows": catalog.Matrix()}})
}
