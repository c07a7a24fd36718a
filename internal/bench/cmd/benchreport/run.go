package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

// Result is one line of the results file.
type Result struct {
	Kind     string         `json:"kind"`
	N        int            `json:"n"`
	Phase    string         `json:"phase"`
	Seconds  float64        `json:"seconds"`
	ExitCode int            `json:"exit_code"`
	Errors   int            `json:"errors"` // "Error:" lines in the output
	PeakRSS  int64          `json:"peak_rss_kb,omitempty"`
	Procs    int            `json:"provider_processes,omitempty"`
	Requests map[string]int `json:"requests,omitempty"`
	Rate     float64        `json:"rate_limit,omitempty"`
	// Rate-limited runs, from the emulator's request log: the time from the
	// first to the last /v1 request, and the answers accepted and refused (429).
	RequestSpan float64 `json:"request_span_seconds,omitempty"`
	Accepted    int     `json:"accepted,omitempty"`
	Refused     int     `json:"refused_429,omitempty"`
	// load results
	ReqPerSec float64 `json:"req_per_sec,omitempty"`
	Conc      int     `json:"concurrency,omitempty"`
	Failed    int64   `json:"failed,omitempty"`
}

func appendResult(file string, r Result) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewEncoder(f).Encode(r)
}

func cmdRun(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	kind := fs.String("kind", "", "configuration kind")
	n := fs.Int("n", 0, "objects")
	phase := fs.String("phase", "", "apply, plan or destroy")
	results := fs.String("results", "", "results file (JSON lines)")
	match := fs.String("match", "", "absolute path of the provider binary whose peak RSS is measured")
	emu := fs.String("emulator", "", "emulator URL (request counts)")
	adminTok := fs.String("admin-token", "", "emulator admin token")
	logFile := fs.String("log", "", "where the command's output goes")
	expect := fs.Int("expect-rc", 0, "fail unless the command exits with this code")
	rate := fs.Float64("rate-limit", 0, "the emulator's rate limit (recorded)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cmdArgs := fs.Args()
	if len(cmdArgs) == 0 {
		return errors.New("run: no command")
	}
	if *emu != "" {
		if err := admin(*emu, *adminTok, "DELETE", api.RouteAdminStats, nil); err != nil {
			return err
		}
	}
	out, err := os.Create(*logFile)
	if err != nil {
		return err
	}
	defer out.Close()
	var buf bytes.Buffer
	cmd := exec.Command(cmdArgs[0], cmdArgs[1:]...)
	cmd.Stdout = io.MultiWriter(out, &buf)
	cmd.Stderr = cmd.Stdout

	w := &rssWatcher{match: *match, peak: map[int]int64{}}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	if *match != "" {
		wg.Add(1)
		go func() { defer wg.Done(); w.loop(stop) }()
	}
	werr := cmd.Wait()
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	rc := 0
	if werr != nil {
		var ee *exec.ExitError
		if !errors.As(werr, &ee) {
			return werr
		}
		rc = ee.ExitCode()
	}
	r := Result{Kind: *kind, N: *n, Phase: *phase, Seconds: elapsed.Seconds(), ExitCode: rc, Rate: *rate,
		Errors: strings.Count(buf.String(), "Error: ")}
	for _, v := range w.peak {
		r.PeakRSS = max(r.PeakRSS, v)
	}
	r.Procs = len(w.peak)
	if *emu != "" {
		var st struct {
			Requests map[string]int `json:"requests"`
		}
		if err := admin(*emu, *adminTok, "GET", api.RouteAdminStats, &st); err != nil {
			return err
		}
		// Keep the public API only: the harness's own admin calls are not the provider's.
		r.Requests = map[string]int{}
		for k, v := range st.Requests {
			if strings.Contains(k, " /v1/") {
				r.Requests[k] = v
			}
		}
		if *rate > 0 {
			if err := requestSpan(*emu, *adminTok, start, &r); err != nil {
				return err
			}
		}
	}
	if err := appendResult(*results, r); err != nil {
		return err
	}
	rss := ""
	if r.PeakRSS > 0 {
		rss = fmt.Sprintf("  provider peak RSS %.1f MB (%d processes)", float64(r.PeakRSS)/1024, r.Procs)
	}
	reqs := ""
	if r.Requests != nil {
		// The peer scenario's configurations hold firewall rules only: no
		// breakdown by the generated unit's types.
		reqs = "  " + summarizeRequests(r.Requests, r.N, !strings.Contains(r.Phase, "-peer"))
	}
	fmt.Printf("    %-15s N=%-5d %-8s %7.2f s%s%s\n", r.Kind, r.N, r.Phase, r.Seconds, rss, reqs)
	if rc != *expect {
		tail := buf.String()
		if len(tail) > 4000 {
			tail = tail[len(tail)-4000:]
		}
		return fmt.Errorf("%s exited with %d (want %d); output in %s:\n%s", strings.Join(cmdArgs, " "), rc, *expect, *logFile, tail)
	}
	return nil
}

// requestSpan reads the emulator's request log (which must hold the whole
// run: the harness starts the rate-limited emulator with a large enough
// -request-log-size) and records when the run's /v1 requests began and ended,
// and how many were accepted and refused with 429.
func requestSpan(emu, tok string, since time.Time, r *Result) error {
	var log struct {
		Items []struct {
			Time   time.Time `json:"time"`
			Route  string    `json:"route"`
			Status int       `json:"status"`
		} `json:"items"`
	}
	if err := admin(emu, tok, "GET", fmt.Sprintf("%s?limit=%d", emulator.RouteAdminRequests, emulator.MaxRequestLogSize), &log); err != nil {
		return err
	}
	var first, last time.Time
	inRun := 0
	for _, it := range log.Items {
		if !strings.HasPrefix(it.Route, "/v1/") || it.Time.Before(since) {
			continue
		}
		inRun++
		switch {
		case it.Status == http.StatusTooManyRequests:
			r.Refused++
		case it.Status < 400:
			r.Accepted++
		}
		if first.IsZero() || it.Time.Before(first) {
			first = it.Time
		}
		if it.Time.After(last) {
			last = it.Time
		}
	}
	counted := 0
	for _, v := range r.Requests {
		counted += v
	}
	if inRun < counted {
		return fmt.Errorf("the emulator's request log holds %d requests of the %d made: start it with a larger -request-log-size", inRun, counted)
	}
	r.RequestSpan = last.Sub(first).Seconds()
	return nil
}

func admin(base, tok, method, path string, out any) error {
	req, err := http.NewRequest(method, strings.TrimRight(base, "/")+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s: %s", method, path, res.Status, body)
	}
	if out != nil {
		return json.Unmarshal(body, out)
	}
	return nil
}
