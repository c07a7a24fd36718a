package doctest

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	repoRoot        = "../.."
	providerAddress = "registry.terraform.io/rocketchat/rocketchat"
	version         = "0.1.0" // the GNUmakefile's VERSION
	// Bounds: a cold build takes about a minute on 2 cores; a page's snippets
	// (the demo included) well under two.
	buildTimeout = 10 * time.Minute
	pageTimeout  = 10 * time.Minute
)

// pages are the documents whose snippets a user is meant to run.
func pages(t *testing.T) map[string][]Snippet {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "guides", "*.md"))
	files = append(files, filepath.Join(repoRoot, "README.md"))
	out := map[string][]Snippet{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(repoRoot, f)
		s, err := Parse(rel, string(b))
		if err != nil {
			t.Fatal(err)
		}
		out[rel] = s
	}
	return out
}

// TestEveryShellSnippetIsMarked needs no CLI: a shell snippet nobody marked
// would silently escape TestDocSnippets.
func TestEveryShellSnippetIsMarked(t *testing.T) {
	for page, snippets := range pages(t) {
		for _, s := range snippets {
			if s.IsShell() && s.Action == "" {
				t.Errorf("%s:%d: a shell snippet without a marker: put <!-- snippet: run --> (or skip (why)) on the line before its fence, in the template under templates/ when the page is generated", page, s.Line)
			}
			if s.Action == "run" && !s.IsShell() {
				t.Errorf("%s:%d: only shell snippets run (this one is %q)", page, s.Line, s.Lang)
			}
		}
	}
}

type sandbox struct {
	repo     string   // the copy of the repository
	env      []string // the environment snippets run in
	tf       string   // the Terraform CLI of the machine
	tfNew    string   // a Terraform CLI 1.14+, or ""
	tfrc     string   // CLI config with the built provider in a filesystem mirror
	zip      string   // the provider as a release archive
	zipName  string
	whyNoNew string
}

func TestDocSnippets(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to run the snippets of README.md and docs/guides (make test does)")
	}
	all := pages(t)
	sb := newSandbox(t)

	names := make([]string, 0, len(all))
	for p := range all {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, page := range names {
		snippets := all[page]
		for _, s := range snippets {
			if !s.IsHCL() || s.Action == "skip" {
				continue
			}
			t.Run(fmt.Sprintf("validate/%s:%d", page, s.Line), func(t *testing.T) { sb.validate(t, s) })
		}
		var run []Snippet
		for _, s := range snippets {
			if s.Action == "run" {
				run = append(run, s)
			}
		}
		if len(run) > 0 {
			t.Run("run/"+page, func(t *testing.T) { sb.runPage(t, page, snippets) })
		}
	}
	t.Run("demo", sb.demo)
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	sb := &sandbox{}
	sb.tf = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if sb.tf == "" {
		var err error
		if sb.tf, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("the Terraform CLI is not on PATH and TF_ACC_TERRAFORM_PATH is not set; nothing can be downloaded here")
		}
	}
	work := t.TempDir()
	sb.repo = filepath.Join(work, "repo")
	copyRepo(t, sb.repo)

	// The environment of a user with Go, Terraform, make and curl, offline.
	home, bin := filepath.Join(work, "home"), filepath.Join(work, "bin")
	for _, d := range []string{home, bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	goenv := func(k string) string {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", k, err)
		}
		return strings.TrimSpace(string(out))
	}
	sb.env = []string{"HOME=" + home, "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"GOCACHE=" + goenv("GOCACHE"), "GOMODCACHE=" + goenv("GOMODCACHE"), "GOPATH=" + goenv("GOPATH"),
		"GOTOOLCHAIN=local", "GOFLAGS=-buildvcs=false", "GOPROXY=off", "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"LANG=C.UTF-8", "TMPDIR=" + os.TempDir()}
	if err := os.Symlink(sb.tf, filepath.Join(bin, "terraform")); err != nil {
		t.Fatal(err)
	}

	// Build once, as `make build emulator` does: the snippets' own make calls then only relink.
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "make", "build", "emulator")
	cmd.Dir, cmd.Env = sb.repo, sb.env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make build emulator: %v\n%s", err, out)
	}
	if err := os.Symlink(filepath.Join(sb.repo, ".build", "rocketchat-emulator"), filepath.Join(bin, "rocketchat-emulator")); err != nil {
		t.Fatal(err)
	}
	mirror := filepath.Join(sb.repo, ".build", "mirror")
	sb.tfrc = filepath.Join(work, "snippets.tfrc")
	body := fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [%q]\n  }\n}\n", mirror, providerAddress)
	if err := os.WriteFile(sb.tfrc, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	// The provider's release archive, as a user downloads it.
	sb.zipName = fmt.Sprintf("terraform-provider-rocketchat_%s_%s_%s.zip", version, runtime.GOOS, runtime.GOARCH)
	sb.zip = filepath.Join(work, sb.zipName)
	binName := "terraform-provider-rocketchat_v" + version
	writeZip(t, sb.zip, filepath.Join(mirror, providerAddress, version, runtime.GOOS+"_"+runtime.GOARCH, binName), binName)

	sb.tfNew, sb.whyNoNew = newerCLI(t, sb.tf, work)
	return sb
}

