package selectors

import (
	"strings"
	"testing"
	"unicode/utf8"
)

type want struct {
	typ  Type
	norm string
}

func check(t *testing.T, text string, wants []want) {
	t.Helper()
	got := Extract(text)
	for _, w := range wants {
		found := false
		for _, g := range got {
			if g.Type == w.typ && g.Normalized == w.norm {
				found = true
			}
		}
		if !found {
			t.Errorf("Extract(%q): missing %s %s; got %v", text, w.typ, w.norm, got)
		}
	}
	for _, g := range got {
		if g.Start < 0 || g.End > len(text) || g.Start > g.End || text[g.Start:g.End] != g.Value {
			t.Errorf("Extract(%q): bad span %+v", text, g)
		}
	}
}

func TestPhonesByCountryAndForm(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []want
	}{
		// India
		{"IN plain", "call 9830123456 now", []want{{Phone, "+919830123456"}}},
		{"IN +91 dashes", "contact +91-98301-23456 sir", []want{{Phone, "+919830123456"}}},
		{"IN 0091", "0091 98301 23456", []want{{Phone, "+919830123456"}}},
		{"IN trunk 0", "फोन करें 09830123456", []want{{Phone, "+919830123456"}}},
		{"IN 91 no plus", "whatsapp 919830123456 pe", []want{{Phone, "+919830123456"}}},
		{"IN brackets", "(+91) 98301 23456", []want{{Phone, "+919830123456"}}},
		{"IN Devanagari digits", "संपर्क ९८३०१२३४५६", []want{{Phone, "+919830123456"}}},
		{"IN spaced digits", "9 8 3 0 1 2 3 4 5 6", []want{{Phone, "+919830123456"}}},
		{"IN split groups", "98-30-12-34-56 pe call", []want{{Phone, "+919830123456"}}},
		{"IN spelled English", "nine eight three zero one two three four five six", []want{{Phone, "+919830123456"}}},
		{"IN glued spelled", "nine8three0 one23 4five6", []want{{Phone, "+919830123456"}}},
		{"IN zer0 and O", "98301 zer0 3 4 5 6 — or 98O1O23456", []want{{Phone, "+919830103456"}, {Phone, "+919801023456"}}},
		{"IN l for 1", "call 983O l23456", []want{{Phone, "+919830123456"}}},
		{"IN Hindi words", "नौ आठ तीन शून्य एक दो तीन चार पांच छह", []want{{Phone, "+919830123456"}}},
		{"IN Hinglish words", "nau aath teen shunya ek do teen char paanch chhe", []want{{Phone, "+919830123456"}}},
		{"IN double", "98 double 3 0 12345", []want{{Phone, "+919833012345"}}},
		// Nepal
		{"NP +977", "+977 984-1234567", []want{{Phone, "+9779841234567"}}},
		{"NP cue", "काठमाडौं मा काम, सम्पर्क ९८४१२३४५६७", []want{{Phone, "+9779841234567"}}},
		{"NP 977 no plus", "977 9841234567", []want{{Phone, "+9779841234567"}}},
		{"NP by language", "दुबईमा काम, केटीहरू मात्र। सम्पर्क ९८४१२३४५६७", []want{{Phone, "+9779841234567"}}},
		{"NP Nepali words", "नेपाल: नौ आठ चार एक दुई तीन चार पाँच छ सात", []want{{Phone, "+9779841234567"}}},
		// Bangladesh
		{"BD trunk", "যোগাযোগ 01712-345678", []want{{Phone, "+8801712345678"}}},
		{"BD Bengali digits", "বিকাশ নম্বর ০১৭১২৩৪৫৬৭৮", []want{{Phone, "+8801712345678"}}},
		{"BD +880", "+880 1712 345678", []want{{Phone, "+8801712345678"}}},
		{"BD Bengali words", "শূন্য এক সাত এক দুই তিন চার পাঁচ ছয় সাত আট", []want{{Phone, "+8801712345678"}}},
		// Sri Lanka
		{"LK trunk", "Colombo job call 077 123 4567", []want{{Phone, "+94771234567"}}},
		{"LK +94", "+94 77 123 4567", []want{{Phone, "+94771234567"}}},
		// Gulf
		{"AE +971", "Dubai visa +971 50 123 4567", []want{{Phone, "+971501234567"}}},
		{"AE local with cue", "Dubai hotel job 050 123 4567", []want{{Phone, "+971501234567"}}},
		{"SA +966", "Riyadh driver +966 50 123 4567", []want{{Phone, "+966501234567"}}},
		{"QA cue", "Qatar company call 3312 3456", []want{{Phone, "+97433123456"}}},
		{"KW +965", "+965 6501 2345", []want{{Phone, "+96565012345"}}},
		{"OM +968", "+968 9212 3456", []want{{Phone, "+96892123456"}}},
		{"BH +973", "+973 3600 1234", []want{{Phone, "+97336001234"}}},
		// two numbers in one run
		{"two numbers", "9830123456, 9876543210", []want{{Phone, "+919830123456"}, {Phone, "+919876543210"}}},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, tc.text, tc.want) })
	}
}

