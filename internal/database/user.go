package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"atip"
	"atip/internal/password"
	"atip/internal/policy"
	"atip/internal/textnorm"
)

// UserService implements atip.UserService.
type UserService struct{ db *DB }

// NewUserService returns the user service on db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

var _ atip.UserService = (*UserService)(nil)

var errUserNotFound = atip.Errorf(atip.ENOTFOUND, "user not found")

func joinRoles(rs []atip.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func splitRoles(s string) []atip.Role {
	if s == "" {
		return nil
	}
	var out []atip.Role
	for _, r := range strings.Split(s, ",") {
		out = append(out, atip.Role(r))
	}
	return out
}

// LoginKey is the normalised form of a login: logins are unique and
// matched after it.
func LoginKey(login string) string { return foldKey(login) }

func validLoginChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) ||
		strings.ContainsRune(".-_@+", r)
}

func validateUser(u *atip.User, v *atip.Invalid) {
	u.Login = textnorm.Clean(u.Login)
	u.Name = textnorm.Clean(u.Name)
	switch n := utf8.RuneCountInString(u.Login); {
	case n == 0:
		v.Add("login", "is required")
	case n < 3 || n > 254:
		v.Add("login", "must be 3 to 254 characters")
	default:
		for _, r := range u.Login {
			if !validLoginChar(r) {
				v.Add("login", "may hold only letters, digits and . - _ @ +")
				break
			}
		}
	}
	switch n := utf8.RuneCountInString(u.Name); {
	case n == 0:
		v.Add("name", "is required")
	case n > maxNameLen:
		v.Add("name", "must be at most %d characters", maxNameLen)
	}
	validateRoles(u.Roles, v)
	if u.Lang == "" {
		u.Lang = "en"
	}
	if !slices.Contains(atip.Languages, u.Lang) {
		v.Add("lang", "must be one of %s", strings.Join(atip.Languages, ", "))
	}
}

func validateRoles(rs []atip.Role, v *atip.Invalid) {
	if len(rs) == 0 {
		v.Add("roles", "at least one role is required")
		return
	}
	seen := map[atip.Role]bool{}
	for _, r := range rs {
		if !r.Valid() {
			v.Add("roles", "%q is not a role", string(r))
			return
		}
		if seen[r] {
			v.Add("roles", "%s is given twice", r)
			return
		}
		seen[r] = true
	}
}

// platformRoles reach every organisation on the platform: the platform
// admin runs it, the auditor reads everyone's trail. An organisation admin
// granting one would reach beyond their own organisation.
var platformRoles = []atip.Role{atip.RolePlatformAdmin, atip.RoleAuditor}

// checkRoleGrant refuses to let anyone but a platform admin (or the
// operator) grant or take away a platform-wide role.
func checkRoleGrant(a *atip.Actor, before, after []atip.Role) error {
	if a.IsOperator() || a.User.HasRole(atip.RolePlatformAdmin) {
		return nil
	}
	for _, r := range platformRoles {
		if slices.Contains(before, r) != slices.Contains(after, r) {
			return &atip.Error{Code: atip.EFORBIDDEN, Message: "only a platform admin may grant or remove the " + string(r) + " role",
				Fields: []atip.FieldError{{Field: "roles", Message: string(r) + " may be granted only by a platform admin"}}}
		}
	}
	return nil
}

