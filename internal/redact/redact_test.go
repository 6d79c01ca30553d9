package redact

import (
	"testing"
	"time"

	"atip"
)

func TestAgeBand(t *testing.T) {
	tests := []struct {
		age   int
		band  string
		child bool
	}{
		{-1, Unknown, false}, {0, "0-5", true}, {5, "0-5", true}, {6, "6-11", true}, {11, "6-11", true},
		{14, "12-14", true}, {15, "15-17", true}, {17, "15-17", true}, {18, "18-24", false},
		{34, "25-34", false}, {49, "35-49", false}, {50, "50+", false}, {97, "50+", false},
	}
	for _, tt := range tests {
		if got := AgeBand(tt.age); got != tt.band || Child(got) != tt.child {
			t.Errorf("AgeBand(%d) = %q (child %v), want %q (child %v)", tt.age, got, Child(got), tt.band, tt.child)
		}
	}
}

func TestAgeAt(t *testing.T) {
	birth := time.Date(2009, 8, 15, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		at   time.Time
		want int
	}{
		{time.Date(2027, 8, 14, 23, 0, 0, 0, time.UTC), 17}, // the day before turning 18: still a child
		{time.Date(2027, 8, 15, 0, 0, 0, 0, time.UTC), 18},
		{time.Date(2009, 8, 15, 0, 0, 0, 0, time.UTC), 0},
		{time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC), -1},
	}
	for _, tt := range tests {
		if got := AgeAt(birth, tt.at); got != tt.want {
			t.Errorf("AgeAt(%v) = %d, want %d", tt.at, got, tt.want)
		}
	}
	if AgeAt(time.Time{}, birth) != -1 {
		t.Error("an unknown birth date must give an unknown age")
	}
}

func TestDistrict(t *testing.T) {
	for in, want := range map[string]string{
		"IN-WB-SOUTH_24_PARGANAS":            "IN-WB-SOUTH_24_PARGANAS",
		"IN-WB-SOUTH_24_PARGANAS-CANNING-II": "IN-WB-SOUTH_24_PARGANAS",
		"NP-P3":                              "NP-P3",
		"NP":                                 "NP",
		"":                                   "",
	} {
		if got := District(in); got != want {
			t.Errorf("District(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRef(t *testing.T) {
	tests := []struct {
		ref  atip.RecordRef
		want string
	}{
		{atip.RecordRef{Type: atip.RecordPerson, ID: "0193c8e4-5b1a-7c2d-9e8f-0a1b7f3a91c2"}, "PER-7F3A-91C2"},
		{atip.RecordRef{Type: atip.RecordCase, ID: "0193c8e4-5b1a-7c2d-9e8f-0a1b7f3a91c3"}, "CAS-7F3A-91C3"},
		{atip.RecordRef{Type: "other", ID: "12"}, "REC-0000-0012"},
	}
	for _, tt := range tests {
		if got := Ref(tt.ref); got != tt.want {
			t.Errorf("Ref(%v) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

func TestDateOfUsesLocalCalendar(t *testing.T) {
	kolkata := time.FixedZone("IST", 5*3600+1800)
	// 20:00 UTC on 1 March is already 2 March in India.
	if got := DateOf(time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC), kolkata).String(); got != "2026-03-02" {
		t.Errorf("DateOf = %s, want 2026-03-02", got)
	}
}
