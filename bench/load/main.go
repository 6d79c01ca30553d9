// Command load measures ATIP's authenticated API reads and page renders
// under concurrent load on loopback, against a database it seeds with many
// synthetic records, and prints throughput and p50/p99 latencies.
//
//	go run ./bench/load                                   # SQLite in a temporary directory
//	go run ./bench/load -db 'postgres://postgres@127.0.0.1:5432/atip_bench?sslmode=disable'
//
// The PostgreSQL database must exist and be empty (it is migrated and
// seeded); use a throw-away one. Runs are bounded by -duration per request
// kind and by -requests in all per kind.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"time"

	"atip/bench"
	"atip/internal/database"
)

func main() {
	db := flag.String("db", "", "database: a postgres:// URL of an empty database, or a SQLite file path (default: a new SQLite file in a temporary directory)")
	records := flag.Int("records", 100000, "synthetic records to seed")
	conc := flag.Int("c", 16, "concurrent clients")
	dur := flag.Duration("duration", 10*time.Second, "longest measurement per request kind")
	reqs := flag.Int("requests", 50000, "most requests per request kind")
	pages := flag.Bool("pages", true, "also measure server-rendered pages")
	flag.Parse()
	if err := run(*db, *records, *conc, *dur, *reqs, *pages); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(dbURL string, records, conc int, dur time.Duration, reqs int, pages bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	dir, err := os.MkdirTemp("", "atip-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if dbURL == "" {
		dbURL = filepath.Join(dir, "atip.db")
	}
	t, err := database.ParseURL(dbURL)
	if err != nil {
		return err
	}
	fmt.Printf("engine %s, %d records, %d clients, at most %v or %d requests per kind, GOMAXPROCS %d\n",
		t.Engine, records, conc, dur, reqs, runtime.GOMAXPROCS(0))
	cfg := bench.APIConfig{
		DBURL: dbURL, Records: records, Pages: pages,
		DBOptions: []database.Option{database.WithAuditKeyFile(filepath.Join(dir, "audit.key"))},
		Load:      bench.Load{Concurrency: conc, Duration: dur, MaxRequests: reqs, Warmup: 20},
		Progress:  func(f string, a ...any) { fmt.Printf(f+"\n", a...) },
	}
	return bench.RunAPIBench(ctx, cfg, func(r bench.Result) { fmt.Println(r) })
}
