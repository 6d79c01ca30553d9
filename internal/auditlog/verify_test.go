package auditlog

import (
	"fmt"
	"testing"
	"time"

	"atip"

	"golang.org/x/mod/sumdb/tlog"
)

// memLog is a log as a store would hold it, built with this package.
type memLog struct {
	entries []*atip.AuditEntry
	leaves  []tlog.Hash
	cps     []string
}

func buildLog(t testing.TB, k *Key, n int) *memLog {
	var tr Tree
	m := &memLog{}
	for i := 0; i < n; i++ {
		e := &atip.AuditEntry{Seq: int64(i), At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), ActorID: "u", Via: atip.ViaWeb,
			Action: "x.view", RecordType: "x", RecordID: fmt.Sprint(i), Outcome: "ok"}
		m.entries = append(m.entries, e)
		h := LeafHash(e)
		m.leaves = append(m.leaves, h)
		if err := tr.Append(h); err != nil {
			t.Fatal(err)
		}
		root, _ := tr.Root(tr.Size())
		s, err := k.Sign(Checkpoint{Size: tr.Size(), Root: root})
		if err != nil {
			t.Fatal(err)
		}
		m.cps = append(m.cps, s)
	}
	return m
}

func (m *memLog) verify(k *Key) *Result {
	i := 0
	res, err := Verify(k, StoredLog{
		Next: func() (*atip.AuditEntry, error) {
			if i >= len(m.entries) {
				return nil, nil
			}
			i++
			return m.entries[i-1], nil
		},
		Leaf: func(seq int64) (tlog.Hash, bool) {
			if seq < 0 || seq >= int64(len(m.leaves)) {
				return tlog.Hash{}, false
			}
			return m.leaves[seq], true
		},
		Checkpoints: m.cps,
	})
	if err != nil {
		panic(err)
	}
	return res
}

// FuzzVerifyDetectsTampering applies a random edit, deletion, insertion or
// swap to a valid log (keeping the stored hashes and checkpoints) and
// checks that verification always fails, and never names an entry after
// the first one touched.
func FuzzVerifyDetectsTampering(f *testing.F) {
	k, _, _ := GenerateKey()
	for op := uint8(0); op < 4; op++ {
		f.Add(uint8(12), op, uint8(3), uint8(7))
	}
	f.Fuzz(func(t *testing.T, n, op, a, b uint8) {
		size := int(n%40) + 2
		m := buildLog(t, k, size)
		if res := m.verify(k); !res.OK() {
			t.Fatalf("untouched log fails: %v", res.Problem)
		}
		i, j := int(a)%size, int(b)%size
		first := i
		switch op % 4 {
		case 0: // edit
			c := *m.entries[i]
			c.Detail = "edited"
			m.entries[i] = &c
		case 1: // delete, with or without renumbering
			m.entries = append(m.entries[:i:i], m.entries[i+1:]...)
			if b%2 == 0 {
				for x := i; x < len(m.entries); x++ {
					c := *m.entries[x]
					c.Seq--
					m.entries[x] = &c
				}
			}
		case 2: // insert at i, renumbering the rest
			forged := &atip.AuditEntry{Seq: int64(i), Action: "forged", At: time.Unix(0, 0).UTC()}
			rest := append([]*atip.AuditEntry{forged}, m.entries[i:]...)
			for x := 1; x < len(rest); x++ {
				c := *rest[x]
				c.Seq++
				rest[x] = &c
			}
			m.entries = append(m.entries[:i:i], rest...)
		case 3: // swap two entries' places
			if i == j {
				return
			}
			if j < i {
				i, j = j, i
			}
			first = i
			ei, ej := *m.entries[i], *m.entries[j]
			ei.Seq, ej.Seq = ej.Seq, ei.Seq
			m.entries[i], m.entries[j] = &ej, &ei
		}
		res := m.verify(k)
		if res.OK() {
			t.Fatalf("op %d at %d,%d on %d entries passed verification", op%4, i, j, size)
		}
		if want := []string{"edited", "deleted", "inserted", "reordered"}[op%4]; res.Problem.Kind != want {
			t.Fatalf("op %d at %d,%d on %d entries: %s, want it called %s", op%4, i, j, size, res.Problem.Message, want)
		}
		if res.Problem.Seq > int64(first) {
			t.Fatalf("op %d at %d: problem named at %d, after the first entry touched: %s", op%4, first, res.Problem.Seq, res.Problem.Message)
		}
	})
}
