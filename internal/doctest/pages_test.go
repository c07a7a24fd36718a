package doctest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The provider's index page links every guide (the Registry lists guides,
// but a reader of the index should find them too).
func TestIndexLinksEveryGuide(t *testing.T) {
	index := read(t, "docs/index.md")
	guides, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "guides", "*.md"))
	if len(guides) == 0 {
		t.Fatal("no guides")
	}
	for _, g := range guides {
		if link := "(guides/" + filepath.Base(g) + ")"; !strings.Contains(index, link) {
			t.Errorf("docs/index.md does not link %s: add it to templates/index.md.tmpl", link)
		}
	}
}

var linkRE = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// Every relative link of the README, the index and the guides leads to a
// file that exists, and to a heading of it when it names one.
func TestRelativeLinksResolve(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "guides", "*.md"))
	pages = append(pages, filepath.Join(repoRoot, "docs", "index.md"), filepath.Join(repoRoot, "README.md"))
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range linkRE.FindAllStringSubmatch(string(b), -1) {
			link := m[1]
			if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(link, "#")
			target := p
			if file != "" {
				target = filepath.Join(filepath.Dir(p), file)
			}
			info, err := os.Stat(target)
			if err != nil {
				t.Errorf("%s: link %s: %v", rel(p), link, err)
				continue
			}
			if anchor != "" && !info.IsDir() && !hasAnchor(t, target, anchor) {
				t.Errorf("%s: link %s: no heading with the anchor #%s in %s", rel(p), link, anchor, rel(target))
			}
		}
	}
}

// Resource pages: Example Usage first, every default timeout, the import
// block by ID (Terraform 1.5+) as well as by identity and the CLI.
func TestResourcePages(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "resources", "*.md"))
	for _, p := range pages {
		s := read(t, rel(p))
		ex := strings.Index(s, "## Example Usage")
		if ex < 0 {
			t.Errorf("%s: no Example Usage", rel(p))
		}
		if d := strings.Index(s, "\n## "); d >= 0 && d+1 < ex {
			t.Errorf("%s: a section (%q) comes before Example Usage", rel(p), strings.SplitN(s[d+1:], "\n", 2)[0])
		}
		imp := strings.Index(s, "## Import")
		if imp < 0 || !regexp.MustCompile(`(?s)import \{\s+to = \S+\s+id = "`).MatchString(s[imp:]) {
			t.Errorf("%s: the Import section shows no import block by ID", rel(p))
		}
		if strings.Contains(s, "`timeouts`") && !strings.Contains(s, "default `") {
			t.Errorf("%s: the timeouts' defaults are not documented", rel(p))
		}
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, p))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func rel(p string) string {
	r, err := filepath.Rel(repoRoot, p)
	if err != nil {
		return p
	}
	return r
}

var slugDrop = regexp.MustCompile(`[^a-z0-9 _-]`)

// hasAnchor says whether a Markdown file has a heading whose GitHub anchor is a.
func hasAnchor(t *testing.T, file, a string) bool {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.TrimSpace(strings.TrimLeft(line, "#"))
		if strings.ReplaceAll(slugDrop.ReplaceAllString(strings.ToLower(h), ""), " ", "-") == a {
			return true
		}
	}
	return false
}

// Every admin route of the emulator's OpenAPI document has a row in the
// emulator guide's admin table.
func TestEmulatorGuideListsEveryAdminRoute(t *testing.T) {
	doc := read(t, "internal/emulator/openapi.yaml")
	guide := read(t, "docs/guides/emulator.md")
	param := regexp.MustCompile(`\{[^}]+\}`)
	norm := func(s string) string { return param.ReplaceAllString(s, "{}") }
	routes := regexp.MustCompile(`(?m)^  (/admin/v1/\S+):`).FindAllStringSubmatch(doc, -1)
	if len(routes) == 0 {
		t.Fatal("no admin route in openapi.yaml")
	}
	var rows []string
	for _, l := range strings.Split(guide, "\n") {
		if strings.HasPrefix(l, "| `") && strings.Contains(l, "/admin/v1/") {
			rows = append(rows, norm(strings.SplitN(strings.ReplaceAll(l, `\|`, "/"), "|", 3)[1]))
		}
	}
	for _, m := range routes {
		found := false
		for _, r := range rows {
			if strings.Contains(r, norm(m[1])+"`") || strings.Contains(r, norm(m[1])+"[") {
				found = true
			}
		}
		if !found {
			t.Errorf("docs/guides/emulator.md: the admin table has no row for %s", m[1])
		}
	}
}
