package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"atip"
	"atip/internal/policy"
)

// Pages of the sharing workflows (issue 3) over every shareable record: a
// record's sharing page (marking, consents, referrals, transfer, erasure for
// the owner; its redacted reference, access request and break-glass for
// others), the organisation's inbox, the "shared by us / with us" lists,
// notifications and the sharing settings. Who may do what is the sharing
// service's (and so the policy's) decision; these handlers offer the forms
// the service would accept and pass the answers on. A record the actor may
// not see is a 404 page.

func init() { routeAreas = append(routeAreas, (*Server).sharingRoutes) }

// sharingRoutes lists the pages of this area; see routeTable.
func (s *Server) sharingRoutes() []route {
	return []route{
		{pattern: "GET /records/{id}/sharing", action: policy.RecordBrowse, handle: s.recordSharing},
		{pattern: "POST /records/{id}/marking", action: policy.RecordWrite, handle: s.recordMarking},
		{pattern: "POST /records/{id}/consents", action: policy.RecordWrite, handle: s.recordConsent},
		{pattern: "POST /records/{id}/consents/{cid}/withdraw", action: policy.RecordWrite, handle: s.recordConsentWithdraw},
		{pattern: "POST /records/{id}/referrals", action: policy.RecordWrite, handle: s.recordRefer},
		{pattern: "POST /records/{id}/referrals/{rid}/revoke", action: policy.RecordWrite, handle: s.recordRevoke},
		{pattern: "POST /records/{id}/transfer", action: policy.RecordWrite, handle: s.recordTransfer},
		{pattern: "POST /records/{id}/erasure", action: policy.RecordWrite, handle: s.recordErasure},
		{pattern: "POST /records/{id}/access-requests", action: policy.RecordBrowse, handle: s.recordAccessRequest},
		{pattern: "POST /records/{id}/break-glass", action: policy.RecordBrowse, handle: s.recordBreakGlass},
		{pattern: "GET /sharing/inbox", action: policy.RecordBrowse, handle: s.sharingInbox},
		{pattern: "POST /sharing/referrals/{id}/answer", action: policy.RecordWrite, handle: s.inboxReferral},
		{pattern: "POST /sharing/transfers/{id}/answer", action: policy.RecordWrite, handle: s.inboxTransfer},
		{pattern: "POST /sharing/requests/{id}/decide", action: policy.RecordBrowse, handle: s.inboxRequest},
		{pattern: "POST /sharing/erasures/{id}/decide", action: policy.RecordWrite, handle: s.inboxErasure},
		{pattern: "POST /sharing/break-glass/{id}/review", action: policy.RecordBrowse, handle: s.inboxGlassReview},
		{pattern: "POST /sharing/matches/{id}/sighting", action: policy.RecordWrite, handle: s.inboxSighting},
		{pattern: "POST /sharing/matches/{id}/access-request", action: policy.RecordWrite, handle: s.inboxMatchRequest},
		{pattern: "GET /sharing/shared", action: policy.RecordBrowse, handle: s.sharingShared},
		{pattern: "GET /sharing/settings", action: policy.SettingsEdit, handle: s.sharingSettings},
		{pattern: "POST /sharing/settings/defaults", action: policy.SettingsEdit, handle: s.sharingSetDefault},
		{pattern: "POST /sharing/settings/retention", action: policy.SettingsEdit, handle: s.sharingSetRetention},
		{pattern: "GET /notifications", action: policy.RecordBrowse, handle: s.notificationList},
		{pattern: "POST /notifications/{id}/read", action: policy.RecordBrowse, handle: s.notificationRead},
	}
}

func (s *Server) sharingService() (atip.SharingService, error) {
	if s.cfg.Sharing == nil {
		return nil, atip.Errorf(atip.ENOTFOUND, "page not found")
	}
	return s.cfg.Sharing, nil
}

// shareClasses are the classes a referral, request or break-glass may name.
var shareClasses = []atip.FieldClass{atip.ClassOperational, atip.ClassIdentity, atip.ClassContact, atip.ClassLocation,
	atip.ClassDocuments, atip.ClassHealth, atip.ClassStatement}

