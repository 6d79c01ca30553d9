package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"atip"
	"atip/internal/policy"
)

// Token scopes. A token with "write" may also read.
const (
	ScopeRead  = "read"
	ScopeWrite = "write"
)

// TokenScopes lists the scopes a token may have.
var TokenScopes = []string{ScopeRead, ScopeWrite}

// MaxTokenLifetime bounds how far ahead a token may expire: a forgotten
// token must not live for ever.
const MaxTokenLifetime = 366 * 24 * time.Hour

// tokenPrefix marks ATIP API tokens, so that secret scanners can find a
// leaked one.
const tokenPrefix = "atip_"

// TokenService implements atip.TokenService.
type TokenService struct{ db *DB }

// NewTokenService returns the API token service on db.
func NewTokenService(db *DB) *TokenService { return &TokenService{db: db} }

var _ atip.TokenService = (*TokenService)(nil)

var errTokenNotFound = atip.Errorf(atip.ENOTFOUND, "token not found")

// CreateToken makes a token for the acting user. The secret is returned
// once; only its hash is kept.
func (s *TokenService) CreateToken(ctx context.Context, name string, scopes []string, expiresAt time.Time) (string, *atip.APIToken, error) {
	u, err := actingUser(ctx)
	if err != nil {
		return "", nil, err
	}
	now := s.db.Now()
	var v atip.Invalid
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n == 0 || n > 100 {
		v.Add("name", "must be 1 to 100 characters")
	}
	if len(scopes) == 0 {
		v.Add("scopes", "at least one scope is required")
	}
	for _, sc := range scopes {
		if !slices.Contains(TokenScopes, sc) {
			v.Add("scopes", "%q is not a scope (want %s)", sc, strings.Join(TokenScopes, ", "))
			break
		}
	}
	expiresAt = expiresAt.UTC().Truncate(time.Microsecond)
	switch {
	case !expiresAt.After(now):
		v.Add("expires_at", "must be in the future")
	case expiresAt.Sub(now) > MaxTokenLifetime:
		v.Add("expires_at", "must be within a year")
	}
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	scopes = slices.Clone(scopes)
	slices.Sort(scopes)
	scopes = slices.Compact(scopes)
	secret := tokenPrefix + newSecret()
	t := &atip.APIToken{ID: atip.NewID(), UserID: u.ID, Name: name, Scopes: scopes, ExpiresAt: expiresAt}
	err = s.db.Write(ctx, func(tx *Tx) error {
		t.Stamp = atip.Stamp{CreatedAt: tx.Now, CreatedBy: u.ID, UpdatedAt: tx.Now, UpdatedBy: u.ID}
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens
			(id, user_id, name, secret_hash, scopes, expires_at, created_at, created_by, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			t.ID, t.UserID, t.Name, hashToken(secret), strings.Join(t.Scopes, ","), t.ExpiresAt,
			t.CreatedAt, t.CreatedBy, t.UpdatedAt, t.UpdatedBy); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "token.create", RecordType: "token", RecordID: t.ID,
			Detail: "scopes=" + strings.Join(t.Scopes, ",")})
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

const tokenCols = `id, user_id, name, scopes, expires_at, last_used_at, revoked_at, created_at, created_by, updated_at, updated_by`

func scanToken(r interface{ Scan(...any) error }) (*atip.APIToken, error) {
	var t atip.APIToken
	var scopes string
	var last, revoked sql.NullTime
	if err := r.Scan(&t.ID, &t.UserID, &t.Name, &scopes, &t.ExpiresAt, &last, &revoked,
		&t.CreatedAt, &t.CreatedBy, &t.UpdatedAt, &t.UpdatedBy); err != nil {
		return nil, err
	}
	if scopes != "" {
		t.Scopes = strings.Split(scopes, ",")
	}
	if last.Valid {
		t.LastUsedAt = last.Time.UTC()
	}
	if revoked.Valid {
		t.RevokedAt = revoked.Time.UTC()
	}
	t.ExpiresAt, t.CreatedAt, t.UpdatedAt = t.ExpiresAt.UTC(), t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	return &t, nil
}

var errBadToken = atip.Errorf(atip.EUNAUTHORIZED, "invalid, expired or revoked API token")

// AuthenticateToken returns the token and its user for a secret.
func (s *TokenService) AuthenticateToken(ctx context.Context, secret string) (*atip.APIToken, *atip.User, error) {
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 200 {
		return nil, nil, errBadToken
	}
	now := s.db.Now()
	// One query for the token, its user and the user's organisation: every
	// API request pays for it.
	row := s.db.r.QueryRowContext(ctx, `SELECT t.id, t.user_id, t.name, t.scopes, t.expires_at, t.last_used_at, t.revoked_at,
		t.created_at, t.created_by, t.updated_at, t.updated_by,
		u.id, u.org_id, u.login, u.name, u.roles, u.lang, u.disabled, u.totp_enabled, u.last_login_at,
		u.created_at, u.created_by, u.updated_at, u.updated_by, o.disabled
		FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN orgs o ON o.id = u.org_id
		WHERE t.secret_hash = $1`, hashToken(secret))
	var (
		t                    atip.APIToken
		u                    atip.User
		scopes, roles        string
		last, revoked, login sql.NullTime
		orgDisabled          bool
	)
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &scopes, &t.ExpiresAt, &last, &revoked, &t.CreatedAt, &t.CreatedBy, &t.UpdatedAt, &t.UpdatedBy,
		&u.ID, &u.OrgID, &u.Login, &u.Name, &roles, &u.Lang, &u.Disabled, &u.TOTPEnabled, &login,
		&u.CreatedAt, &u.CreatedBy, &u.UpdatedAt, &u.UpdatedBy, &orgDisabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errBadToken
	} else if err != nil {
		return nil, nil, fmt.Errorf("authenticate token: %w", err)
	}
	if scopes != "" {
		t.Scopes = strings.Split(scopes, ",")
	}
	if last.Valid {
		t.LastUsedAt = last.Time.UTC()
	}
	if revoked.Valid {
		t.RevokedAt = revoked.Time.UTC()
	}
	t.ExpiresAt, t.CreatedAt, t.UpdatedAt = t.ExpiresAt.UTC(), t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	u.Roles = splitRoles(roles)
	if login.Valid {
		u.LastLoginAt = login.Time.UTC()
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	if !t.RevokedAt.IsZero() || !now.Before(t.ExpiresAt) || u.Disabled || orgDisabled {
		return nil, nil, errBadToken
	}
	if t.LastUsedAt.IsZero() || now.Sub(t.LastUsedAt) >= touchEvery {
		err := s.db.Write(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, tx.Now, t.ID)
			return err
		})
		if err != nil {
			return nil, nil, err
		}
		t.LastUsedAt = now
	}
	return &t, &u, nil
}

