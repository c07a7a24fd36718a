package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// runMeta is what the page says of the run besides its results: when and
// where it ran and what it measured. bench.sh hands it over in BENCH_*
// variables; `report -meta-out` keeps it beside the results, and `report
// -meta` reads it back, so the page can be written again from the kept
// results (after the notes change) exactly as the run wrote it.
type runMeta struct {
	Date             string `json:"date"`
	TerraformVersion string `json:"terraform_version"`
	Scope            string `json:"scope"`
	LoadAvg          string `json:"loadavg"`
	Latency          string `json:"latency"`
	PeerSkipped      string `json:"peer_skipped"`
}

// metaVars are the variables of runMeta's fields (the report reads them).
func (m *runMeta) vars() map[string]*string {
	return map[string]*string{"BENCH_DATE": &m.Date, "BENCH_SCOPE": &m.Scope, "BENCH_LOADAVG": &m.LoadAvg,
		"BENCH_LATENCY": &m.Latency, "BENCH_PEER_SKIPPED": &m.PeerSkipped}
}

// metaFromEnv is this run's metadata: the variables bench.sh set, the
// Terraform version line, and now when BENCH_DATE is not set.
func metaFromEnv(tfVersion string) runMeta {
	m := runMeta{TerraformVersion: tfVersion}
	for name, field := range m.vars() {
		*field = os.Getenv(name)
	}
	if m.Date == "" {
		m.Date = time.Now().UTC().Format("2006-01-02 15:04 MST")
	}
	return m
}

// loadMeta reads a kept run's metadata and sets the variables the report
// reads from it.
func loadMeta(path string) (runMeta, error) {
	var m runMeta
	b, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	if m.Date == "" || m.TerraformVersion == "" {
		return m, fmt.Errorf("%s: date and terraform_version are required", path)
	}
	for name, field := range m.vars() {
		if err := os.Setenv(name, *field); err != nil {
			return m, err
		}
	}
	return m, nil
}

func (m runMeta) write(path string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
