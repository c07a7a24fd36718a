package doctest

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// testFuncs maps the name of every Test, Fuzz and Benchmark function of the
// repository's test files to the package directory that holds it.
func testFuncs(t *testing.T) map[string]string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Benchmark)\w*)\(\w+ \*testing\.[TFB]\)`)
	out := map[string]string{}
	err := filepath.WalkDir(filepath.Join(repoRoot, "internal"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			out[m[1]] = filepath.Dir(p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The reliability guide's tables map claims to tests. Every test a row
// names exists (a name ending in * matches at least one), every test file it
// names exists, and every row names something `make test` runs: a Test or
// Fuzz function or a test file, not only a benchmark (`make bench` runs
// those, and never fails on a claim).
func TestReliabilityGuideNamesTestsThatRun(t *testing.T) {
	funcs := testFuncs(t)
	guide := read(t, "templates/guides/reliability.md.tmpl")
	code := regexp.MustCompile("`([^`]+)`")
	rows := 0
	inTable, claims := false, false // in a table; in one that maps claims to tests
	for _, line := range strings.Split(guide, "\n") {
		if !strings.HasPrefix(line, "|") {
			inTable = false
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if !inTable { // the header row
			inTable = true
			claims = len(cells) == 2 && (cells[0] == "claim" && cells[1] == "test" || cells[0] == "test" && cells[1] == "proves")
			continue
		}
		if !claims || strings.HasPrefix(cells[0], "---") {
			continue
		}
		rows++
		runs := false
		for _, m := range code.FindAllStringSubmatch(line, -1) {
			name := m[1]
			switch {
			case regexp.MustCompile(`^(Test|Fuzz|Benchmark)\w*\*?$`).MatchString(name):
				found := false
				for f := range funcs {
					if f == name || strings.HasSuffix(name, "*") && strings.HasPrefix(f, strings.TrimSuffix(name, "*")) {
						found = true
						if !strings.HasPrefix(f, "Benchmark") {
							runs = true
						}
					}
				}
				if !found {
					t.Errorf("the reliability guide names %s, which no test file defines:\n%s", name, line)
				}
			case strings.HasSuffix(name, "_test.go"):
				if _, err := os.Stat(filepath.Join(repoRoot, name)); err != nil {
					if !strings.Contains(name, "/") {
						continue // a file named beside a test, e.g. (`list_protocol_test.go`)
					}
					t.Errorf("the reliability guide names %s: %v", name, err)
				} else {
					runs = true
				}
			}
		}
		if !runs {
			t.Errorf("a row of the reliability guide names no test that make test runs:\n%s", line)
		}
	}
	if rows < 15 {
		t.Fatalf("found %d rows in the reliability guide's tables", rows)
	}
}

// Every fuzz target is in the GNUmakefile's FUZZ_TARGETS (so `make fuzz`
// explores it) and keeps a seed corpus in its package's testdata/fuzz/ (run
// by make test), as the reliability guide says.
func TestEveryFuzzTargetHasACorpus(t *testing.T) {
	mk := read(t, "GNUmakefile")
	m := regexp.MustCompile(`(?s)\nFUZZ_TARGETS\s*:=(.*?)\n\S`).FindStringSubmatch(mk)
	if m == nil {
		t.Fatal("no FUZZ_TARGETS in the GNUmakefile")
	}
	listed := map[string]string{}
	for _, f := range strings.Fields(strings.ReplaceAll(m[1], "\\", " ")) {
		pkg, name, ok := strings.Cut(f, ":")
		if !ok {
			t.Fatalf("FUZZ_TARGETS entry %q is not package:Name", f)
		}
		listed[name] = filepath.Join(repoRoot, pkg)
	}
	targets := 0
	for name, dir := range testFuncs(t) {
		if !strings.HasPrefix(name, "Fuzz") {
			continue
		}
		targets++
		if listed[name] != dir {
			t.Errorf("%s (%s) is not in the GNUmakefile's FUZZ_TARGETS as %s:%s", name, rel(dir), rel(dir), name)
		}
		seeds, _ := filepath.Glob(filepath.Join(dir, "testdata", "fuzz", name, "*"))
		if len(seeds) == 0 {
			t.Errorf("%s has no seed corpus in %s", name, rel(filepath.Join(dir, "testdata", "fuzz", name)))
		}
	}
	if targets != len(listed) || targets == 0 {
		t.Errorf("%d fuzz targets, %d in FUZZ_TARGETS", targets, len(listed))
	}
}
