package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Request is one kind of request the load generator sends: Path picks a URL
// (relative to the server) with the worker's random source, so every worker
// reads different records; Header sets credentials.
type Request struct {
	Name   string
	Path   func(r *rand.Rand) string
	Header http.Header
	// Want is the status a correct answer has; anything else counts as an
	// error (the figures of a run with errors are not to be trusted).
	Want int
}

// Load says how hard and how long to push.
type Load struct {
	Concurrency int           // simultaneous clients
	Duration    time.Duration // stop after this long…
	MaxRequests int           // …or after this many requests in all, whichever comes first
	Warmup      int           // requests per kind sent (and not measured) before timing starts
}

// Result is what one kind of request measured.
type Result struct {
	Name     string
	Requests int
	Errors   int
	Elapsed  time.Duration
	P50, P99 time.Duration
	Max      time.Duration
}

// Throughput is requests per second.
func (r Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

func (r Result) String() string {
	return fmt.Sprintf("%-24s %8d req %6d err %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms",
		r.Name, r.Requests, r.Errors, r.Throughput(), ms(r.P50), ms(r.P99), ms(r.Max))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Run sends req to base under load and measures each request's latency,
// from writing the request to reading the last byte of the answer. Only
// loopback addresses should be given: this is a benchmark, not a tool.
func Run(ctx context.Context, client *http.Client, base string, req Request, l Load) (Result, error) {
	if l.Concurrency < 1 {
		l.Concurrency = 1
	}
	for i := range l.Warmup {
		r := rand.New(rand.NewPCG(uint64(i), 1))
		if status, err := get(ctx, client, base+req.Path(r), req.Header); err != nil {
			return Result{}, fmt.Errorf("%s: warm-up: %w", req.Name, err)
		} else if status != req.Want {
			return Result{}, fmt.Errorf("%s: warm-up: status %d, want %d", req.Name, status, req.Want)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, l.Duration)
	defer cancel()

	var sent atomic.Int64
	lat := make([][]time.Duration, l.Concurrency)
	errs := make([]int, l.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range l.Concurrency {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w)+1000, 2))
			for ctx.Err() == nil {
				if l.MaxRequests > 0 && sent.Add(1) > int64(l.MaxRequests) {
					return
				}
				t0 := time.Now()
				status, err := get(ctx, client, base+req.Path(r), req.Header)
				d := time.Since(t0)
				if err != nil && ctx.Err() != nil {
					return // cut off by the deadline: not a measurement
				}
				lat[w] = append(lat[w], d)
				if err != nil || status != req.Want {
					errs[w]++
				}
			}
		})
	}
	wg.Wait()
	res := Result{Name: req.Name, Elapsed: time.Since(start)}
	var all []time.Duration
	for w := range lat {
		all = append(all, lat[w]...)
		res.Errors += errs[w]
	}
	res.Requests = len(all)
	if len(all) == 0 {
		return res, fmt.Errorf("%s: no request completed", req.Name)
	}
	slices.Sort(all)
	res.P50 = all[len(all)*50/100]
	res.P99 = all[min(len(all)-1, len(all)*99/100)]
	res.Max = all[len(all)-1]
	return res, nil
}

func get(ctx context.Context, client *http.Client, url string, h http.Header) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// NewClient returns a client that keeps one connection per worker alive, as
// a busy integrating system would.
func NewClient(concurrency int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = concurrency * 2
	t.MaxIdleConnsPerHost = concurrency * 2
	t.Proxy = nil // loopback only, whatever the environment says
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}
