// Package seal encrypts the protected personal data of a record at rest, so
// that a copy of the database — a backup left on a laptop, a dump handed to a
// contractor — holds no victim's name, address or statement in clear.
//
// It is envelope encryption with the standard library's AES-256-GCM:
//
//   - every record has its own data key (DEK), random, 256 bits;
//   - each protected field is sealed under its record's DEK, with associated
//     data naming the record and the field, so a ciphertext copied into
//     another record or another field fails to open instead of showing the
//     wrong person's data;
//   - the DEK is stored beside the record wrapped (encrypted) under a master
//     key (KEK), with the record id as associated data, so wrapped keys cannot
//     be swapped between records either;
//   - master keys live outside the database: in a file named by
//     ATIP_MASTER_KEY_FILE or in ATIP_MASTER_KEY, base64 of 32 bytes. Several
//     may be loaded at once, the first being current, so that `atip keys
//     rotate` can re-wrap every DEK under a new key (Rewrap) while the old one
//     still opens what is not yet re-wrapped. Rotation never touches the field
//     ciphertexts.
//
// Deleting a record's wrapped DEK makes all its sealed fields unreadable for
// good, in every backup too — erasure by forgetting one key.
//
// Nonces are random (96 bits, cipher.NewGCMWithRandomNonce). A key must seal
// fewer than 2^32 messages; a DEK seals one record's fields and a KEK one DEK
// per record, far below that.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeySize is the size of master and data keys in bytes (AES-256).
const KeySize = 32

// Environment variables that hold the master keys.
const (
	EnvKeyFile = "ATIP_MASTER_KEY_FILE"
	EnvKey     = "ATIP_MASTER_KEY"
)

const (
	version    = 1
	wrapLabel  = "atip/seal/dek\x00"
	fieldLabel = "atip/seal/field\x00"
	idLabel    = "atip/seal/kek-id\x00"
)

// ErrOpen is returned when a sealed value or wrapped key does not open: the
// wrong key, a flipped bit, or a value moved from another record or field.
// It says no more, on purpose.
var ErrOpen = errors.New("seal: cannot decrypt: wrong key, or the data was altered or moved")

// Keyring holds the master keys. It never exposes them: only their ids,
// which are hashes and reveal nothing.
type Keyring struct {
	current string
	keks    map[string]cipher.AEAD
	ids     []string
}

// KeyID returns the id of a master key: the first 8 bytes of a labelled
// SHA-256 of the key, in hex. Ids are derived, not chosen, so an operator
// cannot give two keys the same id by mistake.
func KeyID(key []byte) string {
	h := sha256.Sum256(append([]byte(idLabel), key...))
	return hex.EncodeToString(h[:8])
}

// NewKeyring makes a keyring from raw 32-byte keys; the first is current.
func NewKeyring(keys ...[]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("seal: no master key")
	}
	k := &Keyring{keks: make(map[string]cipher.AEAD, len(keys))}
	for i, key := range keys {
		if len(key) != KeySize {
			return nil, fmt.Errorf("seal: master key %d is %d bytes; want %d", i+1, len(key), KeySize)
		}
		aead, err := newAEAD(key)
		if err != nil {
			return nil, err
		}
		id := KeyID(key)
		if _, dup := k.keks[id]; dup {
			return nil, fmt.Errorf("seal: master key %d is given twice", i+1)
		}
		k.keks[id] = aead
		k.ids = append(k.ids, id)
	}
	k.current = k.ids[0]
	return k, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(b)
}

// ParseKeys reads master keys written as base64 (standard or URL alphabet,
// padded or not), separated by newlines, spaces or commas; lines starting
// with # are comments. The first key is current; the others only open what
// was wrapped under them.
func ParseKeys(text string) (*Keyring, error) {
	var keys [][]byte
	n := 0
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' }) {
			n++
			key, err := decodeKey(f)
			if err != nil {
				return nil, fmt.Errorf("seal: master key %d: %w", n, err)
			}
			keys = append(keys, key)
		}
	}
	return NewKeyring(keys...)
}

func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != KeySize {
				return nil, fmt.Errorf("is %d bytes; want %d (make one with `openssl rand -base64 32`)", len(b), KeySize)
			}
			return b, nil
		}
	}
	return nil, errors.New("is not base64")
}

// FromEnv loads the master keys from the file named by ATIP_MASTER_KEY_FILE,
// or else from ATIP_MASTER_KEY. A key file readable by other users of the
// machine is refused.
func FromEnv(getenv func(string) string) (*Keyring, error) {
	file, val := getenv(EnvKeyFile), getenv(EnvKey)
	switch {
	case file != "" && val != "":
		return nil, fmt.Errorf("seal: set %s or %s, not both", EnvKeyFile, EnvKey)
	case file != "":
		fi, err := os.Stat(file)
		if err != nil {
			return nil, fmt.Errorf("seal: %s: %w", EnvKeyFile, err)
		}
		if fi.Mode().Perm()&0o004 != 0 {
			return nil, fmt.Errorf("seal: %s: the key file is readable by every user of the machine; chmod 600 it", EnvKeyFile)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("seal: %s: %w", EnvKeyFile, err)
		}
		return ParseKeys(string(b))
	case val != "":
		return ParseKeys(val)
	}
	return nil, fmt.Errorf("seal: no master key: set %s (a file holding base64 of 32 random bytes) or %s", EnvKeyFile, EnvKey)
}

