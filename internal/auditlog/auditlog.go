// Package auditlog makes the audit trail tamper-evident. Each entry is
// encoded canonically and becomes a leaf of an RFC 6962 Merkle tree
// (golang.org/x/mod/sumdb/tlog); the tree's root at a given size is signed
// with an Ed25519 key kept outside the database (golang.org/x/mod/sumdb/note),
// giving a checkpoint. Anyone holding a checkpoint can later check that the
// log still contains exactly the entries it had then.
//
// The package is pure: it encodes, hashes, signs and verifies, and leaves
// storage to its caller (the database package).
package auditlog

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"atip"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// encodedEntry fixes the field names and order of the canonical encoding.
// Changing it changes every hash: add fields only with a new version tag.
type encodedEntry struct {
	V          int    `json:"v"`
	Seq        int64  `json:"seq"`
	At         string `json:"at"`
	ActorID    string `json:"actor"`
	ActorOrgID string `json:"actor_org"`
	Via        string `json:"via"`
	RemoteAddr string `json:"addr"`
	Action     string `json:"action"`
	RecordType string `json:"record_type"`
	RecordID   string `json:"record_id"`
	Outcome    string `json:"outcome"`
	Detail     string `json:"detail"`
	BreakGlass bool   `json:"break_glass"`
}

// Encode returns the canonical bytes of an entry: every field, the time in
// UTC with microsecond precision (what both database engines keep).
func Encode(e *atip.AuditEntry) []byte {
	b, err := json.Marshal(encodedEntry{
		V:          1,
		Seq:        e.Seq,
		At:         e.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z"),
		ActorID:    e.ActorID,
		ActorOrgID: e.ActorOrgID,
		Via:        string(e.Via),
		RemoteAddr: e.RemoteAddr,
		Action:     e.Action,
		RecordType: e.RecordType,
		RecordID:   e.RecordID,
		Outcome:    e.Outcome,
		Detail:     e.Detail,
		BreakGlass: e.BreakGlass,
	})
	if err != nil {
		// A struct of strings, ints and bools always marshals.
		panic("auditlog: encode: " + err.Error())
	}
	return b
}

// LeafHash is the Merkle leaf hash of an entry.
func LeafHash(e *atip.AuditEntry) tlog.Hash { return tlog.RecordHash(Encode(e)) }

// checkpointOrigin opens every checkpoint text, so that a signature over an
// ATIP audit checkpoint cannot be mistaken for one over anything else.
const checkpointOrigin = "atip audit log v1"

// Checkpoint is a signed statement of the tree's size and root hash.
type Checkpoint struct {
	Size int64
	Root tlog.Hash
}

// Text returns the signed body of the checkpoint.
func (c Checkpoint) Text() string {
	return fmt.Sprintf("%s\n%d\n%s\n", checkpointOrigin, c.Size, base64.StdEncoding.EncodeToString(c.Root[:]))
}

