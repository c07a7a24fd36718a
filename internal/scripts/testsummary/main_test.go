package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"x/p","Test":"TestA"}`,
		`{"Action":"output","Package":"x/p","Test":"TestA","Output":"=== RUN   TestA\n"}`,
		`{"Action":"output","Package":"x/p","Test":"TestA","Output":"    a_test.go:9: Terraform CLI version 1.11.4 is below minimum version 1.14.0: skipping test\n"}`,
		`{"Action":"output","Package":"x/p","Test":"TestA","Output":"--- SKIP: TestA (0.01s)\n"}`,
		`{"Action":"skip","Package":"x/p","Test":"TestA"}`,
		`{"Action":"output","Package":"x/p","Test":"TestB","Output":"    b_test.go:3: boom\n"}`,
		`{"Action":"output","Package":"x/p","Test":"TestB","Output":"--- FAIL: TestB (0.01s)\n"}`,
		`{"Action":"fail","Package":"x/p","Test":"TestB"}`,
		`{"Action":"output","Package":"x/p","Test":"TestC","Output":"quiet\n"}`,
		`{"Action":"pass","Package":"x/p","Test":"TestC"}`,
		`{"Action":"output","Package":"x/p","Test":"TestD","Output":"panic: cut short\n"}`,
		`{"Action":"output","Package":"x/p","Output":"FAIL\tx/p\t0.1s\n"}`,
		`{"Action":"fail","Package":"x/p"}`,
		`{"Action":"output","Package":"x/q","Output":"ok  \tx/q\t0.2s\n"}`,
		`{"Action":"pass","Package":"x/q"}`,
	}, "\n")
	var out strings.Builder
	if run(strings.NewReader(in), &out, nil) {
		t.Fatal("a failed test was reported as a success")
	}
	got := out.String()
	for _, want := range []string{"b_test.go:3: boom", "panic: cut short", "--- FAIL: TestB", "FAIL\tx/p", "ok  \tx/q",
		"skipped: 1 test(s)", "1 x Terraform CLI version 1.11.4 is below minimum version 1.14.0: skipping test", "p.TestA"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "quiet") {
		t.Errorf("a passing test's output was printed:\n%s", got)
	}
	var ok strings.Builder
	if !run(strings.NewReader(`{"Action":"pass","Package":"x/q"}`), &ok, nil) || !strings.Contains(ok.String(), "skipped: none") {
		t.Fatal(ok.String())
	}
}

// -fail-skips fails a run in which a test skipped for a forbidden reason, and
// only then.
func TestSummaryFailSkips(t *testing.T) {
	skip := func(reason string) string {
		return strings.Join([]string{
			`{"Action":"output","Package":"x/p","Test":"TestA","Output":"    a_test.go:9: ` + reason + `\n"}`,
			`{"Action":"skip","Package":"x/p","Test":"TestA"}`,
			`{"Action":"output","Package":"x/p","Output":"ok  \tx/p\t0.1s\n"}`,
			`{"Action":"pass","Package":"x/p"}`,
		}, "\n")
	}
	re := regexp.MustCompile(`^needs a newer CLI: `)
	var out strings.Builder
	if run(strings.NewReader(skip("needs a newer CLI: actions: needs Terraform 1.14+; this is Terraform 1.11.4")), &out, re) {
		t.Fatalf("a forbidden skip passed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "FAIL: 1 test(s) skipped") {
		t.Errorf("no failure line:\n%s", out.String())
	}
	out.Reset()
	if !run(strings.NewReader(skip("-short: populates 100,000 objects")), &out, re) {
		t.Fatalf("another skip failed the run:\n%s", out.String())
	}
}
