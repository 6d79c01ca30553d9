package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"atip/bench/tipsgen"
	"atip/internal/networks"
)

// BenchmarkTipsScoreCLI runs `atip tips score` end to end in process —
// JSON decoding, lexicon, model, selectors, JSON encoding — and reports
// posts per second. Target: ≥ 20,000 posts/s on 2 cores.
//
//	go test -run '^$' -bench TipsScoreCLI -benchtime 3x ./cmd/atip
func BenchmarkTipsScoreCLI(b *testing.B) {
	const n = 50000
	var cpu time.Duration
	var size int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Fresh numbers every round: the phone memo must not make later
		// rounds look faster than a new day's posts would be.
		b.StopTimer()
		var in bytes.Buffer
		if err := tipsgen.WritePosts(&in, n, uint64(i+1)); err != nil {
			b.Fatal(err)
		}
		size += int64(in.Len())
		b.StartTimer()
		cpu0 := tipsgen.CPUTime()
		if _, _, err := scoreStream(context.Background(), bytes.NewReader(in.Bytes()), io.Discard, false, io.Discard); err != nil {
			b.Fatal(err)
		}
		cpu += tipsgen.CPUTime() - cpu0
	}
	b.SetBytes(size / int64(b.N))
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "posts/s")
	b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "posts/cpu-s")
}

// BenchmarkTipsNetworksCLI1M runs `atip tips networks` over one million
// synthetic scored posts read from a file. Target: ≤ 30 s on 2 cores.
//
//	go test -run '^$' -bench TipsNetworksCLI1M -benchtime 1x -timeout 20m ./cmd/atip
func BenchmarkTipsNetworksCLI1M(b *testing.B) {
	const n = 1_000_000
	path := filepath.Join(b.TempDir(), "scored.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := tipsgen.WriteScored(f, n, 1); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.ResetTimer()
	cpu0 := tipsgen.CPUTime()
	for i := 0; i < b.N; i++ {
		in, _ := os.Open(path)
		got, _, err := networksStream(context.Background(), in, io.Discard, false, io.Discard, networks.Options{})
		in.Close()
		if err != nil || got != n {
			b.Fatalf("networks: %d lines, %v", got, err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
	b.ReportMetric((tipsgen.CPUTime()-cpu0).Seconds()/float64(b.N), "cpu-s/run")
}