func TestNotPhones(t *testing.T) {
	for _, text := range []string{
		"salary Rs 25,000 - 30,000 per month",
		"age 18-25 only, joining 12.05.2024",
		"call 1098 or 181 for help",
		"ek do teen char paanch chhe saat",
		"we have 2 openings for 3 years",
		"date 2024-05-12 time 10:30",
		"pincode 700001 Kolkata",
	} {
		for _, s := range Extract(text) {
			if s.Type == Phone {
				t.Errorf("Extract(%q) found phone %+v", text, s)
			}
		}
	}
}

func TestLinksAndIds(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []want
	}{
		{"wa.me", "msg wa.me/919830123456 now", []want{{WhatsApp, "+919830123456"}, {Phone, "+919830123456"}}},
		{"wa.me https", "https://wa.me/9779841234567?text=hi", []want{{WhatsApp, "+9779841234567"}}},
		{"api.whatsapp", "https://api.whatsapp.com/send?phone=8801712345678", []want{{WhatsApp, "+8801712345678"}}},
		{"whatsapp group", "join https://chat.whatsapp.com/AbCdEf123XyZ", []want{{WhatsApp, "chat.whatsapp.com/AbCdEf123XyZ"}}},
		{"telegram", "t.me/DubaiJobs_Agent ব্যবহার করুন", []want{{Telegram, "t.me/dubaijobs_agent"}}},
		{"telegram invite", "https://t.me/+AbC123dEf", []want{{Telegram, "t.me/+AbC123dEf"}}},
		{"telegram joinchat", "https://t.me/joinchat/AbC123dEf", []want{{Telegram, "t.me/+AbC123dEf"}}},
		{"email", "CV bhejo: Jobs.Dubai99@Gmail.com।", []want{{Email, "jobs.dubai99@gmail.com"}}},
		{"url normalised", "see HTTP://WWW.Example.com/Jobs/?utm_source=fb&id=7", []want{{URL, "example.com/Jobs?id=7"}}},
		{"url schemeless", "apply at example.org/apply now", []want{{URL, "example.org/apply"}}},
		{"facebook profile", "https://www.facebook.com/priya.sharma.9999", []want{{Handle, "@priya.sharma.9999"}, {URL, "facebook.com/priya.sharma.9999"}}},
		{"instagram profile", "instagram.com/Model_Hunt_Mumbai/", []want{{Handle, "@model_hunt_mumbai"}}},
		{"tiktok profile", "https://www.tiktok.com/@dance.queen22", []want{{Handle, "@dance.queen22"}}},
		{"handle", "DM @Gulf_Jobs_Official for details", []want{{Handle, "@gulf_jobs_official"}}},
		{"upi okaxis", "fee bhejo ramesh.k@okaxis pe", []want{{UPI, "ramesh.k@okaxis"}}},
		{"upi phone ybl", "9830123456@ybl", []want{{UPI, "9830123456@ybl"}, {Phone, "+919830123456"}}},
		{"upi paytm", "Paytm: agent99@paytm", []want{{UPI, "agent99@paytm"}}},
		{"iban AE", "transfer to AE07 0331 2345 6789 0123 456", []want{{IBAN, "AE070331234567890123456"}}},
		{"passport IN", "passport no J8369854 jama karo", []want{{Passport, "J8369854"}}},
		{"passport BD", "পাসপোর্ট নং BX0123456", []want{{Passport, "BX0123456"}}},
		{"passport NP", "राहदानी नं. 09876543", []want{{Passport, "09876543"}}},
	} {
		t.Run(tc.name, func(t *testing.T) { check(t, tc.text, tc.want) })
	}
}

