package auditlog

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"atip"
)

func sample() atip.AuditEntry {
	return atip.AuditEntry{Seq: 7, At: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC), ActorID: "u1", ActorOrgID: "o1",
		Via: atip.ViaWeb, RemoteAddr: "192.0.2.1", Action: "person.view", RecordType: "person", RecordID: "p1",
		Outcome: "ok", Detail: "d", BreakGlass: false}
}

// Every field of an entry is covered by its hash: changing any one of them
// changes the leaf hash.
func TestLeafHashCoversEveryField(t *testing.T) {
	base := sample()
	h0 := LeafHash(&base)
	v := reflect.ValueOf(&base).Elem()
	for i := 0; i < v.NumField(); i++ {
		e := sample()
		f := reflect.ValueOf(&e).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(f.String() + "x")
		case reflect.Int64:
			f.SetInt(f.Int() + 1)
		case reflect.Bool:
			f.SetBool(!f.Bool())
		case reflect.Struct: // time.Time
			f.Set(reflect.ValueOf(e.At.Add(time.Microsecond)))
		default:
			t.Fatalf("field %s of kind %s: teach this test about it", v.Type().Field(i).Name, f.Kind())
		}
		if LeafHash(&e) == h0 {
			t.Errorf("changing %s does not change the hash", v.Type().Field(i).Name)
		}
	}
	// The time zone an entry is read back in does not matter.
	e := sample()
	e.At = e.At.In(time.FixedZone("IST", 5*3600+1800))
	if LeafHash(&e) != h0 {
		t.Error("the same instant in another zone hashes differently")
	}
}

func TestKeyFileAndCheckpoints(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "audit.key")
	if _, err := LoadOrCreateKeyFile(path, false); err == nil {
		t.Fatal("a missing key was not reported")
	}
	k, err := LoadOrCreateKeyFile(path, true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v %v, want 0600", st.Mode(), err)
	}
	k2, err := LoadOrCreateKeyFile(path, true)
	if err != nil || k2.VerifierKey() != k.VerifierKey() {
		t.Fatal("the key changed on reload")
	}
	var tr Tree
	for i := 0; i < 5; i++ {
		e := sample()
		e.Seq = int64(i)
		if err := tr.Append(LeafHash(&e)); err != nil {
			t.Fatal(err)
		}
	}
	root, _ := tr.Root(5)
	signed, err := k.Sign(Checkpoint{Size: 5, Root: root})
	if err != nil {
		t.Fatal(err)
	}
	c, err := k.Open(signed)
	if err != nil || c.Size != 5 || c.Root != root {
		t.Fatalf("open: %+v %v", c, err)
	}
	// A partner holding only the public key verifies but cannot sign.
	pub, err := ParseKey([]byte(k.VerifierKey() + "\n"))
	if err != nil || pub.CanSign() {
		t.Fatalf("verifier-only key: %v", err)
	}
	if _, err := pub.Open(signed); err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Sign(c); err == nil {
		t.Fatal("a verifier-only key signed")
	}
	other, _, _ := GenerateKey()
	if _, err := other.Open(signed); err == nil {
		t.Fatal("another key verified the checkpoint")
	}
	if _, err := k.Open(strings.Replace(signed, "\n5\n", "\n6\n", 1)); err == nil {
		t.Fatal("an edited checkpoint verified")
	}
}

func FuzzParseKey(f *testing.F) {
	_, file, _ := GenerateKey()
	f.Add(string(file))
	f.Add("PRIVATE+KEY+x\nx+y+z\n")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey([]byte(s))
		if err == nil && k.VerifierKey() == "" {
			t.Fatal("a key without a verifier parsed")
		}
	})
}

func FuzzOpenCheckpoint(f *testing.F) {
	k, _, _ := GenerateKey()
	signed, _ := k.Sign(Checkpoint{Size: 3})
	f.Add(signed)
	f.Add("atip audit log v1\n3\nAAAA\n\n— x\n")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := k.Open(s)
		if err == nil && c.Size < 0 {
			t.Fatal("negative size")
		}
	})
}