func parseCheckpointText(text string) (Checkpoint, error) {
	lines := strings.Split(text, "\n")
	if len(lines) != 4 || lines[0] != checkpointOrigin || lines[3] != "" {
		return Checkpoint{}, errors.New("not an ATIP audit checkpoint")
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 {
		return Checkpoint{}, errors.New("checkpoint has a bad tree size")
	}
	h, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(h) != tlog.HashSize {
		return Checkpoint{}, errors.New("checkpoint has a bad root hash")
	}
	var c Checkpoint
	c.Size = n
	copy(c.Root[:], h)
	return c, nil
}

// Key signs and verifies checkpoints.
type Key struct {
	signer   note.Signer // nil when only the verifier key is known
	verifier note.Verifier
	vkey     string
}

// keyName names the key inside signed notes.
const keyName = "atip-audit"

// GenerateKey makes a new Ed25519 signing key.
func GenerateKey() (*Key, []byte, error) {
	skey, vkey, err := note.GenerateKey(rand.Reader, keyName)
	if err != nil {
		return nil, nil, err
	}
	file := []byte(skey + "\n" + vkey + "\n")
	k, err := ParseKey(file)
	return k, file, err
}

// ParseKey reads a key file: the note signer key on the first line and the
// verifier key on the second. A file with only a verifier key can verify
// checkpoints but not sign them (what a partner organisation would keep).
func ParseKey(file []byte) (*Key, error) {
	k := &Key{}
	for _, line := range strings.Split(strings.TrimSpace(string(file)), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "PRIVATE+KEY+"):
			s, err := note.NewSigner(line)
			if err != nil {
				return nil, errors.New("audit key file: bad signing key")
			}
			k.signer = s
		default:
			v, err := note.NewVerifier(line)
			if err != nil {
				return nil, errors.New("audit key file: bad verifier key")
			}
			k.verifier, k.vkey = v, line
		}
	}
	if k.verifier == nil {
		return nil, errors.New("audit key file: no verifier key")
	}
	if k.signer != nil && (k.signer.KeyHash() != k.verifier.KeyHash() || k.signer.Name() != k.verifier.Name()) {
		return nil, errors.New("audit key file: signing and verifier keys do not match")
	}
	return k, nil
}

// VerifierKey returns the public key in note format, for partners to keep.
func (k *Key) VerifierKey() string { return k.vkey }

// CanSign reports whether the key holds the private half.
func (k *Key) CanSign() bool { return k.signer != nil }

// Sign returns the signed note of a checkpoint.
func (k *Key) Sign(c Checkpoint) (string, error) {
	if k.signer == nil {
		return "", errors.New("audit key has no signing key")
	}
	b, err := note.Sign(&note.Note{Text: c.Text()}, k.signer)
	return string(b), err
}

// Open checks a signed checkpoint and returns what it states.
func (k *Key) Open(signed string) (Checkpoint, error) {
	n, err := note.Open([]byte(signed), note.VerifierList(k.verifier))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint signature does not verify with the audit key: %w", err)
	}
	return parseCheckpointText(n.Text)
}

// LoadOrCreateKeyFile reads the key at path, or when the file does not exist
// and create is true, generates one and writes it with mode 0600.
func LoadOrCreateKeyFile(path string, create bool) (*Key, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return ParseKey(b)
	}
	if !errors.Is(err, os.ErrNotExist) || !create {
		return nil, fmt.Errorf("audit key file: %w", err)
	}
	k, file, err := GenerateKey()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit key file: %w", err)
	}
	// O_EXCL: two processes starting at once must not each write a key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("audit key file: %w", err)
		}
		return ParseKey(b)
	} else if err != nil {
		return nil, fmt.Errorf("audit key file: %w", err)
	}
	if _, err := f.Write(file); err != nil {
		f.Close()
		return nil, fmt.Errorf("audit key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("audit key file: %w", err)
	}
	return k, f.Close()
}

// Tree is a Merkle tree held in memory, used to recompute a log's hashes.
type Tree struct {
	n      int64
	hashes []tlog.Hash
}

// Size returns the number of leaves.
func (t *Tree) Size() int64 { return t.n }

// ReadHashes implements tlog.HashReader.
func (t *Tree) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		if x < 0 || x >= int64(len(t.hashes)) {
			return nil, fmt.Errorf("hash %d not stored", x)
		}
		out[i] = t.hashes[x]
	}
	return out, nil
}

// Append adds a leaf.
func (t *Tree) Append(leaf tlog.Hash) error {
	hs, err := tlog.StoredHashesForRecordHash(t.n, leaf, t)
	if err != nil {
		return err
	}
	t.hashes = append(t.hashes, hs...)
	t.n++
	return nil
}

// Root returns the root hash of the first n leaves.
func (t *Tree) Root(n int64) (tlog.Hash, error) { return tlog.TreeHash(n, t) }
