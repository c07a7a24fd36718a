package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/provider"
)

// The browser tests drive the console in headless Chromium (Debian's
// `chromium`) as a person would: with the keyboard, against an emulator that
// a real `terraform apply` is talking to. One browser serves every scenario.
//
// They need TF_ACC=1 and the Terraform CLI (as the acceptance tests do) and
// Chromium. Without Chromium they skip, unless ROCKETCHAT_BROWSER_TESTS=required
// (set by .ci/run) or CI is set: then they fail, since a silently skipped
// browser test proves nothing.

const providerAddress = "registry.terraform.io/rocketchat/rocketchat"

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// chromiumPath finds the browser, or skips or fails the test.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM_PATH"), "chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "the console's browser tests need Chromium: apt-get install -y chromium (or set CHROMIUM_PATH)"
	if os.Getenv("ROCKETCHAT_BROWSER_TESTS") == "required" || os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func terraformPath(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("the console's browser tests run terraform apply: set TF_ACC=1 (make test does)")
	}
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("the console's browser tests need the Terraform CLI on PATH (or TF_ACC_TERRAFORM_PATH)")
	}
	return p
}

// serveProvider serves the provider in this process and returns the
// TF_REATTACH_PROVIDERS value that points Terraform at it (no build, no
// registry).
func serveProvider(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfgCh := make(chan *plugin.ReattachConfig)
	closeCh := make(chan struct{})
	go func() {
		err := tf6server.Serve(providerAddress, providerserver.NewProtocol6(provider.New("test")()),
			tf6server.WithDebug(ctx, cfgCh, closeCh), tf6server.WithLoggingSink(t),
			tf6server.WithGoPluginLogger(hclog.New(&hclog.LoggerOptions{Output: io.Discard})))
		if err != nil {
			t.Errorf("serve the provider: %v", err)
		}
	}()
	var conf *plugin.ReattachConfig
	select {
	case conf = <-cfgCh:
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("the provider did not start")
	}
	t.Cleanup(func() { cancel(); <-closeCh })
	type addr struct{ Network, String string }
	type reattach struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	b, err := json.Marshal(map[string]reattach{providerAddress: {Protocol: string(conf.Protocol), ProtocolVersion: conf.ProtocolVersion,
		Pid: conf.Pid, Test: true, Addr: addr{conf.Addr.Network(), conf.Addr.String()}}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// tfRun is a Terraform working directory with the provider reattached.
type tfRun struct {
	t   *testing.T
	bin string
	env []string
}

func (r *tfRun) dir(mainTF string) string {
	r.t.Helper()
	d := r.t.TempDir()
	if err := os.WriteFile(filepath.Join(d, "main.tf"), []byte(mainTF), 0o644); err != nil {
		r.t.Fatal(err)
	}
	if out, err := r.run(context.Background(), d, "init", "-input=false", "-no-color"); err != nil {
		r.t.Fatalf("terraform init: %v\n%s", err, out)
	}
	return d
}

func (r *tfRun) run(ctx context.Context, dir string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), r.env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// consoleLog collects what the pages write to the browser console.
type consoleLog struct {
	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
}

func (l *consoleLog) listen(ctx context.Context) {
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			l.mu.Lock()
			l.messages = append(l.messages, m)
			l.mu.Unlock()
		}
	}()
}

// provoked are the refusals the test asks for on purpose (a wrong token, two
// forged approvals); the browser logs each answer as a network error.
var provoked = []struct{ path, status string }{
	{"/console/login", "401"},
	{"/console/pending/approve", "403"},
}

// problems are the errors and warnings logged, CSP violations among them,
// except the provoked refusals.
func (l *consoleLog) problems() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, m := range l.messages {
		if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleWarning && !m.IsException() {
			continue
		}
		if m.Source == "network" && slices.ContainsFunc(provoked, func(p struct{ path, status string }) bool {
			return strings.HasSuffix(m.URL, p.path) && strings.Contains(m.Text, "status of "+p.status)
		}) {
			continue
		}
		out = append(out, fmt.Sprintf("%s [%s] %s (%s)", m.Type, m.Source, m.Text, m.URL))
	}
	return out
}

