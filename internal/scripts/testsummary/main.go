// Command testsummary reads `go test -json` on stdin and prints what plain
// `go test` prints (each package's closing line, the full output of every
// failed test, build errors), then how many tests were skipped and why. Some
// acceptance tests need a newer Terraform CLI than the one installed and
// skip themselves: `make test` says so instead of hiding it.
//
// It exits 1 when a test or a package failed, so a pipeline without
// pipefail still fails. With -fail-skips REGEXP it also exits 1 when a test
// skipped with a reason that matches: `make testacc STRICT_CLI=1` (CI under
// Terraform 1.14) allows no test to skip for want of a newer CLI.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

type summary struct {
	out     io.Writer
	buf     map[string][]string // output of each running test, by package + test
	skipped map[string][]string // reason -> "package.Test"
	failed  bool
}

// printf writes to the output; a failed write (a closed pipe) is not worth
// a report of its own.
func (s *summary) printf(format string, args ...any) { _, _ = fmt.Fprintf(s.out, format, args...) }

func key(e event) string { return e.Package + "\x00" + e.Test }

func (s *summary) add(e event) {
	switch {
	case e.Action == "build-output":
		s.printf("%s", e.Output)
	case e.Test == "":
		// Package-level lines: "ok  pkg 1.2s", "FAIL pkg", "--- FAIL" echoes, panics.
		if e.Action == "output" && !strings.HasPrefix(e.Output, "=== ") && !strings.HasPrefix(e.Output, "PASS") &&
			!strings.HasPrefix(e.Output, "testing: warning: no tests to run") {
			s.printf("%s", e.Output)
		}
		if e.Action == "fail" {
			s.failed = true
			s.flush(e.Package) // tests cut short by a panic or the timeout
		}
	case e.Action == "output":
		s.buf[key(e)] = append(s.buf[key(e)], e.Output)
	case e.Action == "fail":
		s.failed = true
		for _, line := range s.buf[key(e)] {
			s.printf("%s", line)
		}
		delete(s.buf, key(e))
	case e.Action == "skip":
		s.skipped[skipReason(s.buf[key(e)])] = append(s.skipped[skipReason(s.buf[key(e)])], shortPkg(e.Package)+"."+e.Test)
		delete(s.buf, key(e))
	case e.Action == "pass":
		delete(s.buf, key(e))
	}
}

// flush prints the output of the package's tests that never finished.
func (s *summary) flush(pkg string) {
	var keys []string
	for k := range s.buf {
		if strings.HasPrefix(k, pkg+"\x00") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, line := range s.buf[k] {
			s.printf("%s", line)
		}
		delete(s.buf, k)
	}
}

// skipReason is the message the test skipped with: its last output line
// that is not a framework line, without the file:line prefix.
func skipReason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- ") {
			continue
		}
		if _, msg, ok := strings.Cut(l, ".go:"); ok {
			if _, rest, ok := strings.Cut(msg, ": "); ok {
				return rest
			}
		}
		return l
	}
	return "(no reason given)"
}

func shortPkg(p string) string { return p[strings.LastIndex(p, "/")+1:] }

func (s *summary) report() {
	n := 0
	for _, tests := range s.skipped {
		n += len(tests)
	}
	if n == 0 {
		s.printf("skipped: none\n")
		return
	}
	s.printf("skipped: %d test(s)\n", n)
	reasons := make([]string, 0, len(s.skipped))
	for r := range s.skipped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		tests := s.skipped[r]
		sort.Strings(tests)
		s.printf("  %d x %s\n", len(tests), r)
		for _, t := range tests {
			s.printf("      %s\n", t)
		}
	}
}

// forbidden counts the skipped tests whose reason matches re.
func (s *summary) forbidden(re *regexp.Regexp) int {
	n := 0
	for reason, tests := range s.skipped {
		if re.MatchString(reason) {
			n += len(tests)
		}
	}
	return n
}

// run reads the events and reports; failSkips (nil: none) are the skip
// reasons that fail the run.
func run(in io.Reader, out io.Writer, failSkips *regexp.Regexp) bool {
	s := &summary{out: out, buf: map[string][]string{}, skipped: map[string][]string{}}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			s.printf("%s\n", sc.Text()) // not JSON (e.g. a vet or link error): show it
			continue
		}
		s.add(e)
	}
	s.report()
	if failSkips != nil {
		if n := s.forbidden(failSkips); n > 0 {
			s.printf("FAIL: %d test(s) skipped with a reason matching %q, and this run allows none\n", n, failSkips)
			return false
		}
	}
	return !s.failed
}

func main() {
	failSkips := flag.String("fail-skips", "", "exit 1 when a test skipped with a reason matching this regular expression")
	flag.Parse()
	var re *regexp.Regexp
	if *failSkips != "" {
		var err error
		if re, err = regexp.Compile(*failSkips); err != nil {
			fmt.Fprintf(os.Stderr, "testsummary: -fail-skips: %v\n", err)
			os.Exit(2)
		}
	}
	if !run(os.Stdin, os.Stdout, re) {
		os.Exit(1)
	}
}
