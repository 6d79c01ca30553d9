package auditlog

import (
	"fmt"
	"sort"

	"atip"

	"golang.org/x/mod/sumdb/tlog"
)

// Problem is the first thing wrong with a log.
type Problem struct {
	Seq     int64  // the first entry concerned
	Kind    string // edited, deleted, inserted, reordered, rewritten, checkpoint
	Message string
}

func (p *Problem) Error() string { return p.Message }

// Result is what Verify found.
type Result struct {
	Entries     int64 // entries read
	Checkpoints int   // checkpoints compared with the recomputed tree
	Latest      int64 // size of the latest signed checkpoint
	Problem     *Problem
}

// OK reports whether the log verified.
func (r *Result) OK() bool { return r.Problem == nil }

// StoredLog is a log as its store holds it.
type StoredLog struct {
	// Next returns the entries in ascending Seq order, and nil after the last.
	Next func() (*atip.AuditEntry, error)
	// Leaf returns the stored leaf hash of entry seq, if stored.
	Leaf func(seq int64) (tlog.Hash, bool)
	// Checkpoints are the signed checkpoints in the store, any order.
	Checkpoints []string
	// Trusted are checkpoints kept outside the store (by a partner, or
	// exported earlier); the log must still contain what they state.
	Trusted []string
}

// lookahead is how many entries past a mismatch are read to tell an edit
// from an insertion, a deletion or a reordering.
const lookahead = 64

// Verify recomputes every leaf hash from the entries' content, checks them
// against the stored hashes, rebuilds the tree and checks it against every
// stored and trusted checkpoint, and names the first entry that was edited,
// deleted, inserted or reordered. The error is for failures to read; what is
// wrong with the log is in Result.Problem.
func Verify(key *Key, log StoredLog) (*Result, error) {
	res := &Result{}
	type cp struct {
		Checkpoint
		signed  string
		trusted bool
	}
	var cps []cp
	for _, s := range log.Checkpoints {
		c, err := key.Open(s)
		if err != nil {
			// Checked in full below only if it matters; an unreadable stored
			// checkpoint is itself a finding.
			res.Problem = &Problem{Seq: -1, Kind: "checkpoint", Message: "a stored checkpoint does not verify with the audit key: it was forged or damaged"}
			return res, nil
		}
		cps = append(cps, cp{c, s, false})
	}
	for _, s := range log.Trusted {
		c, err := key.Open(s)
		if err != nil {
			return nil, fmt.Errorf("trusted checkpoint: %w", err)
		}
		cps = append(cps, cp{c, s, true})
	}
	sort.SliceStable(cps, func(i, j int) bool { return cps[i].Size < cps[j].Size })
	for _, c := range cps {
		if !c.trusted && c.Size > res.Latest {
			res.Latest = c.Size
		}
	}

	var (
		tree     Tree
		ci       int   // next checkpoint to check
		lastGood int64 // size of the last checkpoint that matched
	)
	checkUpTo := func(n int64) *Problem {
		for ci < len(cps) && cps[ci].Size <= n {
			c := cps[ci]
			ci++
			root, err := tree.Root(c.Size)
			if err != nil {
				return &Problem{Seq: c.Size, Kind: "checkpoint", Message: err.Error()}
			}
			res.Checkpoints++
			if root != c.Root {
				return rewritten(lastGood, c.Size)
			}
			lastGood = c.Size
		}
		return nil
	}
	if p := checkUpTo(0); p != nil {
		res.Problem = p
		return res, nil
	}

	for {
		e, err := log.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		n := tree.Size()
		res.Entries++
		if e.Seq > n {
			res.Problem = &Problem{Seq: n, Kind: "deleted",
				Message: fmt.Sprintf("entry %d was deleted: the log jumps from %d to %d", n, n-1, e.Seq)}
			return res, nil
		}
		if e.Seq < n {
			res.Problem = &Problem{Seq: e.Seq, Kind: "inserted",
				Message: fmt.Sprintf("entry %d appears twice", e.Seq)}
			return res, nil
		}
		stored, ok := log.Leaf(n)
		if !ok {
			res.Problem = &Problem{Seq: n, Kind: "inserted",
				Message: fmt.Sprintf("entry %d was inserted: it is not in the Merkle tree", n)}
			return res, nil
		}
		leaf := LeafHash(e)
		if leaf != stored {
			ahead := []*atip.AuditEntry{e}
			for len(ahead) < lookahead {
				x, err := log.Next()
				if err != nil {
					return nil, err
				}
				if x == nil {
					break
				}
				ahead = append(ahead, x)
			}
			res.Problem = classify(n, ahead, log.Leaf)
			return res, nil
		}
		if err := tree.Append(leaf); err != nil {
			return nil, err
		}
		if p := checkUpTo(tree.Size()); p != nil {
			res.Problem = p
			return res, nil
		}
	}
	n := tree.Size()
	if ci < len(cps) {
		c := cps[len(cps)-1]
		res.Problem = &Problem{Seq: n, Kind: "deleted",
			Message: fmt.Sprintf("entries %d to %d were deleted: the log has %d entries but a signed checkpoint covers %d", n, c.Size-1, n, c.Size)}
		return res, nil
	}
	if n > res.Latest {
		// atip writes an entry's hashes and a checkpoint covering it in one
		// transaction; entries whose hashes are stored but that no
		// checkpoint covers lost their checkpoints, or were forged together
		// with their hashes.
		res.Problem = &Problem{Seq: res.Latest, Kind: "checkpoint",
			Message: fmt.Sprintf("entries %d to %d are not covered by any signed checkpoint: checkpoints were deleted, or entries forged with their hashes", res.Latest, n-1)}
		return res, nil
	}
	return res, nil
}