// breakGlassMinutes are the durations the break-glass form offers.
var breakGlassMinutes = []int{15, 30, 60, 120, 240}

// recordPage is the sharing page of one record.
type recordPage struct {
	S        *atip.RecordSharing
	Owner    string // the owner organisation's name
	Orgs     []*atip.Org
	Groups   []*atip.SharingGroup // live groups of the actor's organisation, for the marking form
	Names    map[string]string    // organisation names by id
	Classes  []atip.FieldClass
	Purposes []atip.Purpose
	TLPs     []atip.TLP
	Dists    []atip.Distribution
	Minutes  []int
	Today    string
	MaxDate  string
	Errors   map[string]string
	Saved    bool
	IsGroup  map[string]bool
}

func (s *Server) recordPageFor(r *http.Request, rs *atip.RecordSharing) recordPage {
	names := &orgNames{s: s, r: r}
	now := time.Now()
	p := recordPage{S: rs, Owner: names.name(rs.Label.OwnerOrgID), Classes: shareClasses, Purposes: atip.Purposes,
		TLPs: atip.TLPs, Dists: atip.Distributions, Minutes: breakGlassMinutes, Names: map[string]string{},
		Today: groupDate(r, now), MaxDate: groupDate(r, now.Add(policy.ReferralMaxDuration-24*time.Hour)), IsGroup: map[string]bool{}}
	if rs.Owner {
		if orgs, _, err := s.cfg.Orgs.FindOrgs(r.Context(), atip.OrgFilter{Limit: 200}); err == nil {
			a := stateOf(r).actor
			for _, o := range orgs {
				if !o.Disabled && (a.User == nil || o.ID != a.User.OrgID) {
					p.Orgs = append(p.Orgs, o)
				}
			}
		}
		if s.cfg.Groups != nil {
			if gs, err := s.cfg.Groups.FindGroups(r.Context()); err == nil {
				a := stateOf(r).actor
				for _, g := range gs {
					if a.User != nil && policy.LiveMember(g, a.User.OrgID, now) {
						p.Groups = append(p.Groups, g)
					}
				}
			}
		}
		for _, g := range rs.Meta.GroupIDs {
			p.IsGroup[g] = true
		}
	}
	add := func(id string) {
		if id != "" {
			p.Names[id] = names.name(id)
		}
	}
	for _, x := range rs.Referrals {
		add(x.ToOrgID)
	}
	for _, x := range rs.Transfers {
		add(x.ToOrgID)
	}
	for _, x := range rs.BreakGlass {
		add(x.OrgID)
	}
	for _, c := range rs.Consents {
		for _, o := range c.OrgIDs {
			add(o)
		}
	}
	for _, m := range rs.Matches {
		add(m.OtherOrgID)
	}
	return p
}

