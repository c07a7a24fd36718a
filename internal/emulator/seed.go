package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// A seed declares organizations with their API tokens and objects. The same
// document is the snapshot format (GET/PUT /admin/v1/snapshot), so a state
// exported from one emulator can be loaded into another.
//
// Every object may carry a fixed "id" (with its kind's prefix: pln-, ws-,
// dom-, fw-, ip-) so a CI job can refer to it; without one it gets a generated
// ID. A workspace names its plan either by the plan's local "key" ("plan") or
// by its ID ("plan_id"). The fields under "state" of each type (timestamps,
// pending work, password hash, DNS token, address) are what a snapshot needs
// to restore objects exactly as the provider saw them; a hand-written seed
// usually leaves them out and gets ready workspaces created now.
type Seed struct {
	Organizations []SeedOrganization `json:"organizations"`
}

// SeedOrganization is one organization: its name, API tokens and objects.
type SeedOrganization struct {
	Name       string          `json:"name"`
	Tokens     []string        `json:"tokens,omitempty"`
	Plans      []SeedPlan      `json:"plans,omitempty"`
	Workspaces []SeedWorkspace `json:"workspaces,omitempty"`
}

// SeedPlan is a plan: the body of POST /v1/plans plus key, ID and state.
type SeedPlan struct {
	Key string `json:"key,omitempty"`
	ID  string `json:"id,omitempty"`
	api.PlanInput
	CreatedAt *time.Time `json:"created_at,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// SeedWorkspace is a workspace with its children.
type SeedWorkspace struct {
	Key       string `json:"key,omitempty"`
	ID        string `json:"id,omitempty"`
	Name      string `json:"name"`
	Subdomain string `json:"subdomain"`
	// Plan is the key of a plan of this organization in the same seed;
	// PlanID the ID of one (in the seed or already in the emulator).
	Plan          string `json:"plan,omitempty"`
	PlanID        string `json:"plan_id,omitempty"`
	AdminPassword string `json:"admin_password,omitempty"`
	// DeletionProtection is the workspace's flag. Absent means false, unlike
	// the API's POST (on by default): seeds and snapshots written before the
	// flag existed hold workspaces that were created unprotected, and must
	// load as they were.
	DeletionProtection bool `json:"deletion_protection"`
	// FirewallRulesExclusive says a rule set (rocketchat_firewall_rules) owns
	// the workspace's rules: they are seeded as the set's PUT would write
	// them, and single-rule creates then answer 409. FirewallRulesVersion is
	// the version of the rule collection (its ETag) to continue from, so a
	// restored set answers the If-Match of a state written before the
	// snapshot. Absent: no set, and the version counts the rules seeded
	// (seeds and snapshots from before rule sets load as they were).
	FirewallRulesExclusive bool  `json:"firewall_rules_exclusive,omitempty"`
	FirewallRulesVersion   int64 `json:"firewall_rules_version,omitempty"`
	// State: the stored hash of the admin password (snapshots carry it
	// instead of the password), a provisioning or upgrade still under way,
	// the creation time.
	AdminPasswordHash string       `json:"admin_password_hash,omitempty"`
	Pending           *SeedPending `json:"pending,omitempty"`
	CreatedAt         *time.Time   `json:"created_at,omitempty"`

	Domains       []SeedDomain       `json:"domains,omitempty"`
	FirewallRules []SeedFirewallRule `json:"firewall_rules,omitempty"`
	StaticIPs     []SeedStaticIP     `json:"static_ips,omitempty"`
}

// SeedPending is a provisioning (upgrade false) or upgrade still under way.
type SeedPending struct {
	Upgrade bool   `json:"upgrade"`
	Mode    string `json:"mode"`
	Since   string `json:"since"` // RFC 3339
	Delay   string `json:"delay"` // Go duration ("2s")
}

// SeedDomain is a custom domain; Verified skips the DNS verification.
type SeedDomain struct {
	ID                string     `json:"id,omitempty"`
	Hostname          string     `json:"hostname"`
	Verified          bool       `json:"verified,omitempty"`
	VerificationValue string     `json:"verification_value,omitempty"`
	CreatedAt         *time.Time `json:"created_at,omitempty"`
}

// SeedFirewallRule is a firewall rule: the body of its POST plus ID and state.
type SeedFirewallRule struct {
	ID string `json:"id,omitempty"`
	api.FirewallRuleInput
	CreatedAt *time.Time `json:"created_at,omitempty"`
}

// SeedStaticIP is a static IP; Address picks a free address of the tier's pool.
type SeedStaticIP struct {
	ID string `json:"id,omitempty"`
	api.StaticIPInput
	Address   string     `json:"address,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
}

// SeedError lists every problem of a seed, each naming the entry and field
// (e.g. "organizations[0].workspaces[2].subdomain").
type SeedError struct {
	File   string // "" when the seed came through the admin API
	Errors []api.FieldError
}

func (e *SeedError) Error() string {
	var b strings.Builder
	prefix := "seed"
	if e.File != "" {
		prefix = e.File
	}
	for i, fe := range e.Errors {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s: %s: %s", prefix, fe.Field, fe.Message)
	}
	return b.String()
}