// copyRepo copies the files git knows (tracked, and new ones not ignored):
// what a fresh clone holds, with the changes not yet committed.
func copyRepo(t *testing.T, dst string) {
	t.Helper()
	out, err := exec.Command("git", "-C", repoRoot, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files (the snippets run in a copy of the repository's files): %v", err)
	}
	for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(repoRoot, f)
		info, err := os.Lstat(src)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted in the work tree, or not a plain file
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		d := filepath.Join(dst, f)
		if err := os.MkdirAll(filepath.Dir(d), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(d, b, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

func writeZip(t *testing.T, dst, src, name string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: name, Method: zip.Deflate}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err == nil {
		_, err = w.Write(b)
	}
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = os.WriteFile(dst, buf.Bytes(), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// newerCLI finds a Terraform CLI 1.14+ for the snippets that need one: the
// machine's, TF_SNIPPETS_TERRAFORM_1_14, or the one kept in ../shared/tools
// beside the repository (unpacked into the sandbox).
func newerCLI(t *testing.T, tf, work string) (string, string) {
	t.Helper()
	if atLeast(tf, 1, 14) {
		return tf, ""
	}
	if p := os.Getenv("TF_SNIPPETS_TERRAFORM_1_14"); p != "" {
		if !atLeast(p, 1, 14) {
			t.Fatalf("TF_SNIPPETS_TERRAFORM_1_14=%s is not a Terraform CLI 1.14+", p)
		}
		return p, ""
	}
	install, _ := filepath.Abs(filepath.Join(repoRoot, "..", "shared", "tools", "terraform-1.14.9", "install.sh"))
	if _, err := os.Stat(install); err != nil {
		return "", "no Terraform CLI 1.14+: the machine's is older, TF_SNIPPETS_TERRAFORM_1_14 is unset and " + install + " is missing"
	}
	out, err := exec.Command("bash", install, filepath.Join(work, "terraform-1.14")).Output()
	if err != nil {
		t.Fatalf("%s: %v", install, err)
	}
	return strings.TrimSpace(string(out)), ""
}

func atLeast(tf string, major, minor int) bool {
	out, err := exec.Command(tf, "version").Output()
	if err != nil {
		return false
	}
	f := strings.Fields(string(out))
	if len(f) < 2 {
		return false
	}
	parts := strings.SplitN(strings.TrimPrefix(f[1], "v"), ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, _ := strconv.Atoi(parts[0])
	mi, _ := strconv.Atoi(parts[1])
	return ma > major || (ma == major && mi >= minor)
}

// validate checks an HCL snippet with terraform init and validate, alone
// (with the provider required) or as a file inside a copy of s.In.
func (sb *sandbox) validate(t *testing.T, s Snippet) {
	tf := sb.tf
	if s.CLI != "" && !atLeast(tf, 1, 14) {
		if sb.tfNew == "" {
			t.Skip(sb.whyNoNew)
		}
		tf = sb.tfNew
	}
	dir := t.TempDir()
	if s.In != "" {
		if err := os.CopyFS(dir, os.DirFS(filepath.Join(sb.repo, s.In))); err != nil {
			t.Fatal(err)
		}
		_ = os.RemoveAll(filepath.Join(dir, ".terraform"))
		_ = os.Remove(filepath.Join(dir, ".terraform.lock.hcl"))
	}
	name := s.As
	if name == "" {
		name = "snippet.tf"
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(s.Text), 0o644); err != nil {
		t.Fatal(err)
	}
	if s.In == "" && !strings.Contains(s.Text, "required_providers") {
		req := "terraform {\n  required_providers {\n    rocketchat = { source = \"rocketchat/rocketchat\" }\n  }\n}\n"
		if err := os.WriteFile(filepath.Join(dir, "snippet_providers.tf"), []byte(req), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := append(append([]string{}, sb.env...), "TF_CLI_CONFIG_FILE="+sb.tfrc)
	args := []string{"validate", "-no-color"}
	if strings.HasSuffix(name, ".tfquery.hcl") {
		args = append(args, "-query")
	}
	for _, a := range [][]string{{"init", "-input=false", "-backend=false", "-no-color"}, args} {
		cmd := exec.Command(tf, a...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s:%d: terraform %s failed (%v):\n%s\nthe snippet:\n%s", s.Page, s.Line, a[0], err, out, numbered(s.Text))
		}
	}
}

// runPage runs a page's run snippets in order as one script, after writing
// its file snippets, in the directory the snippets name.
func (sb *sandbox) runPage(t *testing.T, page string, snippets []Snippet) {
	in := ""
	var script strings.Builder
	script.WriteString("set -euo pipefail\n")
	for _, s := range snippets {
		if s.Action != "run" {
			continue
		}
		if in != "" && s.In != in {
			t.Fatalf("%s:%d: the run snippets of one page share one directory (in=%s, here in=%q)", page, s.Line, in, s.In)
		}
		in = s.In
		fmt.Fprintf(&script, "# --- %s:%d\n%s", page, s.Line, s.Text)
	}
	dir := sb.repo
	if in != "" {
		dir = filepath.Join(t.TempDir(), filepath.Base(in))
		if err := os.CopyFS(dir, os.DirFS(filepath.Join(sb.repo, in))); err != nil {
			t.Fatal(err)
		}
		_ = os.RemoveAll(filepath.Join(dir, ".terraform"))
		_ = os.Remove(filepath.Join(dir, ".terraform.lock.hcl"))
		// What the guides tell a user to download beside the configuration.
		b, err := os.ReadFile(sb.zip)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, sb.zipName), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range snippets {
		if s.Action == "file" {
			p := filepath.Join(dir, s.As)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(s.Text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	scriptFile := filepath.Join(t.TempDir(), "snippets.sh")
	if err := os.WriteFile(scriptFile, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, left, _, err := runScript(dir, sb.env, scriptFile, false)
	if err != nil || len(left) > 0 {
		msg := fmt.Sprintf("the snippets of %s failed (%v)", page, err)
		if len(left) > 0 {
			msg = fmt.Sprintf("the snippets of %s left processes running (a guide must stop what it starts): %s", page, strings.Join(left, "; "))
		}
		t.Fatalf("%s\nscript:\n%s\noutput (the end):\n%s", msg, numbered(script.String()), tail(out, 150))
	}
	t.Logf("%s: %d lines of output, ends with: %s", page, strings.Count(out, "\n"), tail(out, 3))
}

// runScript runs bash in a process group of its own, so that whatever the
// snippets leave behind is found and then stopped (unless keep: then the
// caller stops the group).
func runScript(dir string, env []string, script string, keep bool) (out string, left []string, pgid int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), pageTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Dir, cmd.Env = dir, env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &buf, &buf, nil
	cmd.WaitDelay = 5 * time.Second // a background child holding the output open
	err = cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("no end within %s", pageTimeout)
	}
	if cmd.Process != nil {
		pgid = cmd.Process.Pid
	}
	if pgid != 0 && !keep {
		time.Sleep(200 * time.Millisecond) // a trap's kill takes effect
		left = processesOf(pgid)
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	return buf.String(), left, pgid, err
}

// processesOf lists the live processes of a process group (Linux /proc).
func processesOf(pgid int) []string {
	ents, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces, so cut at the last ')'.
		i := bytes.LastIndexByte(stat, ')')
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 3 || f[0] == "Z" || f[2] != strconv.Itoa(pgid) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		out = append(out, fmt.Sprintf("%d %s", pid, strings.TrimSpace(strings.ReplaceAll(string(cmdline), "\x00", " "))))
	}
	return out
}

func numbered(s string) string {
	var b strings.Builder
	for i, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
	}
	return b.String()
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// outputsRE finds the heading of printed outputs (not the plan's "Changes to Outputs:").
var outputsRE = regexp.MustCompile(`(?m)^Outputs:`)

// demo checks what the getting started guide says of make demo and of a kept
// demo: what a kept one prints, that a second demo refuses to destroy it, and
// where a plain one says to look next.
func (sb *sandbox) demo(t *testing.T) {
	run := func(keep bool, script string) (string, error) {
		f := filepath.Join(t.TempDir(), "demo.sh")
		if err := os.WriteFile(f, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		out, left, pgid, err := runScript(sb.repo, sb.env, f, keep)
		if keep && pgid != 0 {
			t.Cleanup(func() { _ = syscall.Kill(-pgid, syscall.SIGKILL) }) // whatever the pid file says
		}
		if len(left) > 0 {
			t.Errorf("%q left processes running: %v", script, left)
		}
		return out, err
	}
	pidFile := filepath.Join(sb.repo, ".build", "demo", "emulator.pid")
	stopKept := func() {
		if b, err := os.ReadFile(pidFile); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
				_ = syscall.Kill(pid, syscall.SIGTERM)
			}
		}
	}
	t.Cleanup(stopKept)

	out, err := run(true, "KEEP=1 make demo")
	if err != nil {
		t.Fatalf("KEEP=1 make demo: %v\n%s", err, tail(out, 80))
	}
	for _, want := range []string{"demo-admin-token", "/admin/v1/approve-all", "edit .build/demo/main.tf",
		"examples/demo/main.tf changes nothing", ". .build/demo/env.sh", `kill "$(cat .build/demo/emulator.pid)"`} {
		if !strings.Contains(out, want) {
			t.Errorf("KEEP=1 make demo does not print %q:\n%s", want, tail(out, 30))
		}
	}
	if n := len(outputsRE.FindAllString(out, -1)); n != 1 {
		t.Errorf("the demo prints its outputs %d times", n)
	}
	state := filepath.Join(sb.repo, ".build", "demo", "terraform.tfstate")
	before, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := run(false, ". .build/demo/env.sh && terraform -chdir=.build/demo plan -input=false -detailed-exitcode -no-color"); err != nil {
		t.Errorf("the kept session, used as printed, does not plan clean: %v\n%s", err, tail(out, 40))
	}

	out, err = run(false, "make demo")
	if err == nil {
		t.Errorf("make demo ran while a kept demo runs:\n%s", tail(out, 30))
	}
	if !strings.Contains(out, "a kept demo") || !strings.Contains(out, `kill "$(cat .build/demo/emulator.pid)"`) {
		t.Errorf("the refusal does not say how to stop the kept demo:\n%s", tail(out, 10))
	}
	if after, err := os.ReadFile(state); err != nil || !bytes.Equal(before, after) {
		t.Errorf("the refused demo touched the kept state (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(sb.repo, ".build", "demo.db")); err != nil {
		t.Errorf("the refused demo removed the kept data file: %v", err)
	}

	if out, err := run(false, `kill "$(cat .build/demo/emulator.pid)"; while kill -0 "$(cat .build/demo/emulator.pid)" 2>/dev/null; do sleep 0.1; done`); err != nil {
		t.Fatalf("stopping the kept demo as printed: %v\n%s", err, out)
	}
	out, err = run(false, "make demo")
	if err != nil {
		t.Fatalf("make demo after the kept one stopped: %v\n%s", err, tail(out, 60))
	}
	if !strings.Contains(out, "Next:") || !strings.Contains(out, "KEEP=1 make demo") || len(outputsRE.FindAllString(out, -1)) != 1 {
		t.Errorf("a plain demo prints its outputs once and says where to look next:\n%s", tail(out, 30))
	}
}
