// Package password hashes passwords with argon2id and holds the minimum
// password policy. Hashes are stored in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash) so that the parameters can be
// raised later without invalidating existing hashes.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// Default follows the OWASP recommendation for argon2id (19 MiB, 2 passes,
// 1 lane): about 30 ms on one core of a small server.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// Cheap is for tests only: it keeps a suite that creates hundreds of users
// fast. Never configure it for a deployment.
var Cheap = Params{Memory: 64, Time: 1, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// Hash returns the PHC-format argon2id hash of pw with a fresh random salt.
func Hash(pw string, p Params) string {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		panic("password: no randomness: " + err.Error())
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// ErrMalformed is returned for a stored hash that is not argon2id PHC.
var ErrMalformed = errors.New("password: malformed hash")

// Verify reports whether pw matches the encoded hash, in constant time.
func Verify(pw, encoded string) (bool, error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with other parameters than p.
func NeedsRehash(encoded string, p Params) bool {
	q, _, _, err := decode(encoded)
	return err != nil || q != p
}

func decode(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformed
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, ErrMalformed
	}
	// Bounds keep a corrupted or hostile row from asking for gigabytes.
	if p.Memory < 8 || p.Memory > 256*1024 || p.Time < 1 || p.Time > 10 || p.Threads < 1 || p.Threads > 16 {
		return p, nil, nil, ErrMalformed
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, ErrMalformed
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, ErrMalformed
	}
	return p, salt, key, nil
}

// Minimum and maximum length, in characters. The maximum bounds the work an
// attacker can make us do per attempt.
const (
	MinLength = 12
	MaxLength = 256
)

// common are passwords that pass the length rule but are the first an
// attacker tries.
var common = map[string]bool{
	"passwordpassword": true, "password1234": true, "123456789012": true,
	"qwertyuiopas": true, "administrator": true, "letmeinletmein": true,
	"iloveyou1234": true, "welcome12345": true, "changemechangeme": true,
	"password@123": true, "admin@123456": true, "qwerty123456": true,
}

// Check applies the minimum password policy (NIST SP 800-63B style: length,
// not a known-common password, not the login, not one repeated character)
// and returns a message saying what is wrong, or "" when pw is acceptable.
func Check(pw, login string) string {
	if !utf8.ValidString(pw) {
		return "must be valid text"
	}
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return fmt.Sprintf("must be at least %d characters long", MinLength)
	case n > MaxLength:
		return fmt.Sprintf("must be at most %d characters long", MaxLength)
	}
	lower := strings.ToLower(pw)
	if common[lower] {
		return "is too common; choose another"
	}
	if login != "" && strings.Contains(lower, strings.ToLower(login)) {
		return "must not contain the login"
	}
	first, _ := utf8.DecodeRuneInString(pw)
	if strings.Trim(pw, string(first)) == "" {
		return "must not be one character repeated"
	}
	for _, r := range pw {
		if unicode.IsControl(r) {
			return "must not contain control characters"
		}
	}
	return ""
}
