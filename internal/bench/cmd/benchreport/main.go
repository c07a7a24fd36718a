// Command benchreport is the Go half of `make bench` (internal/scripts/bench.sh):
//
//	benchreport gen    -kind rocketchat|noop|terraform_data -n N -dir DIR   write DIR/main.tf with N objects
//	benchreport gen    -kind peer-VARIANT -n N -dir DIR [-uri URL -token T]
//	                   N firewall rules only, in the workspaces of `benchreport seed` (the firewall rules scenario;
//	                   VARIANT: terraform_data, noop, rocketchat, rocketchat-set, restapi, restapi-v3)
//	benchreport seed   -n N -out FILE   the emulator seed of that scenario: the workspaces of N rules per variant
//	benchreport peer   the peer's releases measured, a line each: KIND VERSION ENV module@version|-
//	benchreport run    -kind K -n N -phase P -results F [-match BIN] [-emulator URL -admin-token T] -log L -- CMD...
//	                   run CMD, time it, watch the peak RSS (VmHWM) of processes running BIN,
//	                   count the emulator's requests, append one JSON line to F
//	benchreport load   -emulator URL -token T -duration D -conc C -results F   GET throughput of a running emulator
//	benchreport report -results F -gobench G -out FILE [-svg FILE]        print the tables, write the guide page and its chart
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchreport gen|seed|peer|run|load|report [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = cmdGen(os.Args[2:])
	case "seed":
		err = cmdSeed(os.Args[2:])
	case "peer":
		fmt.Print(peerLines())
	case "run":
		err = cmdRun(os.Args[2:])
	case "load":
		err = cmdLoad(os.Args[2:])
	case "report":
		err = cmdReport(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}
