package seal

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fixed test keys: 32 bytes each, made obviously fake.
var (
	keyA = bytes.Repeat([]byte{0xA1}, KeySize)
	keyB = bytes.Repeat([]byte{0xB2}, KeySize)
)

const (
	rec1 = "0193c8e4-5b1a-7c2d-9e8f-0a1b7f3a91c2"
	rec2 = "0193c8e4-5b1a-7c2d-9e8f-0a1b7f3a91c3"
)

func ring(t testing.TB, keys ...[]byte) *Keyring {
	t.Helper()
	k, err := NewKeyring(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRoundTrip(t *testing.T) {
	k := ring(t, keyA)
	d, wrapped, err := k.NewDataKey(rec1)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"Rina Khatun", "रीना खातून", "", strings.Repeat("statement ", 1000)} {
		ct := d.SealString("name", v)
		if v != "" && bytes.Contains(ct, []byte(v)) {
			t.Fatalf("plaintext %q visible in ciphertext", v)
		}
		// Open with a data key unwrapped afresh, as a later request would.
		d2, err := k.OpenDataKey(rec1, wrapped)
		if err != nil {
			t.Fatal(err)
		}
		got, err := d2.OpenString("name", ct)
		if err != nil || got != v {
			t.Fatalf("round trip of %q: got %q, %v", v, got, err)
		}
	}
	if a, b := d.SealString("name", "Rina"), d.SealString("name", "Rina"); bytes.Equal(a, b) {
		t.Error("sealing the same value twice gives the same bytes: equal names would be visible as equal")
	}
}

// TestTamper flips every bit of a sealed value and of a wrapped key in turn:
// none may open.
func TestTamper(t *testing.T) {
	k := ring(t, keyA)
	d, wrapped, _ := k.NewDataKey(rec1)
	ct := d.SealString("name", "Rina Khatun")
	for i := range len(ct) * 8 {
		bad := bytes.Clone(ct)
		bad[i/8] ^= 1 << (i % 8)
		if _, err := d.Open("name", bad); !errors.Is(err, ErrOpen) {
			t.Fatalf("bit %d flipped in the sealed value: got %v, want ErrOpen", i, err)
		}
	}
	for i := (2 + len(k.Current())) * 8; i < len(wrapped)*8; i++ {
		bad := bytes.Clone(wrapped)
		bad[i/8] ^= 1 << (i % 8)
		if _, err := k.OpenDataKey(rec1, bad); !errors.Is(err, ErrOpen) {
			t.Fatalf("bit %d flipped in the wrapped key: got %v, want ErrOpen", i, err)
		}
	}
	for _, short := range [][]byte{nil, {}, {version}, ct[:10]} {
		if _, err := d.Open("name", short); !errors.Is(err, ErrOpen) {
			t.Errorf("truncated value %x: got %v", short, err)
		}
	}
}

func TestWrongKey(t *testing.T) {
	_, wrapped, _ := ring(t, keyA).NewDataKey(rec1)
	if _, err := ring(t, keyB).OpenDataKey(rec1, wrapped); err == nil || errors.Is(err, ErrOpen) {
		t.Errorf("opening under an unloaded master key: got %v, want an error naming the missing key", err)
	} else if !strings.Contains(err.Error(), KeyID(keyA)) {
		t.Errorf("error %q does not name key %s", err, KeyID(keyA))
	}
	// A wrapped key that claims the loaded key's id but was made under another.
	forged := bytes.Clone(wrapped)
	copy(forged[2:], KeyID(keyB))
	if _, err := ring(t, keyB).OpenDataKey(rec1, forged); !errors.Is(err, ErrOpen) {
		t.Errorf("forged key id: got %v, want ErrOpen", err)
	}
	// Another record's data key does not open this record's fields.
	d1, _, _ := ring(t, keyA).NewDataKey(rec1)
	d2, _, _ := ring(t, keyA).NewDataKey(rec1)
	if _, err := d2.Open("name", d1.SealString("name", "Rina")); !errors.Is(err, ErrOpen) {
		t.Errorf("another data key opened the value: %v", err)
	}
}

// TestSwappedAAD moves ciphertexts and wrapped keys between records and
// fields, as someone with write access to the database might.
func TestSwappedAAD(t *testing.T) {
	k := ring(t, keyA)
	d1, w1, _ := k.NewDataKey(rec1)
	ct := d1.SealString("name", "Rina Khatun")

	if _, err := d1.Open("alias", ct); !errors.Is(err, ErrOpen) {
		t.Errorf("name opened as alias: %v", err)
	}
	// The same data key under another record id (a wrapped key copied to
	// another row) does not unwrap.
	if _, err := k.OpenDataKey(rec2, w1); !errors.Is(err, ErrOpen) {
		t.Errorf("wrapped key opened for another record: %v", err)
	}
	// The record id and field are length-prefixed: "ab"+"c" is not "a"+"bc".
	dA, _ := newDataKey("ab", keyB)
	dB, _ := newDataKey("a", keyB)
	if _, err := dB.Open("bc", dA.SealString("c", "x")); !errors.Is(err, ErrOpen) {
		t.Errorf("ambiguous associated data: %v", err)
	}
}

func TestRotation(t *testing.T) {
	old := ring(t, keyA)
	d, wrapped, _ := old.NewDataKey(rec1)
	ct := d.SealString("address", "House 12, Ward 4")

	// During rotation both keys are loaded, the new one first.
	both := ring(t, keyB, keyA)
	if id, _ := WrappedKeyID(wrapped); id != KeyID(keyA) {
		t.Fatalf("wrapped under %s, want %s", id, KeyID(keyA))
	}
	rewrapped, changed, err := both.Rewrap(rec1, wrapped)
	if err != nil || !changed {
		t.Fatalf("Rewrap: changed=%v err=%v", changed, err)
	}
	if id, _ := WrappedKeyID(rewrapped); id != KeyID(keyB) {
		t.Fatalf("re-wrapped under %s, want %s", id, KeyID(keyB))
	}
	again, changed, err := both.Rewrap(rec1, rewrapped)
	if err != nil || changed || !bytes.Equal(again, rewrapped) {
		t.Fatalf("second Rewrap must be a no-op: changed=%v err=%v", changed, err)
	}
	// After rotation the old key is gone; the untouched ciphertext opens.
	newOnly := ring(t, keyB)
	d2, err := newOnly.OpenDataKey(rec1, rewrapped)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := d2.OpenString("address", ct); err != nil || got != "House 12, Ward 4" {
		t.Fatalf("after rotation: %q, %v", got, err)
	}
	if _, err := newOnly.OpenDataKey(rec1, wrapped); err == nil {
		t.Error("the old wrapped key still opens without the old master key")
	}
}

func TestParseKeys(t *testing.T) {
	a64, b64 := base64.StdEncoding.EncodeToString(keyA), base64.RawURLEncoding.EncodeToString(keyB)
	k, err := ParseKeys("# new key first\n" + b64 + "\n\n# old\n" + a64 + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if k.Current() != KeyID(keyB) || len(k.IDs()) != 2 || k.IDs()[1] != KeyID(keyA) {
		t.Errorf("keys %v current %s", k.IDs(), k.Current())
	}
	if k2, err := ParseKeys(b64 + "," + a64); err != nil || len(k2.IDs()) != 2 {
		t.Errorf("comma-separated: %v", err)
	}
	for _, bad := range []string{"", "# only a comment", "not base64!", base64.StdEncoding.EncodeToString(keyA[:16]), a64 + " " + a64} {
		if _, err := ParseKeys(bad); err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		} else if strings.Contains(err.Error(), a64) {
			t.Errorf("error %q contains the key", err)
		}
	}
	if s := fmt.Sprintf("%v %+v %#v", k, k, k); strings.Contains(s, a64) || strings.Contains(s, string(keyA)) {
		t.Errorf("printing a keyring shows a key: %s", s)
	}
}

func TestFromEnv(t *testing.T) {
	a64 := base64.StdEncoding.EncodeToString(keyA)
	dir := t.TempDir()
	good := filepath.Join(dir, "master.key")
	if err := os.WriteFile(good, []byte(a64+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(dir, "open.key")
	if err := os.WriteFile(open, []byte(a64), 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"file", map[string]string{EnvKeyFile: good}, ""},
		{"variable", map[string]string{EnvKey: a64}, ""},
		{"neither", map[string]string{}, "no master key"},
		{"both", map[string]string{EnvKeyFile: good, EnvKey: a64}, "not both"},
		{"missing file", map[string]string{EnvKeyFile: filepath.Join(dir, "nope")}, EnvKeyFile},
		{"world-readable file", map[string]string{EnvKeyFile: open}, "chmod 600"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := FromEnv(env(tt.env))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatal(err)
			case tt.wantErr == "" && k.Current() != KeyID(keyA):
				t.Fatalf("current key %s", k.Current())
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestGenerateKey(t *testing.T) {
	a, b := GenerateKey(), GenerateKey()
	if a == b {
		t.Fatal("two generated keys are equal")
	}
	if _, err := ParseKeys(a); err != nil {
		t.Fatalf("a generated key does not load: %v", err)
	}
}

// FuzzOpen feeds arbitrary stored bytes — a corrupt or hostile database — to
// the two readers of stored data: they must fail cleanly, never panic, and
// open only what has the exact shape of a sealed value.
func FuzzOpen(f *testing.F) {
	k := ring(f, keyA)
	d, wrapped, _ := k.NewDataKey(rec1)
	f.Add(wrapped, d.SealString("name", "Rina"))
	f.Add([]byte{1, 200}, []byte{1})
	f.Fuzz(func(t *testing.T, w, ct []byte) {
		if _, err := k.OpenDataKey(rec1, w); err == nil && len(w) != len(wrapped) {
			t.Fatalf("a wrapped key of the wrong size opened: %x", w)
		}
		if _, err := d.Open("name", ct); err == nil && len(ct) < 1+28 {
			t.Fatalf("a short value opened: %x", ct)
		}
		_, _ = WrappedKeyID(w)
	})
}

// FuzzParseKeys: key text comes from a file or the environment.
func FuzzParseKeys(f *testing.F) {
	f.Add(base64.StdEncoding.EncodeToString(keyA))
	f.Add("# c\n,,\t")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKeys(s)
		if err == nil && k.Current() == "" {
			t.Fatal("a keyring without a current key")
		}
	})
}