// CreateUser adds a user to an organisation with an initial password.
func (s *UserService) CreateUser(ctx context.Context, u *atip.User, pw string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	var v atip.Invalid
	if u.OrgID == "" {
		v.Add("org_id", "is required")
	}
	validateUser(u, &v)
	if msg := password.Check(pw, u.Login); msg != "" {
		v.Add("password", "%s", msg)
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := require(a, policy.UserCreate, u.OrgID, "create users in this organisation"); err != nil {
		return err
	}
	if err := checkRoleGrant(a, nil, u.Roles); err != nil {
		return err
	}
	// Hash outside the transaction: it is the slow part, and SQLite has one
	// writer.
	hash := password.Hash(pw, s.db.pwParams)
	return s.db.Write(ctx, func(tx *Tx) error {
		o, err := findOrg(ctx, tx, u.OrgID)
		if err != nil {
			return &atip.Error{Code: atip.EINVALID, Message: "some fields are not valid",
				Fields: []atip.FieldError{{Field: "org_id", Message: "no such organisation"}}}
		}
		if o.Disabled {
			return &atip.Error{Code: atip.EINVALID, Message: "some fields are not valid",
				Fields: []atip.FieldError{{Field: "org_id", Message: "the organisation is disabled"}}}
		}
		u.ID = atip.NewID()
		u.Stamp = atip.Stamp{CreatedAt: tx.Now, CreatedBy: a.UserID(), UpdatedAt: tx.Now, UpdatedBy: a.UserID()}
		u.TOTPEnabled = false
		u.LastLoginAt = time.Time{}
		_, err = tx.ExecContext(ctx, `INSERT INTO users
			(id, org_id, login, login_key, name, name_key, roles, lang, disabled, password_hash, password_changed_at,
			 created_at, created_by, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			u.ID, u.OrgID, u.Login, LoginKey(u.Login), u.Name, foldKey(u.Name), joinRoles(u.Roles), u.Lang, u.Disabled,
			hash, tx.Now, u.CreatedAt, u.CreatedBy, u.UpdatedAt, u.UpdatedBy)
		if isUniqueViolation(err) {
			return &atip.Error{Code: atip.ECONFLICT, Message: "this login is taken",
				Fields: []atip.FieldError{{Field: "login", Message: "is already taken"}}}
		} else if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "user.create", RecordType: "user", RecordID: u.ID,
			Detail: "org=" + u.OrgID + " roles=" + joinRoles(u.Roles)})
		return nil
	})
}

// UpdateUser changes a user. Anyone may change their own name and
// language; roles and disabling need the user.update permission, and nobody
// may disable themselves or take away their own admin roles (which could
// leave an organisation without an admin).
func (s *UserService) UpdateUser(ctx context.Context, id string, upd atip.UserUpdate) (*atip.User, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var out *atip.User
	err = s.db.Write(ctx, func(tx *Tx) error {
		u, err := findUser(ctx, tx, "id", id)
		if err != nil {
			return err
		}
		self := isSelf(a, u.ID)
		if !self && !policy.Can(a, policy.UserView, u.OrgID) {
			return errUserNotFound
		}
		var changed []string
		var v atip.Invalid
		if upd.Name != nil && *upd.Name != u.Name {
			u.Name = *upd.Name
			changed = append(changed, "name")
		}
		if upd.Lang != nil && *upd.Lang != u.Lang {
			u.Lang = *upd.Lang
			changed = append(changed, "lang")
		}
		if len(changed) > 0 && !self {
			if err := require(a, policy.UserUpdate, u.OrgID, "change this user"); err != nil {
				return err
			}
		}
		if upd.Roles != nil && joinRoles(*upd.Roles) != joinRoles(u.Roles) {
			if err := require(a, policy.UserUpdate, u.OrgID, "change this user's roles"); err != nil {
				return err
			}
			if self {
				return atip.Errorf(atip.EFORBIDDEN, "you may not change your own roles")
			}
			if err := checkRoleGrant(a, u.Roles, *upd.Roles); err != nil {
				return err
			}
			u.Roles = slices.Clone(*upd.Roles)
			changed = append(changed, "roles")
		}
		if upd.Disabled != nil && *upd.Disabled != u.Disabled {
			if err := require(a, policy.UserUpdate, u.OrgID, "disable or enable this user"); err != nil {
				return err
			}
			if self {
				return atip.Errorf(atip.EFORBIDDEN, "you may not disable yourself")
			}
			u.Disabled = *upd.Disabled
			changed = append(changed, "disabled")
		}
		validateUser(u, &v)
		if err := v.Err(); err != nil {
			return err
		}
		out = u
		if len(changed) == 0 {
			return nil
		}
		u.UpdatedAt, u.UpdatedBy = tx.Now, a.UserID()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $1, name_key = $2, roles = $3, lang = $4,
			disabled = $5, updated_at = $6, updated_by = $7 WHERE id = $8`,
			u.Name, foldKey(u.Name), joinRoles(u.Roles), u.Lang, u.Disabled, u.UpdatedAt, u.UpdatedBy, u.ID); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if u.Disabled {
			// A disabled user is signed out everywhere at once.
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		tx.Audit(atip.AuditEntry{Action: "user.update", RecordType: "user", RecordID: u.ID,
			Detail: "changed " + strings.Join(changed, ",")})
		return nil
	})
	return out, err
}

// FindUserByID returns a user the actor may see: themselves, or users of
// the organisations their user.view permission reaches.
func (s *UserService) FindUserByID(ctx context.Context, id string) (*atip.User, error) {
	return s.findVisible(ctx, "id", id)
}

// FindUserByLogin returns a user by login, matched case-insensitively.
func (s *UserService) FindUserByLogin(ctx context.Context, login string) (*atip.User, error) {
	return s.findVisible(ctx, "login_key", LoginKey(login))
}

func (s *UserService) findVisible(ctx context.Context, col, val string) (*atip.User, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	u, err := findUser(ctx, s.db.r, col, val)
	if err != nil {
		return nil, err
	}
	if !isSelf(a, u.ID) && !policy.Can(a, policy.UserView, u.OrgID) {
		return nil, errUserNotFound
	}
	return u, nil
}

const userCols = `id, org_id, login, name, roles, lang, disabled, totp_enabled, last_login_at,
	created_at, created_by, updated_at, updated_by`

func scanUser(r interface{ Scan(...any) error }) (*atip.User, error) {
	var u atip.User
	var roles string
	var last sql.NullTime
	if err := r.Scan(&u.ID, &u.OrgID, &u.Login, &u.Name, &roles, &u.Lang, &u.Disabled, &u.TOTPEnabled, &last,
		&u.CreatedAt, &u.CreatedBy, &u.UpdatedAt, &u.UpdatedBy); err != nil {
		return nil, err
	}
	u.Roles = splitRoles(roles)
	if last.Valid {
		u.LastLoginAt = last.Time.UTC()
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// findUser reads a user by "id" or "login_key", without authorisation.
func findUser(ctx context.Context, q querier, col, val string) (*atip.User, error) {
	if col != "id" && col != "login_key" {
		panic("findUser: bad column " + col)
	}
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE `+col+` = $1`, val))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUserNotFound
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return u, nil
}

// FindUsers returns a page of the users the actor may see, ordered by id.
func (s *UserService) FindUsers(ctx context.Context, f atip.UserFilter) ([]*atip.User, string, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, "", err
	}
	var c conds
	add := c.add
	switch {
	case policy.Can(a, policy.UserView, otherOrg):
	case a.User != nil && policy.Can(a, policy.UserView, a.User.OrgID):
		add("org_id = ?", a.User.OrgID)
	case a.User != nil:
		add("id = ?", a.User.ID)
	default:
		return nil, "", nil
	}
	if f.OrgID != "" {
		add("org_id = ?", f.OrgID)
	}
	if f.Role != "" {
		add(`(',' || roles || ',') LIKE ? ESCAPE '\'`, "%,"+likeEscape(string(f.Role))+",%")
	}
	if q := foldKey(f.Query); q != "" {
		add(`(login_key LIKE ? ESCAPE '\' OR name_key LIKE ? ESCAPE '\')`, "%"+likeEscape(q)+"%")
	}
	if f.After != "" {
		add("id > ?", f.After)
	}
	return listByID(ctx, s.db.r, userCols, "users", &c, pageSize(f.Limit), scanUser, func(u *atip.User) string { return u.ID })
}

// SetPassword is an admin's reset of another user's password, which also
// ends all that user's sessions and lifts a lockout. One's own password is
// changed with AuthService.ChangePassword, which asks for the current one.
func (s *UserService) SetPassword(ctx context.Context, id, pw string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	u, err := findUser(ctx, s.db.r, "id", id)
	if err != nil {
		return err
	}
	if isSelf(a, u.ID) {
		// Resetting needs no current password; one's own change must give it.
		return atip.Errorf(atip.EFORBIDDEN, "change your own password on your account page, with your current password")
	}
	if !policy.Can(a, policy.UserView, u.OrgID) && !policy.Can(a, policy.UserResetPass, u.OrgID) {
		return errUserNotFound
	}
	if err := require(a, policy.UserResetPass, u.OrgID, "reset this user's password"); err != nil {
		return err
	}
	if msg := password.Check(pw, u.Login); msg != "" {
		var v atip.Invalid
		v.Add("password", "%s", msg)
		return v.Err()
	}
	hash := password.Hash(pw, s.db.pwParams)
	return s.db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2,
			updated_at = $2, updated_by = $3 WHERE id = $4`, hash, tx.Now, a.UserID(), u.ID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, userKey(u.ID)); err != nil {
			return fmt.Errorf("lift lockout: %w", err)
		}
		tx.Audit(atip.AuditEntry{Action: "user.password_reset", RecordType: "user", RecordID: u.ID})
		return nil
	})
}

// ResetTOTP turns two-factor off for a user who lost their phone and their
// recovery codes, deleting the secret and the codes and ending the user's
// sessions. It needs the same permission as a password reset. If their role
// requires two-factor, they enrol again at their next sign-in.
func (s *UserService) ResetTOTP(ctx context.Context, id string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *Tx) error {
		u, err := findUser(ctx, tx, "id", id)
		if err != nil {
			return err
		}
		if !policy.Can(a, policy.UserView, u.OrgID) && !policy.Can(a, policy.UserResetPass, u.OrgID) {
			return errUserNotFound
		}
		if err := require(a, policy.UserResetPass, u.OrgID, "reset this user's two-factor sign-in"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = '', totp_enabled = FALSE, totp_last_step = 0,
			updated_at = $1, updated_by = $2 WHERE id = $3`, tx.Now, a.UserID(), u.ID); err != nil {
			return fmt.Errorf("reset totp: %w", err)
		}
		for _, q := range []string{`DELETE FROM recovery_codes WHERE user_id = $1`, `DELETE FROM sessions WHERE user_id = $1`} {
			if _, err := tx.ExecContext(ctx, q, u.ID); err != nil {
				return fmt.Errorf("reset totp: %w", err)
			}
		}
		tx.Audit(atip.AuditEntry{Action: "user.totp_reset", RecordType: "user", RecordID: u.ID})
		return nil
	})
}
