//go:build race

package emulator

// raceDetector is true in a -race build, where decoding is several times
// slower: tests leave out steps whose cost is only a matter of time there.
const raceDetector = true
