// Package bench holds ATIP's performance and quality benchmarks.
//
// The linkage quality report (TestLinkageQuality, run with -v) and the
// speed benchmarks (BenchmarkLink1Mx200k, BenchmarkDedupe1M) are here; see
// the commands in the test comments.
package bench

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"atip/internal/linkage"
	"atip/internal/linkage/synth"
)

// TestLinkageQuality measures link on the synthetic benchmark at the
// default threshold and fails if quality falls below what this engine
// reached when it was written (a regression guard, not the target).
//
//	go test ./bench -run TestLinkageQuality -v
//
// Set ATIP_QUALITY_SWEEP=1 to print a sweep of thresholds as well.
func TestLinkageQuality(t *testing.T) {
	total := synth.Report{Threshold: linkage.DefaultThreshold, ByRegion: map[string]*synth.Counts{}, ByScript: map[string]*synth.Counts{}}
	add := func(dst map[string]*synth.Counts, src map[string]*synth.Counts) {
		for k, c := range src {
			if dst[k] == nil {
				dst[k] = &synth.Counts{}
			}
			dst[k].Add(*c)
		}
	}
	for seed := uint64(1); seed <= 3; seed++ {
		s := synth.Generate(synth.Config{Left: 4000, Right: 4000, Seed: seed})
		obs := synth.NewObserver(s)
		res := linkage.Link(s.Left, s.Right, linkage.Options{Threshold: 0.05, Observe: obs.Observe})
		rep := synth.Evaluate(s, res.Pairs, obs, linkage.DefaultThreshold)
		var b strings.Builder
		fmt.Fprintf(&b, "seed %d: %d × %d records, %d candidate pairs\n", seed, len(s.Left), len(s.Right), res.Stats.CandidatePairs)
		rep.Write(&b)
		if os.Getenv("ATIP_QUALITY_SWEEP") != "" {
			for _, th := range []float64{0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95} {
				r := synth.Evaluate(s, res.Pairs, obs, th)
				fmt.Fprintf(&b, "  threshold %.2f: precision %.4f recall %.4f F1 %.4f\n", th, r.All.Precision(), r.All.Recall(), r.All.F1())
			}
		}
		t.Log("\n" + b.String())
		total.All.Add(rep.All)
		add(total.ByRegion, rep.ByRegion)
		add(total.ByScript, rep.ByScript)
	}
	var b strings.Builder
	total.Write(&b)
	t.Logf("all seeds together:\n%s", b.String())
	if f1, c := total.All.F1(), total.All.Completeness(); f1 < 0.87 || c < 0.93 {
		t.Errorf("quality regressed: F1 %.4f (guard 0.87), completeness %.4f (guard 0.93)", f1, c)
	}
}

// cpuTime is the processor time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident memory in bytes (Linux), or 0.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb * 1024
		}
	}
	return 0
}

// BenchmarkLink1Mx200k links one million left records with 200,000 right
// ones (40% of the right records have a match). Generating the data is not
// timed; peak memory includes it. Run with:
//
//	go test ./bench -run XXX -bench Link1Mx200k -benchtime 1x -timeout 30m
func BenchmarkLink1Mx200k(b *testing.B) {
	benchLink(b, 1_000_000, 200_000)
}

// BenchmarkLink100kx20k is the same at a tenth of the size, for quick
// comparisons while working on the engine.
func BenchmarkLink100kx20k(b *testing.B) {
	benchLink(b, 100_000, 20_000)
}

func benchLink(b *testing.B, nl, nr int) {
	s := synth.Generate(synth.Config{Left: nl, Right: nr, Seed: 7})
	runtime.GC()
	b.ResetTimer()
	var res *linkage.Result
	cpu := cpuTime()
	for b.Loop() {
		res = linkage.Link(s.Left, s.Right, linkage.Options{})
	}
	b.StopTimer()
	report(b, res, cpuTime()-cpu)
	rep := synth.Evaluate(s, res.Pairs, nil, linkage.DefaultThreshold)
	b.ReportMetric(rep.All.F1(), "F1")
}

// BenchmarkDedupe1M groups one million records (a fifth of them a second
// record of someone else in the file). Run with:
//
//	go test ./bench -run XXX -bench Dedupe1M -benchtime 1x -timeout 30m
func BenchmarkDedupe1M(b *testing.B) {
	s := synth.Generate(synth.Config{Left: 800_000, Right: 200_000, Seed: 8})
	recs := append(s.Left, s.Right...)
	runtime.GC()
	b.ResetTimer()
	var res *linkage.Result
	cpu := cpuTime()
	for b.Loop() {
		res = linkage.Dedupe(recs, linkage.Options{})
	}
	b.StopTimer()
	report(b, res, cpuTime()-cpu)
}

// report adds the run's figures to the benchmark output. cpu is the
// processor time the run took: on a machine shared with other work, wall
// time overstates what the engine needs and cpu/GOMAXPROCS is the better
// estimate of wall time on an idle machine.
func report(b *testing.B, res *linkage.Result, cpu time.Duration) {
	st := res.Stats
	b.ReportMetric(cpu.Seconds(), "cpu-s")
	b.ReportMetric(float64(st.CandidatePairs), "pairs")
	b.ReportMetric(st.PairsPerSecond(), "pairs/s")
	b.ReportMetric(peakRSS()/(1<<30), "peak-GiB")
	b.Logf("cpu %v; records %d, candidate pairs %d, prepare %v, block %v, fit %v, score %v, total %v, %.2f M pairs/s, peak RSS %.2f GiB, %d pairs out, %d leads, GOMAXPROCS %d",
		cpu.Round(time.Millisecond), st.Records, st.CandidatePairs, st.Prepare.Round(time.Millisecond), st.Block.Round(time.Millisecond),
		st.Fit.Round(time.Millisecond), st.Score.Round(time.Millisecond), st.Total.Round(time.Millisecond),
		st.PairsPerSecond()/1e6, peakRSS()/(1<<30), len(res.Pairs), len(res.Leads), runtime.GOMAXPROCS(0))
}
