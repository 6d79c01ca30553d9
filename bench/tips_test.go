package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"runtime"
	"sync"
	"testing"

	"atip/bench/tipsgen"
	"atip/internal/selectors"
	"atip/internal/tips"
)

// BenchmarkScoreEngine measures the pure engine (lexicon matching, model
// and selector extraction) on synthetic posts, on all available cores, and
// reports posts per second. The texts are the same every round, so from the
// second round on phone validation is memoised. The CLI target (≥ 20,000 posts/s on 2 cores,
// JSON included) is measured by BenchmarkTipsScoreCLI in cmd/atip.
func BenchmarkScoreEngine(b *testing.B) {
	var buf bytes.Buffer
	if err := tipsgen.WritePosts(&buf, 20000, 1); err != nil {
		b.Fatal(err)
	}
	var texts []string
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		var p struct{ Text string }
		json.Unmarshal(sc.Bytes(), &p)
		texts = append(texts, p.Text)
	}
	s, err := tips.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := tipsgen.CPUTime()
	workers := runtime.GOMAXPROCS(0)
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := w; k < len(texts); k += workers {
					s.Score(texts[k])
					selectors.Extract(texts[k])
				}
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(len(texts)*b.N)/b.Elapsed().Seconds(), "posts/s")
	b.ReportMetric(float64(len(texts)*b.N)/(tipsgen.CPUTime()-cpu0).Seconds(), "posts/cpu-s")
}

func TestGeneratorsAreDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	tipsgen.WriteScored(&a, 500, 7)
	tipsgen.WriteScored(&b, 500, 7)
	if !bytes.Equal(a.Bytes(), b.Bytes()) || bytes.Count(a.Bytes(), []byte("\n")) != 500 {
		t.Fatal("WriteScored is not deterministic or wrote the wrong number of lines")
	}
}