func (s *Server) recordSharing(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.sharingService()
	if err != nil {
		return err
	}
	rs, err := svc.RecordSharing(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	page := s.recordPageFor(r, rs)
	page.Saved = r.URL.Query().Get("saved") == "1"
	s.render(w, r, http.StatusOK, "sharing_record", page)
	return nil
}

// recordChange runs a change from the record's sharing page: a redirect
// back when it went through, the page with the messages when it did not.
func (s *Server) recordChange(w http.ResponseWriter, r *http.Request, change func(svc atip.SharingService, id string) error) error {
	svc, err := s.sharingService()
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	if err := change(svc, id); err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		rs, rerr := svc.RecordSharing(r.Context(), id)
		if rerr != nil {
			return rerr
		}
		page := s.recordPageFor(r, rs)
		page.Errors = fields
		s.render(w, r, code, "sharing_record", page)
		return nil
	}
	if _, err := svc.RecordSharing(r.Context(), id); err != nil {
		// Transferred away, say: the record is no longer ours to show.
		http.Redirect(w, r, "/sharing/inbox", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/records/"+url.PathEscape(id)+"/sharing?saved=1", http.StatusSeeOther)
	return nil
}

func formClasses(v url.Values) []atip.FieldClass {
	var out []atip.FieldClass
	for _, c := range v["classes"] {
		out = append(out, atip.FieldClass(c))
	}
	return out
}

func formPurposes(v url.Values) []atip.Purpose {
	var out []atip.Purpose
	for _, p := range v["purposes"] {
		out = append(out, atip.Purpose(p))
	}
	return out
}

func (s *Server) recordMarking(w http.ResponseWriter, r *http.Request) error {
	return s.recordChange(w, r, func(svc atip.SharingService, id string) error {
		return svc.SetMarking(r.Context(), id, atip.MarkingChange{Distribution: atip.Distribution(field(r.PostForm, "distribution")),
			TLP: atip.TLP(field(r.PostForm, "tlp")), GroupIDs: r.PostForm["group_ids"], SharedOperational: r.PostForm.Get("operational") == "1"})
	})
}

func (s *Server) recordConsent(w http.ResponseWriter, r *http.Request) error {
	return s.recordChange(w, r, func(svc atip.SharingService, id string) error {
		var inv atip.Invalid
		given := time.Now()
		if d := field(r.PostForm, "given_on"); d != "" {
			t, err := time.ParseInLocation("2006-01-02", d, zoneFor(stateOf(r).actor))
			if err != nil {
				inv.Add("given_at", "give a date as YYYY-MM-DD")
			} else if t.Before(given) {
				given = t
			}
		}
		if err := inv.Err(); err != nil {
			return err
		}
		return svc.RecordConsent(r.Context(), &atip.Consent{Record: atip.RecordRef{ID: id}, Purposes: formPurposes(r.PostForm),
			OrgIDs: r.PostForm["org_ids"], GroupIDs: r.PostForm["group_ids"], Method: atip.ConsentMethod(field(r.PostForm, "method")),
			GivenBy: atip.ConsentGiver(field(r.PostForm, "given_by")), GuardianRelation: field(r.PostForm, "guardian_relation"),
			ChildAssent: r.PostForm.Get("child_assent") == "1", GivenAt: given})
	})
}

func (s *Server) recordConsentWithdraw(w http.ResponseWriter, r *http.Request) error {
	return s.recordChange(w, r, func(svc atip.SharingService, id string) error {
		return svc.WithdrawConsent(r.Context(), r.PathValue("cid"))
	})
}

func (s *Server) recordRefer(w http.ResponseWriter, r *http.Request) error {
	return s.recordChange(w, r, func(svc atip.SharingService, id string) error {
		var inv atip.Invalid
		expires := parseExpiry(zoneFor(stateOf(r).actor), &inv, "expires_at", field(r.PostForm, "expires"))
		if err := inv.Err(); err != nil {
			return err
		}
		return svc.Refer(r.Context(), &atip.Referral{Record: atip.RecordRef{ID: id}, ToOrgID: field(r.PostForm, "to_org_id"),
			Classes: formClasses(r.PostForm), Purpose: atip.Purpose(field(r.PostForm, "purpose")), Note: r.PostForm.Get("note"),
			ExpiresAt: expires})
	})
}

func (s *Server) recordRevoke(w http.ResponseWriter, r *http.Request) error {
	return s.recordChange(w, r, func(svc atip.SharingService, id string) error {
		return svc.RevokeReferral(r.Context(), r.PathValue("rid"))
	})
}

func (s *Server) recordTransfer(w http.ResponseWriter, r *http.Request) error {
	return s.recordChange(w, r, func(svc atip.SharingService, id string) error {
		return svc.TransferRecord(r.Context(), &atip.Transfer{Record: atip.RecordRef{ID: id}, ToOrgID: field(r.PostForm, "to_org_id"),
			Purpose: atip.Purpose(field(r.PostForm, "purpose")), Reason: r.PostForm.Get("reason")})
	})
}

func (s *Server) recordErasure(w http.ResponseWriter, r *http.Request) error {
	return s.recordChange(w, r, func(svc atip.SharingService, id string) error {
		_, err := svc.RequestErasure(r.Context(), id, r.PostForm.Get("reason"))
		return err
	})
}

func (s *Server) recordAccessRequest(w http.ResponseWriter, r *http.Request) error {
	return s.recordChange(w, r, func(svc atip.SharingService, id string) error {
		return svc.RequestAccess(r.Context(), &atip.AccessRequest{Record: atip.RecordRef{ID: id}, Classes: formClasses(r.PostForm),
			Purpose: atip.Purpose(field(r.PostForm, "purpose")), Reason: r.PostForm.Get("reason")})
	})
}

func (s *Server) recordBreakGlass(w http.ResponseWriter, r *http.Request) error {
	return s.recordChange(w, r, func(svc atip.SharingService, id string) error {
		minutes, err := strconv.Atoi(field(r.PostForm, "minutes"))
		if err != nil || minutes <= 0 {
			var inv atip.Invalid
			inv.Add("duration", "sharing.error.duration")
			return inv.Err()
		}
		_, err = svc.BreakGlass(r.Context(), id, formClasses(r.PostForm), r.PostForm.Get("reason"), time.Duration(minutes)*time.Minute)
		return err
	})
}

// ---- Inbox ----

type inboxPage struct {
	In      *atip.SharingInbox
	Names   map[string]string
	Today   string
	MaxDate string
	Errors  []string
	Saved   bool
	Me      string
	// Classes and Purposes fill the access request a match offers for a
	// record the user cannot see.
	Classes  []atip.FieldClass
	Purposes []atip.Purpose
}

func (s *Server) inboxPageFor(r *http.Request, in *atip.SharingInbox) inboxPage {
	names := &orgNames{s: s, r: r}
	now := time.Now()
	p := inboxPage{In: in, Names: map[string]string{}, Today: groupDate(r, now.AddDate(0, 0, 1)),
		MaxDate: groupDate(r, now.Add(policy.ReferralMaxDuration-24*time.Hour)),
		Classes: policy.SetProtected.List(), Purposes: atip.Purposes}
	if a := stateOf(r).actor; a.User != nil {
		p.Me = a.User.ID
	}
	add := func(id string) { p.Names[id] = names.name(id) }
	for _, x := range in.Referrals {
		add(x.FromOrgID)
	}
	for _, x := range in.Transfers {
		add(x.FromOrgID)
	}
	for _, x := range in.Requests {
		add(x.RequesterOrgID)
	}
	for _, x := range in.BreakGlass {
		add(x.OrgID)
	}
	for _, x := range in.Matches {
		add(x.OtherOrgID)
	}
	for _, x := range in.Sightings {
		add(x.FromOrgID)
	}
	return p
}

func (s *Server) sharingInbox(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.sharingService()
	if err != nil {
		return err
	}
	in, err := svc.Inbox(r.Context())
	if err != nil {
		return err
	}
	page := s.inboxPageFor(r, in)
	page.Saved = r.URL.Query().Get("saved") == "1"
	s.render(w, r, http.StatusOK, "sharing_inbox", page)
	return nil
}

// inboxChange runs a decision from the inbox and shows the inbox again.
func (s *Server) inboxChange(w http.ResponseWriter, r *http.Request, change func(svc atip.SharingService, id string) error) error {
	svc, err := s.sharingService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	if err := change(svc, r.PathValue("id")); err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		in, ierr := svc.Inbox(r.Context())
		if ierr != nil {
			return ierr
		}
		page := s.inboxPageFor(r, in)
		for _, k := range sortedKeys(fields) {
			page.Errors = append(page.Errors, fields[k])
		}
		s.render(w, r, code, "sharing_inbox", page)
		return nil
	}
	http.Redirect(w, r, "/sharing/inbox?saved=1", http.StatusSeeOther)
	return nil
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j] < ks[j-1]; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}

