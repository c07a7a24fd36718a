package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

func cmdLoad(args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	emu := fs.String("emulator", "", "emulator URL")
	tok := fs.String("token", "", "API token")
	dur := fs.Duration("duration", 3*time.Second, "how long to load")
	conc := fs.Int("conc", 16, "concurrent keep-alive connections")
	results := fs.String("results", "", "results file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	c, err := client.New(client.Config{Endpoint: *emu, Token: *tok})
	if err != nil {
		return err
	}
	p, err := c.CreatePlan(ctx, api.PlanInput{Tier: "premium", Region: catalog.DefaultRegion})
	if err != nil {
		return err
	}
	ws, err := c.CreateWorkspace(ctx, api.WorkspaceInput{Name: "Load", Subdomain: fmt.Sprintf("load-%d", time.Now().UnixNano()%1e9), PlanID: p.ID})
	if err != nil {
		return err
	}
	url := strings.TrimRight(*emu, "/") + "/v1/workspaces/" + ws.ID
	tr := &http.Transport{MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc}
	hc := &http.Client{Transport: tr}
	var ok, failed atomic.Int64
	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	start := time.Now()
	for range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("Authorization", "Bearer "+*tok)
			for time.Now().Before(deadline) {
				res, err := hc.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == 200 {
					ok.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	r := Result{Kind: "emulator-load", Phase: "GET", Seconds: elapsed.Seconds(), ReqPerSec: float64(ok.Load()) / elapsed.Seconds(),
		Conc: *conc, Failed: failed.Load()}
	fmt.Printf("    emulator GET /v1/workspaces/{id} over loopback: %.0f req/s (%d connections, %.1f s, %d failed; load generator on the same cores)\n",
		r.ReqPerSec, r.Conc, r.Seconds, r.Failed)
	_ = c.DeleteWorkspace(ctx, ws.ID)
	return appendResult(*results, r)
}
