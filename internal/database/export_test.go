package database

import (
	"sync"
	"testing"

	"atip"
	"atip/internal/auditlog"

	"golang.org/x/mod/sumdb/tlog"
)

// testTrees lets the tamper test rebuild stored hashes as an attacker would.
var (
	testTreesMu sync.Mutex
	testTrees   = map[testing.TB]*auditlog.Tree{}
)

// StoredHashesFor appends e as leaf n of a per-test tree and returns the
// stored hashes that leaf adds, by index.
func StoredHashesFor(t testing.TB, e *atip.AuditEntry, n int) map[int64]tlog.Hash {
	testTreesMu.Lock()
	tr := testTrees[t]
	if tr == nil {
		tr = &auditlog.Tree{}
		testTrees[t] = tr
	}
	testTreesMu.Unlock()
	before := tlog.StoredHashCount(int64(n))
	if err := tr.Append(auditlog.LeafHash(e)); err != nil {
		t.Fatal(err)
	}
	out := map[int64]tlog.Hash{}
	after := tlog.StoredHashCount(int64(n + 1))
	hs, err := tr.ReadHashes(seqRange(before, after))
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hs {
		out[before+int64(i)] = h
	}
	return out
}

func seqRange(a, b int64) []int64 {
	var out []int64
	for i := a; i < b; i++ {
		out = append(out, i)
	}
	return out
}
