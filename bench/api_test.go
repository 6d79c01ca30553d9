package bench

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"atip/internal/database"
	"atip/internal/database/dbtest"
)

// BenchmarkAPI measures authenticated API reads and page renders over
// loopback with 100,000 seeded records, on each engine. Each request kind
// is a sub-benchmark: b.N requests from 16 concurrent clients, reported as
// req/s and p50/p99 latency. Target (issue 2): at least 1,000 API reads/s
// with p99 under 50 ms on SQLite on a 2-core machine.
//
//	go test ./bench -run '^$' -bench 'API/sqlite' -benchtime 20000x
//
// The figures for the report come from the command (go run ./bench/load),
// which runs the same code with a fixed duration.
func BenchmarkAPI(b *testing.B) {
	for _, e := range dbtest.Engines {
		b.Run(string(e), func(b *testing.B) {
			u, keyFile := dbtest.NewURL(b, e)
			cfg := APIConfig{
				DBURL: u, Records: 100000, Pages: true,
				DBOptions: []database.Option{database.WithAuditKeyFile(filepath.Join(filepath.Dir(keyFile), "bench.key"))},
			}
			run, err := StartAPI(context.Background(), cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer run.Close()
			b.Logf("seeded %d records in %v", run.Seeded.Records(), run.Took)
			client := NewClient(16)
			reqs := append(run.APIRequests(), run.PageRequests()...)
			for _, req := range reqs {
				b.Run(req.Name, func(b *testing.B) {
					res, err := Run(context.Background(), client, run.URL(), req,
						Load{Concurrency: 16, Duration: 2 * time.Minute, MaxRequests: b.N, Warmup: 10})
					if err != nil {
						b.Fatal(err)
					}
					if res.Errors > 0 {
						b.Fatalf("%d of %d requests failed", res.Errors, res.Requests)
					}
					b.ReportMetric(res.Throughput(), "req/s")
					b.ReportMetric(ms(res.P50), "p50-ms")
					b.ReportMetric(ms(res.P99), "p99-ms")
					b.ReportMetric(0, "ns/op") // wall time per op is meaningless with concurrent clients
				})
			}
		})
	}
}