func (s *Server) inboxReferral(w http.ResponseWriter, r *http.Request) error {
	return s.inboxChange(w, r, func(svc atip.SharingService, id string) error {
		_, err := svc.AnswerReferral(r.Context(), id, field(r.PostForm, "answer") == "accept", r.PostForm.Get("reason"))
		return err
	})
}

func (s *Server) inboxTransfer(w http.ResponseWriter, r *http.Request) error {
	return s.inboxChange(w, r, func(svc atip.SharingService, id string) error {
		_, err := svc.AnswerTransfer(r.Context(), id, field(r.PostForm, "answer") == "accept", r.PostForm.Get("reason"))
		return err
	})
}

func (s *Server) inboxRequest(w http.ResponseWriter, r *http.Request) error {
	return s.inboxChange(w, r, func(svc atip.SharingService, id string) error {
		approve := field(r.PostForm, "answer") == "approve"
		var until time.Time
		if approve {
			var inv atip.Invalid
			until = parseExpiry(zoneFor(stateOf(r).actor), &inv, "expires_at", field(r.PostForm, "expires"))
			if err := inv.Err(); err != nil {
				return err
			}
		}
		_, err := svc.DecideAccessRequest(r.Context(), id, approve, until, r.PostForm.Get("note"))
		return err
	})
}

