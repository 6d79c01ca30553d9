package database

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"atip/internal/seal"
)

// WithKeyring seals TOTP secrets at rest under the master keyring of the
// seal package (ATIP_MASTER_KEY_FILE), so that a copied database or backup
// does not let its holder generate anyone's codes. Without it secrets are
// stored in clear; secrets sealed earlier then cannot be read, and sign-in
// with them fails with a message naming the missing key.
func WithKeyring(k *seal.Keyring) Option { return func(o *options) { o.keyring = k } }

// sealedPrefix marks a sealed secret: "sealed:v1:" base64(wrapped key) "."
// base64(ciphertext).
const sealedPrefix = "sealed:v1:"

// totpRecord binds a sealed secret to its user: a sealed value copied onto
// another user does not open.
func totpRecord(userID string) string { return "user/" + userID }

const totpField = "totp_secret"

func (db *DB) sealTOTP(userID, secret string) (string, error) {
	if db.keyring == nil {
		return secret, nil
	}
	dk, wrapped, err := db.keyring.NewDataKey(totpRecord(userID))
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return sealedPrefix + b64.EncodeToString(wrapped) + "." + b64.EncodeToString(dk.SealString(totpField, secret)), nil
}

var errNoKeyring = errors.New("database: two-factor secrets are sealed but no master key is configured (ATIP_MASTER_KEY_FILE)")

func (db *DB) openTOTP(userID, stored string) (string, error) {
	rest, sealed := strings.CutPrefix(stored, sealedPrefix)
	if !sealed {
		return stored, nil
	}
	if db.keyring == nil {
		return "", errNoKeyring
	}
	w, c, ok := strings.Cut(rest, ".")
	b64 := base64.RawStdEncoding
	wrapped, err1 := b64.DecodeString(w)
	ct, err2 := b64.DecodeString(c)
	if !ok || err1 != nil || err2 != nil {
		return "", fmt.Errorf("database: sealed two-factor secret of user %s is malformed", userID)
	}
	dk, err := db.keyring.OpenDataKey(totpRecord(userID), wrapped)
	if err != nil {
		return "", fmt.Errorf("database: two-factor secret of user %s: %w", userID, err)
	}
	return dk.OpenString(totpField, ct)
}