// tokenOwnerVisible checks that the actor may see the tokens of a user:
// their own, or as an admin of the user's organisation.
func tokenOwnerVisible(ctx context.Context, q querier, a *atip.Actor, userID string, action policy.Action) error {
	if isSelf(a, userID) {
		return nil
	}
	var orgID string
	err := q.QueryRowContext(ctx, `SELECT org_id FROM users WHERE id = $1`, userID).Scan(&orgID)
	if errors.Is(err, sql.ErrNoRows) {
		return errUserNotFound
	} else if err != nil {
		return err
	}
	if !policy.Can(a, action, orgID) {
		return errUserNotFound
	}
	return nil
}

// FindTokens lists a user's tokens, newest first: the user's own, or any
// user's for an admin of their organisation.
func (s *TokenService) FindTokens(ctx context.Context, userID string) ([]*atip.APIToken, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := tokenOwnerVisible(ctx, s.db.r, a, userID, policy.UserUpdate); err != nil {
		return nil, err
	}
	rows, err := s.db.r.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	defer rows.Close()
	var out []*atip.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken stops a token working at once.
func (s *TokenService) RevokeToken(ctx context.Context, id string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return errTokenNotFound
		} else if err != nil {
			return err
		}
		if err := tokenOwnerVisible(ctx, tx, a, t.UserID, policy.UserUpdate); err != nil {
			return errTokenNotFound
		}
		if !t.RevokedAt.IsZero() {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1, updated_at = $1, updated_by = $2 WHERE id = $3`,
			tx.Now, a.UserID(), id); err != nil {
			return err
		}
		tx.Audit(atip.AuditEntry{Action: "token.revoke", RecordType: "token", RecordID: id})
		return nil
	})
}
