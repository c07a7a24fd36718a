package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// rssWatcher polls /proc for processes whose executable is match and keeps
// each one's VmHWM (peak resident set size, kB) as last seen.
type rssWatcher struct {
	match string
	peak  map[int]int64
}

func (w *rssWatcher) loop(stop <-chan struct{}) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		w.scan()
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

func (w *rssWatcher) scan() {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if _, seen := w.peak[pid]; !seen {
			exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
			if err != nil || exe != w.match {
				continue
			}
			w.peak[pid] = 0
		}
		if hwm := vmHWM(pid); hwm > w.peak[pid] {
			w.peak[pid] = hwm
		}
	}
}

func vmHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				v, _ := strconv.ParseInt(f[0], 10, 64)
				return v
			}
		}
	}
	return 0
}