func (s *Server) inboxErasure(w http.ResponseWriter, r *http.Request) error {
	return s.inboxChange(w, r, func(svc atip.SharingService, id string) error {
		_, err := svc.DecideErasure(r.Context(), id, field(r.PostForm, "answer") == "approve")
		return err
	})
}

func (s *Server) inboxGlassReview(w http.ResponseWriter, r *http.Request) error {
	return s.inboxChange(w, r, func(svc atip.SharingService, id string) error {
		return svc.ReviewBreakGlass(r.Context(), id)
	})
}

func (s *Server) inboxSighting(w http.ResponseWriter, r *http.Request) error {
	return s.inboxChange(w, r, func(svc atip.SharingService, id string) error {
		_, err := svc.RecordSighting(r.Context(), id, r.PostForm.Get("note"))
		return err
	})
}

// inboxMatchRequest asks the holder of a match's other record for access.
func (s *Server) inboxMatchRequest(w http.ResponseWriter, r *http.Request) error {
	return s.inboxChange(w, r, func(svc atip.SharingService, id string) error {
		return svc.RequestAccessFromMatch(r.Context(), id, &atip.AccessRequest{Classes: formClasses(r.PostForm),
			Purpose: atip.Purpose(field(r.PostForm, "purpose")), Reason: r.PostForm.Get("reason")})
	})
}

// ---- Shared lists ----

type sharedRow struct {
	R     *atip.Referral
	Label atip.RecordLabel
	Org   string // the other organisation's name
}

type sharedPage struct {
	ByUs, WithUs []sharedRow
}

func (s *Server) sharingShared(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.sharingService()
	if err != nil {
		return err
	}
	l, err := svc.Shared(r.Context())
	if err != nil {
		return err
	}
	names := &orgNames{s: s, r: r}
	var p sharedPage
	for _, x := range l.ByUs {
		p.ByUs = append(p.ByUs, sharedRow{R: x, Label: l.Labels[x.Record.ID], Org: names.name(x.ToOrgID)})
	}
	for _, x := range l.WithUs {
		p.WithUs = append(p.WithUs, sharedRow{R: x, Label: l.Labels[x.Record.ID], Org: names.name(x.FromOrgID)})
	}
	s.render(w, r, http.StatusOK, "sharing_shared", p)
	return nil
}

// ---- Settings ----

type settingsPage struct {
	Defaults  map[atip.RecordType]atip.SharingDefault
	Retention map[atip.RecordType]int // days
	Due       []atip.RecordLabel
	Types     []atip.RecordType
	TLPs      []atip.TLP
	Dists     []atip.Distribution
	Errors    map[string]string
	Saved     bool
}