// DecodeSeed strictly decodes a seed (unknown fields and trailing data are
// errors); name prefixes the error ("estate.json:3:7: ...").
func DecodeSeed(name string, data []byte) (*Seed, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc Seed
	err := dec.Decode(&doc)
	if err == nil && dec.More() {
		err = errors.New("unexpected data after the JSON object")
	}
	if err == nil {
		if _, e := dec.Token(); !errors.Is(e, io.EOF) {
			err = errors.New("unexpected data after the JSON object")
		}
	}
	if err != nil {
		off := dec.InputOffset()
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			off = syn.Offset
		case errors.As(err, &typ):
			off = typ.Offset
			err = fmt.Errorf("field %q: expected %s, got JSON %s", typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value)
		default:
			// The decoder reports unknown fields only once the whole value is
			// read: point at the key's first use instead.
			if key, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
				if k, uerr := strconv.Unquote(key); uerr == nil {
					if loc := regexp.MustCompile(regexp.QuoteMeta(strconv.Quote(k)) + `\s*:`).FindIndex(data); loc != nil {
						off = int64(loc[0])
					}
					err = fmt.Errorf("unknown field %q", k)
				}
			}
		}
		line, col := lineCol(data, off)
		return nil, fmt.Errorf("%s:%d:%d: %w", name, line, col, err)
	}
	return &doc, nil
}

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	return line, int(off) - bytes.LastIndexByte(before, '\n')
}

// LoadSeedFile adds the organizations, tokens and objects of a seed file,
// atomically: on any error nothing is written and the error names the file,
// the entry and the field.
func (s *Server) LoadSeedFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	name := filepath.Base(path)
	doc, err := DecodeSeed(name, data)
	if err != nil {
		return err
	}
	_, err = s.Seed(doc)
	var se *SeedError
	if errors.As(err, &se) {
		se.File = name
	}
	return err
}

// Seed adds a seed's organizations, tokens and objects atomically and returns
// the seed with every object's ID filled in.
func (s *Server) Seed(doc *Seed) (*Seed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := &request{now: s.now()}
	out, err := s.applySeed(q, doc, seedAdd, "")
	if err != nil {
		return nil, err
	}
	return out, nil
}

// seedMode says what a seed does to the objects already stored.
type seedMode int

const (
	seedAdd        seedMode = iota // keep everything; the seed adds to it
	seedReplaceAll                 // the seed replaces every organization's objects
	seedReplaceOrg                 // the seed replaces one organization's objects
)

// applySeed validates doc, writes it through q (the caller holds s.mu
// exclusively) and then adds its tokens. Nothing changes on error.
func (s *Server) applySeed(q *request, doc *Seed, mode seedMode, org string) (*Seed, error) {
	out, tokens, err := s.planSeed(q, doc, mode, org)
	if err != nil {
		return nil, err
	}
	if mode == seedReplaceAll {
		if err := s.store.Replace(q.ops); err != nil { // drops the rest unread (seed_apply.go)
			return nil, fmt.Errorf("store: %w", err)
		}
	} else if err := s.commit(q); err != nil {
		return nil, err
	}
	q.ops = nil
	s.addTokens(tokens)
	return out, nil
}

// idPrefix is the prefix of generated and fixed IDs of each kind.
var idPrefix = map[string]string{store.KindPlans: "pln", store.KindWorkspaces: "ws", store.KindDomains: "dom", store.KindFirewallRules: "fw", store.KindStaticIPs: "ip"}

var fixedIDRE = regexp.MustCompile(`^[a-z]+-[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`)

var passwordHashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// orgNameRE: an organization name appears in tokens flags (org=TOKEN) and
// the ?org= query, so it is kept to a safe alphabet.
var orgNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$`)

// checkStatic checks what needs no store: names, tokens, keys, ID shapes,
// duplicates and references. It returns every problem found.
func (s *Server) checkStatic(doc *Seed, mode seedMode, org string) []api.FieldError {
	var errs []api.FieldError
	add := func(field, rule, format string, args ...any) {
		errs = append(errs, api.FieldError{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	if mode == seedReplaceOrg && (len(doc.Organizations) != 1 || doc.Organizations[0].Name != org) {
		add("organizations", "scope", "a snapshot restored with ?org=%s must hold exactly that one organization", org)
		return errs
	}
	orgs := map[string]bool{}
	toks := map[string]string{}
	ids := map[string]string{} // fixed ID -> its entry
	checkID := func(path, kind, id string) {
		if id == "" {
			return
		}
		if !fixedIDRE.MatchString(id) || !strings.HasPrefix(id, idPrefix[kind]+"-") {
			add(path+".id", "format", "%q is not a valid %s ID: use %q followed by 1 to 63 letters, digits, '_' or '-'", id, kind, idPrefix[kind]+"-")
			return
		}
		if other, dup := ids[id]; dup {
			add(path+".id", "unique", "ID %q is also used by %s", id, other)
			return
		}
		ids[id] = path
	}
	for i, o := range doc.Organizations {
		p := fmt.Sprintf("organizations[%d]", i)
		if !orgNameRE.MatchString(o.Name) {
			add(p+".name", "format", "%q is not a valid organization name: use 1 to 63 letters, digits, '.', '_' or '-'", o.Name)
		} else if orgs[o.Name] {
			add(p+".name", "unique", "organization %q is declared twice", o.Name)
		}
		orgs[o.Name] = true
		for j, tok := range o.Tokens {
			tp := fmt.Sprintf("%s.tokens[%d]", p, j)
			tokErr := CheckToken(tok, s.cfg.Remote) // the check of the -token flag
			switch owner, seen := toks[tok]; {
			case errors.Is(tokErr, ErrWellKnownToken):
				add(tp, "well_known", "%v", tokErr)
			case tokErr != nil:
				add(tp, "format", "%v", tokErr)
			case seen:
				add(tp, "unique", "token is also given to organization %q", owner)
			case s.isAdminToken(tok):
				add(tp, "unique", "token is the admin token; API tokens must differ from it")
			default:
				if cur, ok := s.tokenOrg(tok); ok && cur != o.Name {
					add(tp, "unique", "token already belongs to organization %q", cur)
				}
			}
			toks[tok] = o.Name
		}
		keys := map[string]bool{}
		planIDs := map[string]bool{}
		for j, pl := range o.Plans {
			pp := fmt.Sprintf("%s.plans[%d]", p, j)
			checkID(pp, store.KindPlans, pl.ID)
			if pl.Key != "" {
				if keys[pl.Key] {
					add(pp+".key", "unique", "plan key %q is used twice in organization %q", pl.Key, o.Name)
				}
				keys[pl.Key] = true
			}
			if pl.ID != "" {
				planIDs[pl.ID] = true
			}
		}
		wsKeys := map[string]bool{}
		for j, w := range o.Workspaces {
			wp := fmt.Sprintf("%s.workspaces[%d]", p, j)
			checkID(wp, store.KindWorkspaces, w.ID)
			if w.Key != "" {
				if wsKeys[w.Key] {
					add(wp+".key", "unique", "workspace key %q is used twice in organization %q", w.Key, o.Name)
				}
				wsKeys[w.Key] = true
			}
			switch {
			case (w.Plan == "") == (w.PlanID == ""):
				add(wp+".plan", "required", "name the workspace's plan with exactly one of \"plan\" (a plan key of this organization) or \"plan_id\"")
			case w.Plan != "" && !keys[w.Plan]:
				add(wp+".plan", "reference", "no plan with key %q in organization %q", w.Plan, o.Name)
			case w.PlanID != "" && !planIDs[w.PlanID] && mode != seedAdd:
				add(wp+".plan_id", "reference", "no plan with ID %q in organization %q of this snapshot", w.PlanID, o.Name)
			}
			if w.AdminPassword != "" && w.AdminPasswordHash != "" {
				add(wp+".admin_password_hash", "conflict", "give admin_password or admin_password_hash, not both")
			}
			if h := w.AdminPasswordHash; h != "" && !passwordHashRE.MatchString(h) {
				add(wp+".admin_password_hash", "format", "must be 64 lowercase hex digits (SHA-256), as exported by a snapshot")
			}
			for k, d := range w.Domains {
				dp := fmt.Sprintf("%s.domains[%d]", wp, k)
				checkID(dp, store.KindDomains, d.ID)
				if v := d.VerificationValue; v != "" && !printable(v, 255) {
					add(dp+".verification_value", "format", "must be 1 to 255 printable characters")
				}
			}
			for k, r := range w.FirewallRules {
				checkID(fmt.Sprintf("%s.firewall_rules[%d]", wp, k), store.KindFirewallRules, r.ID)
			}
			if v := w.FirewallRulesVersion; v < 0 || v > maxSeedRulesVersion {
				add(wp+".firewall_rules_version", "range", "%d is not a version: a rule collection's version is 0 to %d "+
					"(the largest integer a JSON number carries exactly, so every later write can count on)", v, int64(maxSeedRulesVersion))
			}
			for k, ip := range w.StaticIPs {
				checkID(fmt.Sprintf("%s.static_ips[%d]", wp, k), store.KindStaticIPs, ip.ID)
			}
		}
	}
	if known, added := s.tokensBeyond(toks); known+added > MaxTokens {
		add("organizations", "max", "the emulator holds at most %d API tokens; it has %d and this seed adds %d", MaxTokens, known, added)
	}
	return errs
}

func printable(v string, max int) bool {
	if v == "" || len(v) > max {
		return false
	}
	return strings.IndexFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0
}

// seedFailure turns a handler's error on the entry at path into field errors
// that name the entry: "subdomain" becomes "<path>.subdomain".
func seedFailure(path string, err error) error {
	var he *httpError
	if !errors.As(err, &he) || he.status >= 500 {
		return err
	}
	if len(he.errs) == 0 {
		return &SeedError{Errors: []api.FieldError{{Field: path, Rule: http.StatusText(he.status), Message: he.detail}}}
	}
	out := make([]api.FieldError, len(he.errs))
	for i, fe := range he.errs {
		fe.Field = path + "." + fe.Field
		out[i] = fe
	}
	return &SeedError{Errors: out}
}