func rewritten(from, to int64) *Problem {
	if to-from == 1 {
		return &Problem{Seq: from, Kind: "rewritten",
			Message: fmt.Sprintf("entry %d was edited together with its stored hashes: the tree no longer matches the signed checkpoint of size %d", from, to)}
	}
	return &Problem{Seq: from, Kind: "rewritten",
		Message: fmt.Sprintf("an entry between %d and %d was edited together with the stored hashes: the tree no longer matches the signed checkpoint of size %d", from, to-1, to)}
}

// classify explains a leaf mismatch at position p. ahead[0] is the entry
// stored at p, the rest are the entries after it.
func classify(p int64, ahead []*atip.AuditEntry, leaf func(int64) (tlog.Hash, bool)) *Problem {
	// matches reports whether entry e, were it at position q, is the entry
	// originally appended at q.
	matches := func(e *atip.AuditEntry, q int64) bool {
		h, ok := leaf(q)
		if !ok {
			return false
		}
		c := *e
		c.Seq = q
		return LeafHash(&c) == h
	}
	// Does the entry now at p belong further on? Then entries were removed
	// before it, or it swapped places with a later one.
	for q := p + 1; q < p+int64(lookahead); q++ {
		if !matches(ahead[0], q) {
			continue
		}
		for _, later := range ahead[1:] {
			if matches(later, p) {
				return &Problem{Seq: p, Kind: "reordered",
					Message: fmt.Sprintf("entries %d and %d were reordered", p, q)}
			}
		}
		return &Problem{Seq: p, Kind: "deleted",
			Message: fmt.Sprintf("entry %d was deleted and the later entries renumbered", p)}
	}
	// Does the original entry p come later? Then something was put before it.
	for _, later := range ahead[1:] {
		if matches(later, p) {
			return &Problem{Seq: p, Kind: "inserted",
				Message: fmt.Sprintf("an entry was inserted at %d and the later entries renumbered", p)}
		}
	}
	return &Problem{Seq: p, Kind: "edited",
		Message: fmt.Sprintf("entry %d was edited: its content no longer matches its hash", p)}
}
