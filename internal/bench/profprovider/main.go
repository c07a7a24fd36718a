// Command profprovider is the Rocket.Chat provider with profiling, for
// `BENCH_PPROF=1 make bench` (or by hand): it serves exactly what main.go
// serves and, when BENCH_PROFILE_DIR is set, writes there per process:
// cpu-PID.pprof (the whole life of the process), heap-PID.pprof (taken when the
// heap in use was largest, sampled every 50 ms) and mem-PID.txt (runtime
// memory statistics at that moment and at exit). BENCH_MEMPROFILERATE sets
// runtime.MemProfileRate.
//
// To use it, build it under the provider's name into a copy of the mirror:
//
//	go build -o /tmp/m/registry.terraform.io/rocketchat/rocketchat/0.1.0/linux_amd64/terraform-provider-rocketchat_v0.1.0 ./internal/bench/profprovider
//
// point a CLI config's filesystem_mirror at /tmp/m, terraform init, then run
// terraform with BENCH_PROFILE_DIR set and read the profiles with go tool pprof.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/provider"
)

func main() {
	provider.TuneProcess()
	dir := os.Getenv("BENCH_PROFILE_DIR")
	var stop func()
	if dir != "" {
		stop = startProfiling(dir)
	}
	err := providerserver.Serve(context.Background(), provider.New("0.1.0-pprof"), providerserver.ServeOpts{
		Address:         "registry.terraform.io/rocketchat/rocketchat",
		ProtocolVersion: 6,
	})
	if stop != nil {
		stop()
	}
	if err != nil {
		log.Fatal(err)
	}
}

func startProfiling(dir string) func() {
	if v, err := strconv.Atoi(os.Getenv("BENCH_MEMPROFILERATE")); err == nil && v > 0 {
		runtime.MemProfileRate = v // e.g. 4096 for a fine-grained heap profile (slows the process down)
	}
	pid := os.Getpid()
	name := func(kind, ext string) string { return filepath.Join(dir, fmt.Sprintf("%s-%d.%s", kind, pid, ext)) }
	cpu, err := os.Create(name("cpu", "pprof"))
	if err == nil {
		_ = pprof.StartCPUProfile(cpu)
	}
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	memLine := func(what string, ms *runtime.MemStats) string {
		return fmt.Sprintf("%s: HeapInuse=%.1fMB HeapAlloc=%.1fMB HeapSys=%.1fMB StackInuse=%.1fMB Sys=%.1fMB NumGC=%d Goroutines=%d\n",
			what, mb(ms.HeapInuse), mb(ms.HeapAlloc), mb(ms.HeapSys), mb(ms.StackInuse), mb(ms.Sys), ms.NumGC, runtime.NumGoroutine())
	}
	var peakLine string
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			mu.Lock()
			if ms.HeapInuse > peak {
				peak = ms.HeapInuse
				peakLine = memLine("peak", &ms)
				if f, err := os.Create(name("heap", "pprof")); err == nil {
					_ = pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
			}
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		pprof.StopCPUProfile()
		if cpu != nil {
			cpu.Close()
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		_ = os.WriteFile(name("mem", "txt"), []byte(peakLine+memLine("exit", &ms)), 0o644)
	}
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