func TestNotSelectors(t *testing.T) {
	for _, tc := range []struct {
		text string
		bad  Type
	}{
		{"IBAN GB00 0000 0000 0000 0000 00 is wrong", IBAN},
		{"order 12345678 shipped", Passport},
		{"email me at home", Email},
		{"we meet@5pm", Handle},
		{"B.Sc, B.Com or B.Tech graduates", URL},
		{"RA licence B-1234/DEL/PER/1000+/5/9999/2024 Saudi Arabia", Phone},
	} {
		for _, s := range Extract(tc.text) {
			if s.Type == tc.bad {
				t.Errorf("Extract(%q) found %+v", tc.text, s)
			}
		}
	}
}

// Offsets point into the original text even when normalisation changed its
// length (native digits are three bytes, ASCII one; NFC composes).
func TestOffsetsIntoOriginal(t *testing.T) {
	text := "नौकरी! संपर्क: ९८३०१२३४५६ और wa.me/919876543210"
	got := Extract(text)
	var phones []string
	for _, s := range got {
		if s.Type == Phone {
			phones = append(phones, s.Value)
		}
	}
	if len(phones) != 2 || phones[0] != "९८३०१२३४५६" || phones[1] != "wa.me/919876543210" {
		t.Fatalf("values %q from %+v", phones, got)
	}
	// Decomposed Bengali (য + nukta) still maps back.
	decomposed := "ছয়" + " ০১৭১২৩৪৫৬৭৮"
	for _, s := range Extract(decomposed) {
		if decomposed[s.Start:s.End] != s.Value || !utf8.ValidString(s.Value) {
			t.Errorf("bad span %+v", s)
		}
	}
}

func TestKeyJoinsWhatsAppAndPhone(t *testing.T) {
	a := Extract("wa.me/919830123456")
	b := Extract("फोन 98301 23456")
	keys := map[string]bool{}
	for _, s := range a {
		keys[s.Key()] = true
	}
	for _, s := range b {
		if s.Type == Phone && !keys[s.Key()] {
			t.Errorf("phone %s does not share a key with the wa.me link %v", s.Key(), a)
		}
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"call ९८३०१२३४५६ or wa.me/919830123456", "nine8three1 zer0 1 2 3 4 5", "x@okaxis @name a@b.co",
		"AE07 0331 2345 6789 0123 456", "passport J8369854", "ছয়", "\xff\xfe+91", strings.Repeat("9 ", 40),
		"https://t.me/joinchat/", "@", "wa.me/", "http://[::1]:80/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, s := range Extract(text) {
			if s.Start < 0 || s.End > len(text) || s.Start > s.End {
				t.Fatalf("span out of bounds: %+v in %q", s, text)
			}
			if text[s.Start:s.End] != s.Value {
				t.Fatalf("value %q is not text[%d:%d]", s.Value, s.Start, s.End)
			}
			if s.Normalized == "" {
				t.Fatalf("empty normal form: %+v", s)
			}
		}
	})
}