// GenerateKey returns a new random master key in base64, for `atip keys`.
func GenerateKey() string {
	var b [KeySize]byte
	rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// Current returns the id of the key new data keys are wrapped under.
func (k *Keyring) Current() string { return k.current }

// IDs returns the ids of every loaded key, the current one first.
func (k *Keyring) IDs() []string { return append([]string(nil), k.ids...) }

// String shows the ids only, so that a keyring printed by mistake (a debug
// log, a %v) leaks nothing.
func (k *Keyring) String() string {
	return fmt.Sprintf("seal.Keyring{current: %s, keys: %d}", k.current, len(k.ids))
}

// GoString is String, for %#v.
func (k *Keyring) GoString() string { return k.String() }

// A wrapped data key is: version (1 byte), key-id length (1 byte), key id,
// then the GCM output (random nonce, ciphertext of the 32-byte DEK, tag).

// NewDataKey makes a data key for a record and returns it with its wrapped
// form, to be stored with the record.
func (k *Keyring) NewDataKey(recordID string) (*DataKey, []byte, error) {
	var dek [KeySize]byte
	rand.Read(dek[:])
	d, err := newDataKey(recordID, dek[:])
	if err != nil {
		return nil, nil, err
	}
	return d, k.wrap(k.current, recordID, dek[:]), nil
}

func (k *Keyring) wrap(id, recordID string, dek []byte) []byte {
	out := make([]byte, 0, 2+len(id)+k.keks[id].Overhead()+len(dek))
	out = append(out, version, byte(len(id)))
	out = append(out, id...)
	return k.keks[id].Seal(out, nil, dek, wrapAAD(recordID))
}

func wrapAAD(recordID string) []byte {
	return append([]byte(wrapLabel), recordID...)
}

// WrappedKeyID returns the id of the master key a wrapped data key is
// wrapped under, so that rotation can find what is left to re-wrap.
func WrappedKeyID(wrapped []byte) (string, error) {
	if len(wrapped) < 2 || wrapped[0] != version || len(wrapped) < 2+int(wrapped[1]) {
		return "", errors.New("seal: not a wrapped data key")
	}
	return string(wrapped[2 : 2+int(wrapped[1])]), nil
}

func (k *Keyring) unwrap(recordID string, wrapped []byte) ([]byte, string, error) {
	id, err := WrappedKeyID(wrapped)
	if err != nil {
		return nil, "", err
	}
	kek, ok := k.keks[id]
	if !ok {
		return nil, id, fmt.Errorf("seal: the data key is wrapped under master key %s, which is not loaded", id)
	}
	dek, err := kek.Open(nil, nil, wrapped[2+len(id):], wrapAAD(recordID))
	if err != nil || len(dek) != KeySize {
		return nil, id, ErrOpen
	}
	return dek, id, nil
}

// OpenDataKey unwraps a record's data key.
func (k *Keyring) OpenDataKey(recordID string, wrapped []byte) (*DataKey, error) {
	dek, _, err := k.unwrap(recordID, wrapped)
	if err != nil {
		return nil, err
	}
	return newDataKey(recordID, dek)
}

// Rewrap re-wraps a record's data key under the current master key, for
// `atip keys rotate`. It returns the wrapped key unchanged, and false, when it
// is already under the current key. The record's sealed fields stay as they
// are: the data key itself does not change.
func (k *Keyring) Rewrap(recordID string, wrapped []byte) ([]byte, bool, error) {
	dek, id, err := k.unwrap(recordID, wrapped)
	if err != nil {
		return nil, false, err
	}
	if id == k.current {
		return wrapped, false, nil
	}
	return k.wrap(k.current, recordID, dek), true, nil
}

// DataKey seals and opens the protected fields of one record.
type DataKey struct {
	aead     cipher.AEAD
	recordID string
}

func newDataKey(recordID string, dek []byte) (*DataKey, error) {
	aead, err := newAEAD(dek)
	if err != nil {
		return nil, err
	}
	return &DataKey{aead: aead, recordID: recordID}, nil
}

// String leaks nothing.
func (d *DataKey) String() string { return "seal.DataKey{record: " + d.recordID + "}" }

// GoString is String, for %#v.
func (d *DataKey) GoString() string { return d.String() }

// fieldAAD binds a ciphertext to its record and field; the lengths make the
// encoding unambiguous ("ab"+"c" differs from "a"+"bc").
func fieldAAD(recordID, field string) []byte {
	b := make([]byte, 0, len(fieldLabel)+2*binary.MaxVarintLen64+len(recordID)+len(field))
	b = append(b, fieldLabel...)
	b = binary.AppendUvarint(b, uint64(len(recordID)))
	b = append(b, recordID...)
	b = binary.AppendUvarint(b, uint64(len(field)))
	return append(b, field...)
}

// Seal encrypts the value of a field of the record. An empty value is
// sealed too, so that a reader cannot tell an empty field from a full one by
// its stored size being zero.
func (d *DataKey) Seal(field string, plaintext []byte) []byte {
	out := make([]byte, 1, 1+d.aead.Overhead()+len(plaintext))
	out[0] = version
	return d.aead.Seal(out, nil, plaintext, fieldAAD(d.recordID, field))
}

// Open decrypts the value of a field of the record. It fails with ErrOpen if
// the ciphertext was altered, or sealed for another record or field.
func (d *DataKey) Open(field string, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) < 1 || ciphertext[0] != version {
		return nil, ErrOpen
	}
	pt, err := d.aead.Open(nil, nil, ciphertext[1:], fieldAAD(d.recordID, field))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// SealString and OpenString are Seal and Open for text fields.
func (d *DataKey) SealString(field, s string) []byte { return d.Seal(field, []byte(s)) }

// OpenString is Open for text fields.
func (d *DataKey) OpenString(field string, ciphertext []byte) (string, error) {
	b, err := d.Open(field, ciphertext)
	return string(b), err
}
