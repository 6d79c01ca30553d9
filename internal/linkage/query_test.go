package linkage

import (
	"testing"
	"time"
)

func TestQueryDevanagariMissingMatchesLatinRescue(t *testing.T) {
	missing := Record{ID: "m", Name: "रीना कुमारी", Sex: 'F', Age: 14, RecordedOn: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Guardian: "रमेश साह", District: "Sitamarhi", State: "Bihar", Country: "IN"}
	rescue := Record{ID: "r", Name: "Reena Kumari", Sex: 'F', Age: 15, RecordedOn: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
		Guardian: "Ramesh Sah", District: "Sitamarhi", State: "Bihar", Country: "IN"}
	other := Record{ID: "o", Name: "Sunita Devi", Sex: 'F', Age: 30, District: "Darjeeling", State: "West Bengal", Country: "IN"}
	ps := Query(rescue, []Record{missing, other}, nil, nil)
	if len(ps) != 2 || ps[0].Right != 0 || ps[1].Right != 1 {
		t.Fatalf("pairs %+v", ps)
	}
	if ps[0].Score < DefaultThreshold {
		t.Errorf("true match scored %.3f below the threshold: %s", ps[0].Score, ps[0].Explanation)
	}
	if ps[1].Score >= 0.05 {
		t.Errorf("another woman scored %.3f: %s", ps[1].Score, ps[1].Explanation)
	}
	if ps[0].Explanation.Fields[0].Field != "name" || ps[0].Explanation.Fields[0].Weight <= 0 {
		t.Errorf("name evidence %+v", ps[0].Explanation.Fields[0])
	}
	// Symmetric: the missing report asking finds the rescue with the same score.
	back := Query(missing, []Record{rescue}, nil, nil)
	if d := back[0].Score - ps[0].Score; d > 1e-9 || d < -1e-9 {
		t.Errorf("not symmetric: %.6f vs %.6f", back[0].Score, ps[0].Score)
	}
	t.Logf("match %.4f %s; other %.4f", ps[0].Score, ps[0].Explanation, ps[1].Score)
	// Without the guardian and with only the name, sex and age: a thin
	// record alone should not reach the queue.
	thin := Query(Record{ID: "t", Name: "Reena Kumari", Sex: 'F', Age: -1}, []Record{missing}, nil, nil)
	t.Logf("thin %.4f %s", thin[0].Score, thin[0].Explanation)
}
