package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The benchmarks page and its chart are exactly what the kept results of the
// last run (internal/bench: results.jsonl, gobench.txt, run.json) and the
// notes produce: no table was edited by hand, and notes changed since the run
// were written into the page (`BENCH_REPORT_ONLY=1 make bench`).
func TestPageIsTheKeptRun(t *testing.T) {
	kept := filepath.Join("..", "..")
	root := filepath.Join(kept, "..", "..")
	t.Setenv("BENCH_NOTES_FILE", filepath.Join(kept, "notes.md"))
	for _, v := range []string{"BENCH_DATE", "BENCH_SCOPE", "BENCH_LOADAVG", "BENCH_LATENCY", "BENCH_PEER_SKIPPED"} {
		t.Setenv(v, "") // set by -meta from run.json, never by the environment of the test
	}
	out := filepath.Join(t.TempDir(), "benchmarks.md.tmpl")
	if err := cmdReport([]string{"-results", filepath.Join(kept, "results.jsonl"), "-gobench", filepath.Join(kept, "gobench.txt"),
		"-meta", filepath.Join(kept, "run.json"), "-out", out}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"benchmarks.md.tmpl", "benchmarks.svg"} {
		got, err := os.ReadFile(filepath.Join(filepath.Dir(out), name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(root, "templates", "guides", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("templates/guides/%s is not what the kept results and notes produce: run BENCH_REPORT_ONLY=1 make bench, then make docs", name)
		}
	}
}