// TestConsoleInBrowser: log in and approve with the keyboard while a
// terraform apply waits, see the applied estate as a tree, find a failing
// request by the ID Terraform printed, refuse forged forms, and log no
// console error on any page. It writes a screenshot of each page to
// .build/console/.
func TestConsoleInBrowser(t *testing.T) {
	tfBin := terraformPath(t)
	chromium := chromiumPath(t)
	start := time.Now()
	phase := func(name string) { t.Logf("%5.1fs %s", time.Since(start).Seconds(), name) }

	e := newEnv(t, func(c *emulator.Config) {
		c.Provisioning = map[catalog.Tier]emulator.ProvisioningConfig{
			catalog.Standard:  {Mode: catalog.ProvisionImmediate},
			catalog.Premium:   {Mode: catalog.ProvisionImmediate},
			catalog.Dedicated: {Mode: catalog.ProvisionManual},
		}
	})
	e.workspace(otherToken, "standard", "globex-taken")
	cfg := filepath.Join(t.TempDir(), "empty.tfrc")
	if err := os.WriteFile(cfg, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// The provider runs in this process: it reads its environment from here.
	t.Setenv("ROCKETCHAT_ENDPOINT", e.url)
	t.Setenv("ROCKETCHAT_TOKEN", apiToken)
	tf := &tfRun{t: t, bin: tfBin, env: []string{
		"TF_REATTACH_PROVIDERS=" + serveProvider(t), "TF_CLI_CONFIG_FILE=" + cfg, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
	}}
	demo, err := os.ReadFile(filepath.Join(repoRoot(), "examples", "demo", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	demoDir := tf.dir(string(demo))
	failDir := tf.dir(failingConfig)

	phase("terraform init of both configurations")
	shots := filepath.Join(repoRoot(), ".build", "console")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true), chromedp.Flag("disable-default-apps", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(actx)
	defer cancelCtx()
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	defer cancelTimeout()
	logs := &consoleLog{}
	logs.listen(ctx)

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// do runs actions, each within 20 s; on failure it reports where the page is.
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for _, a := range actions {
			actx, cancel := context.WithTimeout(ctx, 20*time.Second)
			err := chromedp.Do(actx, a)
			cancel()
			if err != nil {
				loc, _ := chromedp.Run(ctx, chromedp.Location())
				text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
				t.Fatalf("%v\nat %s:\n%s", err, loc, text)
			}
		}
	}
	eval := func(js string) string {
		t.Helper()
		ectx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		v, err := chromedp.Run(ectx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		must(err)
		return v
	}
	shoot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must(err)
		must(os.WriteFile(filepath.Join(shots, "console-"+name+".png"), png, 0o644))
	}
	location := func() string {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		must(err)
		return strings.TrimPrefix(loc, e.url)
	}
	// press sends keys to the focused element (as typing does).
	press := func(keys string) { t.Helper(); do(chromedp.KeyEvent(keys)) }
	// enter presses Enter and waits for the page it loads (a form's answer,
	// a link's target).
	enter := func() {
		t.Helper()
		ectx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		_, err := chromedp.Run(ectx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter)))
		must(err)
	}
	// tabTo presses Tab until the element the JS test accepts has the focus.
	tabTo := func(test string) {
		t.Helper()
		for range 60 {
			if eval(`String((`+test+`)(document.activeElement))`) == "true" {
				return
			}
			press(kb.Tab)
		}
		t.Fatalf("Tab never reached the element (%s)", test)
	}

	phase("browser started")
	// 1. Log in with the keyboard: the token field has the focus; a wrong
	// token is refused, the right one opens the organizations page.
	do(chromedp.Navigate(e.url + "/console/"))
	if loc := location(); loc != "/console/login" {
		t.Fatalf("an anonymous browser lands on %s", loc)
	}
	shoot("login")
	if id := eval(`document.activeElement.id`); id != "token" {
		t.Fatalf("the login page's focus is on %q, not the token field", id)
	}
	press("not-the-token")
	enter()
	do(chromedp.WaitVisible(chromedp.CSS(".msg.error")))
	if id := eval(`document.activeElement.id`); id != "token" {
		t.Fatalf("after a wrong token the focus is on %q", id)
	}
	press(adminToken)
	enter()
	do(chromedp.WaitVisible(chromedp.CSS(`nav a[aria-current="page"]`)))
	if loc := location(); loc != "/console/" {
		t.Fatalf("after login: %s", loc)
	}
	if cookies := eval(`document.cookie`); cookies != "" {
		t.Fatalf("page script can read cookies %q: the session cookie must be HttpOnly", cookies)
	}

	phase("logged in")
	// 2. terraform apply of the demo waits for the Dedicated workspace; it is
	// approved on the pending page with Tab and Enter, and the apply completes.
	type result struct {
		out string
		err error
	}
	applied := make(chan result, 1)
	go func() {
		out, err := tf.run(ctx, demoDir, "apply", "-auto-approve", "-input=false", "-no-color")
		applied <- result{out, err}
	}()
	const approve = `(el) => el && el.getAttribute("aria-label") === "Approve Acme Europe"`
	deadline := time.Now().Add(2 * time.Minute)
	for {
		do(chromedp.Navigate(e.url + "/console/pending"))
		if eval(`String(!!document.querySelector('button[aria-label="Approve Acme Europe"]'))`) == "true" {
			break
		}
		select {
		case r := <-applied:
			t.Fatalf("terraform apply ended before the approval (%v):\n%s", r.err, r.out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the Dedicated workspace never appeared on the pending page")
		}
		time.Sleep(300 * time.Millisecond)
	}
	phase("the Dedicated workspace waits on the pending page")
	shoot("pending")
	wsID := eval(`document.querySelector('button[aria-label="Approve Acme Europe"]').form.workspace_id.value`)

	// Forged forms (no CSRF token, a wrong one), posted by this very page
	// with its session cookie, are refused and change nothing.
	statuses := eval(`(async () => {
		const post = (body) => fetch("/console/pending/approve", {method: "POST", body: new URLSearchParams(body)}).then(r => r.status);
		const a = await post({workspace_id: "` + wsID + `"});
		const b = await post({workspace_id: "` + wsID + `", csrf: "0".repeat(64)});
		return a + "," + b;
	})()`)
	if statuses != "403,403" {
		t.Fatalf("forged approvals answered %s, want 403,403", statuses)
	}
	if code, body, _ := e.call(apiToken, "GET", "/v1/workspaces/"+wsID, nil); code != 200 || !strings.Contains(string(body), `"status":"pending"`) {
		t.Fatalf("a forged form changed the workspace: %d %s", code, body)
	}
	tabTo(approve)
	enter()
	do(chromedp.WaitVisible(chromedp.CSS(".msg.note")))
	if loc := location(); loc != "/console/pending?done=approved" {
		t.Fatalf("after Approve: %s", loc)
	}
	select {
	case r := <-applied:
		if r.err != nil {
			t.Fatalf("terraform apply after the approval: %v\n%s", r.err, r.out)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("terraform apply did not complete after the approval")
	}

	phase("apply completed after the approval")
	// 3. The tree shows every object the apply made.
	do(chromedp.Navigate(e.url + "/console/orgs/acme"))
	snap, err := e.srv.Snapshot("acme")
	must(err)
	var ids []string
	for _, o := range snap.Organizations {
		for _, p := range o.Plans {
			ids = append(ids, p.ID)
		}
		for _, w := range o.Workspaces {
			ids = append(ids, w.ID)
			for _, d := range w.Domains {
				ids = append(ids, d.ID)
			}
			for _, r := range w.FirewallRules {
				ids = append(ids, r.ID)
			}
			for _, ip := range w.StaticIPs {
				ids = append(ids, ip.ID)
			}
		}
	}
	if len(ids) != 7 {
		t.Fatalf("the demo made %d objects, want 7: %v", len(ids), ids)
	}
	for _, id := range ids {
		if eval(`String(!!document.getElementById("`+id+`"))`) != "true" {
			t.Errorf("the estate tree lacks %s", id)
		}
	}
	if got := eval(`document.querySelector("#` + wsID + ` .badge.ready") ? "ready" : "missing"`); got != "ready" {
		t.Errorf("the approved workspace has no ready badge")
	}
	shoot("estate")

	// The demo's custom domain waits for verification: a mouse click on
	// Verify does it, and the tree shows it verified.
	do(chromedp.Navigate(e.url + "/console/pending?org=acme"))
	{
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		_, err := chromedp.Run(cctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil,
			chromedp.Click(chromedp.CSS(`button[aria-label="Verify chat.acme.example"]`))))
		cancel()
		must(err)
	}
	if loc := location(); loc != "/console/pending?org=acme&done=verified" {
		t.Fatalf("after Verify: %s", loc)
	}
	do(chromedp.Navigate(e.url + "/console/orgs/acme"))
	domID := eval(`[...document.querySelectorAll("li.domain")].map(li => li.id).join(",")`)
	if got := eval(`document.querySelector("li.domain .badge").textContent`); got != "verified" || domID == "" {
		t.Errorf("domain %s after Verify: %q", domID, got)
	}
	do(chromedp.Navigate(e.url + "/console/"))
	shoot("organizations")

	phase("tree and Verify checked")
	// 4. A failing request: Terraform prints its request ID; the live log
	// shows it without a reload, and the filter finds it with its problem.
	do(chromedp.Navigate(e.url + "/console/requests?status=error"))
	out, err := tf.run(ctx, failDir, "apply", "-auto-approve", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("the apply of a taken subdomain succeeded:\n%s", out)
	}
	m := regexp.MustCompile(`request\s+ID\s+(req-[0-9a-f]{16})`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("Terraform printed no request ID:\n%s", out)
	}
	reqID := m[1]
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("log").textContent.includes("`+reqID+`")`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("the live request log never showed %s: %v", reqID, err)
	}
	do(chromedp.Focus(chromedp.ID("f-id")))
	press(reqID)
	enter()
	do(chromedp.WaitVisible(chromedp.CSS("#log tbody tr.failed")))
	row := eval(`document.querySelector("#log tbody").innerText`)
	for _, want := range []string{reqID, "409", "subdomain", "unique", "acme"} {
		if !strings.Contains(row, want) {
			t.Errorf("the request log row lacks %q: %s", want, row)
		}
	}
	if n := eval(`String(document.querySelectorAll("#log tbody tr").length)`); n != "1" {
		t.Errorf("filtering by request ID shows %s rows", n)
	}
	shoot("requests")

	phase("failing request found")
	// 5. The other pages, reached with the keyboard from the navigation.
	for _, p := range []struct{ link, name string }{{"Faults", "faults"}, {"DNS", "dns"}, {"Tier matrix", "tiers"}} {
		do(chromedp.Navigate(e.url + "/console/"))
		tabTo(`(el) => el && el.tagName === "A" && el.textContent === "` + p.link + `"`)
		enter()
		do(chromedp.WaitVisible(chromedp.CSS(`nav a[aria-current="page"][href="/console/` + p.name + `"]`)))
		if p.name == "dns" {
			do(chromedp.Focus(chromedp.ID("name")))
			press("_rocketchat-challenge.chat.acme.example")
			do(chromedp.Focus(chromedp.ID("txt")))
			press("rocketchat-verification=demo")
			press(kb.Tab)
			enter()
			do(chromedp.WaitVisible(chromedp.CSS(".msg.note")))
			if got := eval(`document.getElementById("dns").innerText`); !strings.Contains(got, "rocketchat-verification=demo") {
				t.Errorf("the published record is not listed: %s", got)
			}
		}
		shoot(p.name)
	}
	do(chromedp.Navigate(e.url + "/console/orgs/acme/manage"))
	shoot("manage")

	if probs := logs.problems(); len(probs) > 0 {
		t.Errorf("the browser console logged %d problem(s):\n%s", len(probs), strings.Join(probs, "\n"))
	}

	// The listener does hear a violation: an inline script, which the
	// Content-Security-Policy refuses, is reported.
	eval(`(() => { const s = document.createElement("script"); s.textContent = "document.title = 'inline ran'"; document.body.appendChild(s); return document.title; })()`)
	if title := eval(`document.title`); title == "inline ran" {
		t.Fatal("an inline script ran: the Content-Security-Policy does not hold")
	}
	deadline = time.Now().Add(5 * time.Second)
	for !slices.ContainsFunc(logs.problems(), func(p string) bool { return strings.Contains(p, "Content Security Policy") }) {
		if time.Now().After(deadline) {
			t.Fatalf("the console listener did not report the refused inline script: %v", logs.problems())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// failingConfig asks for a subdomain another organization holds: nothing
// at plan time can know, so the API refuses it (409) at apply.
const failingConfig = `
terraform {
  required_providers {
    rocketchat = { source = "rocketchat/rocketchat" }
  }
}
provider "rocketchat" {}
resource "rocketchat_plan_tier" "p" {
  tier = "standard"
}
resource "rocketchat_workspace" "w" {
  name      = "Taken"
  subdomain = "globex-taken"
  plan_id   = rocketchat_plan_tier.p.id
}
`
