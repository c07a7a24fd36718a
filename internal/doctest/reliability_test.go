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
