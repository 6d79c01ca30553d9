package database_test

import (
	"context"
	"testing"

	"atip"
)

// A user changes their own password only by giving the current one: a
// session alone (left open on a shared phone, or stolen) cannot take the
// account over, and a wrong guess counts towards the lockout.
func TestChangeOwnPassword(t *testing.T) {
	eachEngine(t, func(t *testing.T, w *authWorld) {
		u := w.u["A"][atip.RoleCaseworker]
		mine, _, err := w.auth.Login(from("192.0.2.1"), u.Login, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := w.auth.Login(from("192.0.2.7"), u.Login, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		self := w.as("A", atip.RoleCaseworker)
		const newPW = "another long passphrase"

		// Resetting one's own password without the current one is refused.
		wantCode(t, w.users.SetPassword(self, u.ID, newPW), atip.EFORBIDDEN)

		// A wrong current password is a field error, audited as a failure.
		err = w.auth.ChangePassword(self, mine, "not my password at all", newPW)
		var e *atip.Error
		if atip.ErrorCode(err) != atip.EINVALID || !asError(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "current" {
			t.Fatalf("wrong current password: %v", err)
		}
		if es := w.entries(t, "user.password_change_failed"); len(es) != 1 || es[0].RecordID != u.ID || es[0].Outcome != "failed" {
			t.Fatalf("failure entries %+v", es)
		}
		// A weak new password names the new field.
		err = w.auth.ChangePassword(self, mine, testPassword, "short")
		if !asError(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "new" {
			t.Fatalf("weak new password: %v", err)
		}

		if err := w.auth.ChangePassword(self, mine, testPassword, newPW); err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.auth.Session(context.Background(), mine); err != nil {
			t.Errorf("own session ended by own change: %v", err)
		}
		if _, _, err := w.auth.Session(context.Background(), other); atip.ErrorCode(err) != atip.ENOTFOUND {
			t.Errorf("other session after password change: %v, want ended", err)
		}
		_, _, err = w.auth.Login(from("192.0.2.1"), u.Login, testPassword)
		wantCode(t, err, atip.EUNAUTHORIZED)
		if _, _, err := w.auth.Login(from("192.0.2.1"), u.Login, newPW); err != nil {
			t.Fatalf("sign in with the new password: %v", err)
		}
		if es := w.entries(t, "user.password_change"); len(es) != 1 || es[0].ActorID != u.ID {
			t.Fatalf("change entries %+v", es)
		}

		// Repeated wrong guesses lock the account like sign-in does.
		for i := 0; i < 20; i++ {
			if err := w.auth.ChangePassword(self, mine, "guess number "+string(rune('a'+i))+" wrong", "yet another passphrase"); atip.ErrorCode(err) == atip.ETOOMANY {
				return
			}
		}
		t.Fatal("20 wrong current passwords did not lock the account")
	})
}

func asError(err error, target **atip.Error) bool {
	e, ok := err.(*atip.Error)
	if ok {
		*target = e
	}
	return ok
}
