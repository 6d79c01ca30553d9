package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h := Hash("correct horse battery", Cheap)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not argon2id PHC", h)
	}
	if h2 := Hash("correct horse battery", Cheap); h2 == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batterY", false}, {"", false}} {
		ok, err := Verify(tc.pw, h)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	if NeedsRehash(h, Cheap) || !NeedsRehash(h, Default) {
		t.Error("NeedsRehash does not compare parameters")
	}
}

func TestVerifyRejectsMalformed(t *testing.T) {
	for _, h := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaGhhc2hoYXNoaGFzaA", "plaintext"} {
		if _, err := Verify("x", h); err == nil {
			t.Errorf("Verify accepted malformed hash %q", h)
		}
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		pw, login, want string
	}{
		{"correct horse battery", "asha", ""},
		{"पासवर्ड बहुत लंबा है", "asha", ""},
		{"short", "asha", "at least"},
		{strings.Repeat("ab", 129), "asha", "at most"},
		{"Password1234", "asha", "too common"},
		{"asha-is-my-login", "Asha", "login"},
		{"aaaaaaaaaaaaaa", "asha", "repeated"},
		{"tab\tinside password", "asha", "control"},
		{"bad \xff utf8 password", "asha", "valid text"},
	} {
		got := Check(tc.pw, tc.login)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("Check(%q) = %q, want %q", tc.pw, got, tc.want)
		}
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("pw", Hash("pw", Cheap))
	f.Add("pw", "$argon2id$v=19$m=64,t=1,p=1$$")
	f.Fuzz(func(t *testing.T, pw, h string) {
		_, _ = Verify(pw, h) // must not panic nor ask for unbounded memory
	})
}