func (s *Server) settingsPageFor(r *http.Request) (settingsPage, error) {
	svc, err := s.sharingService()
	if err != nil {
		return settingsPage{}, err
	}
	p := settingsPage{Defaults: map[atip.RecordType]atip.SharingDefault{}, Retention: map[atip.RecordType]int{},
		Types: atip.RecordTypes, TLPs: atip.TLPs, Dists: atip.Distributions}
	ds, err := svc.SharingDefaults(r.Context())
	if err != nil {
		return p, err
	}
	for _, d := range ds {
		p.Defaults[d.RecordType] = d
	}
	rules, err := svc.RetentionRules(r.Context())
	if err != nil {
		return p, err
	}
	for _, x := range rules {
		p.Retention[x.RecordType] = int(x.KeepFor / (24 * time.Hour))
	}
	if a := stateOf(r).actor; a.User != nil && policy.Can(a, policy.RecordWrite, a.User.OrgID) {
		if p.Due, err = svc.RetentionDue(r.Context()); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (s *Server) sharingSettings(w http.ResponseWriter, r *http.Request) error {
	p, err := s.settingsPageFor(r)
	if err != nil {
		return err
	}
	p.Saved = r.URL.Query().Get("saved") == "1"
	s.render(w, r, http.StatusOK, "sharing_settings", p)
	return nil
}

func (s *Server) settingsChange(w http.ResponseWriter, r *http.Request, change func(svc atip.SharingService) error) error {
	svc, err := s.sharingService()
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return parseError(err)
	}
	if err := change(svc); err != nil {
		code, fields, ok := formError(err)
		if !ok {
			return err
		}
		p, perr := s.settingsPageFor(r)
		if perr != nil {
			return perr
		}
		p.Errors = fields
		s.render(w, r, code, "sharing_settings", p)
		return nil
	}
	http.Redirect(w, r, "/sharing/settings?saved=1", http.StatusSeeOther)
	return nil
}

func (s *Server) sharingSetDefault(w http.ResponseWriter, r *http.Request) error {
	return s.settingsChange(w, r, func(svc atip.SharingService) error {
		return svc.SetSharingDefault(r.Context(), atip.SharingDefault{RecordType: atip.RecordType(field(r.PostForm, "record_type")),
			Distribution: atip.Distribution(field(r.PostForm, "distribution")), TLP: atip.TLP(field(r.PostForm, "tlp"))})
	})
}

func (s *Server) sharingSetRetention(w http.ResponseWriter, r *http.Request) error {
	return s.settingsChange(w, r, func(svc atip.SharingService) error {
		days, err := strconv.Atoi(field(r.PostForm, "keep_days"))
		if err != nil || days < 0 {
			var inv atip.Invalid
			inv.Add("keep_days", "sharing.error.keep_days")
			return inv.Err()
		}
		return svc.SetRetentionRule(r.Context(), atip.RetentionRule{RecordType: atip.RecordType(field(r.PostForm, "record_type")),
			KeepFor: time.Duration(days) * 24 * time.Hour})
	})
}

// ---- Notifications ----

type notificationRow struct {
	N      *atip.Notification
	Org    string // the organisation the message names, if any
	When   string
	Link   string // the record's sharing page, for the organisation's own or shared records
	Unread bool
}

type notificationsPage struct {
	Rows   []notificationRow
	Unread int
}

func (s *Server) notificationList(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.sharingService()
	if err != nil {
		return err
	}
	ns, err := svc.Notifications(r.Context(), 100)
	if err != nil {
		return err
	}
	names := &orgNames{s: s, r: r}
	loc := zoneFor(stateOf(r).actor)
	p := notificationsPage{}
	for _, n := range ns {
		row := notificationRow{N: n, When: n.CreatedAt.In(loc).Format("2006-01-02 15:04"), Unread: n.ReadAt.IsZero()}
		if o := n.Args["org"]; o != "" {
			row.Org = names.name(o)
		}
		if n.Record.ID != "" {
			row.Link = "/records/" + url.PathEscape(n.Record.ID) + "/sharing"
		}
		if row.Unread {
			p.Unread++
		}
		p.Rows = append(p.Rows, row)
	}
	s.render(w, r, http.StatusOK, "sharing_notifications", p)
	return nil
}

func (s *Server) notificationRead(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.sharingService()
	if err != nil {
		return err
	}
	if err := svc.MarkNotificationRead(r.Context(), r.PathValue("id")); err != nil && atip.ErrorCode(err) != atip.ECONFLICT {
		return err
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
	return nil
}

// countUnread puts the actor's unread notifications beside the sharing
// item of the navigation: one count query per page.
func (s *Server) countUnread(r *http.Request, items []navItem) {
	if s.cfg.Sharing == nil {
		return
	}
	for i := range items {
		if items[i].Href == "/sharing/inbox" {
			if n, err := s.cfg.Sharing.UnreadNotifications(r.Context()); err == nil {
				items[i].Count = n
			}
		}
	}
}
