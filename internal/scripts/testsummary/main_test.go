package main

import (
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
	if run(strings.NewReader(in), &out) {
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
	if !run(strings.NewReader(`{"Action":"pass","Package":"x/q"}`), &ok) || !strings.Contains(ok.String(), "skipped: none") {
		t.Fatal(ok.String())
	}
}
