package casegen

// The lists below are ATIP's own: common given names and family names of the
// source regions, combined at random, so every person generated is an
// invented combination — no list entry or combination describes a real case.
// Each name carries its Devanagari or Bengali spelling, since real records
// hold both scripts and the linkage and search engines must be tested on them.

type name struct{ latin, native string }

type people struct {
	script          string // ISO 15924 of the native spellings
	female, male    []name
	surname         []name
	femaleSurname   []name // surnames only women carry (e.g. "Devi", "Khatun"); may be empty
	language        string
	nationality     string
	sourceDistricts []string
}

var nepali = people{
	script: "Deva", language: "ne", nationality: "NP",
	female: []name{{"Sunita", "सुनिता"}, {"Sita", "सीता"}, {"Gita", "गीता"}, {"Maya", "माया"}, {"Sabina", "सबिना"},
		{"Puja", "पूजा"}, {"Anita", "अनिता"}, {"Kabita", "कबिता"}, {"Sarita", "सरिता"}, {"Rina", "रीना"},
		{"Laxmi", "लक्ष्मी"}, {"Samjhana", "सम्झना"}},
	male: []name{{"Ram", "राम"}, {"Bikash", "बिकास"}, {"Suman", "सुमन"}, {"Rajesh", "राजेश"}, {"Prakash", "प्रकाश"},
		{"Dipak", "दीपक"}, {"Santosh", "सन्तोष"}, {"Nabin", "नबिन"}},
	surname: []name{{"Tamang", "तामाङ"}, {"Lama", "लामा"}, {"Shrestha", "श्रेष्ठ"}, {"Magar", "मगर"}, {"Gurung", "गुरुङ"},
		{"Rai", "राई"}, {"Thapa", "थापा"}, {"Bishwakarma", "बिश्वकर्मा"}, {"Pariyar", "परियार"}, {"Yadav", "यादव"}},
	sourceDistricts: []string{"NP-P3-SINDHUPALCHOK", "NP-P3-MAKWANPUR", "NP-P3-NUWAKOT", "NP-P3-DHADING",
		"NP-P3-DOLAKHA", "NP-P3-RASUWA", "NP-P3-KAVREPALANCHOK", "NP-P2-RAUTAHAT", "NP-P2-SARLAHI", "NP-P1-MORANG"},
}

var bengali = people{
	script: "Beng", language: "bn", nationality: "BD",
	female: []name{{"Shirin", "শিরিন"}, {"Rupa", "রূপা"}, {"Moushumi", "মৌসুমী"}, {"Ayesha", "আয়েশা"}, {"Nasrin", "নাসরিন"},
		{"Priya", "প্রিয়া"}, {"Mitali", "মিতালি"}, {"Tania", "তানিয়া"}, {"Sathi", "সাথী"}, {"Rekha", "রেখা"}},
	male: []name{{"Rahim", "রহিম"}, {"Sumon", "সুমন"}, {"Rakib", "রাকিব"}, {"Biplob", "বিপ্লব"}, {"Kamal", "কামাল"},
		{"Subrata", "সুব্রত"}, {"Jahid", "জাহিদ"}},
	surname: []name{{"Mondal", "মন্ডল"}, {"Sheikh", "শেখ"}, {"Das", "দাস"}, {"Sardar", "সরদার"}, {"Biswas", "বিশ্বাস"},
		{"Hossain", "হোসেন"}, {"Haldar", "হালদার"}, {"Naskar", "নস্কর"}},
	femaleSurname: []name{{"Khatun", "খাতুন"}, {"Begum", "বেগম"}},
}

// Bangladesh's and West Bengal's source districts share the language.
var bdSources = []string{"BD-D-JASHORE", "BD-D-SATKHIRA", "BD-D-NARAIL", "BD-D-KHULNA", "BD-D-JHENAIDAH", "BD-D-CHUADANGA"}
var wbSources = []string{"IN-WB-SOUTH_24_PARGANAS", "IN-WB-NORTH_24_PARGANAS", "IN-WB-MURSHIDABAD", "IN-WB-NADIA",
	"IN-WB-MALDA", "IN-WB-JALPAIGURI", "IN-WB-UTTAR_DINAJPUR"}

var hindi = people{
	script: "Deva", language: "hi", nationality: "IN",
	female: []name{{"Anita", "अनिता"}, {"Priyanka", "प्रियंका"}, {"Rekha", "रेखा"}, {"Savitri", "सावित्री"}, {"Manju", "मंजू"},
		{"Sushila", "सुशीला"}, {"Pinki", "पिंकी"}, {"Rinki", "रिंकी"}, {"Sangita", "संगीता"}, {"Phulmani", "फुलमनी"}},
	male: []name{{"Ravi", "रवि"}, {"Sanjay", "संजय"}, {"Manoj", "मनोज"}, {"Sunil", "सुनील"}, {"Birsa", "बिरसा"},
		{"Raju", "राजू"}, {"Mukesh", "मुकेश"}},
	surname: []name{{"Oraon", "उरांव"}, {"Munda", "मुंडा"}, {"Kumar", "कुमार"}, {"Mahto", "महतो"}, {"Kisku", "किस्कू"},
		{"Hembrom", "हेम्ब्रम"}, {"Soren", "सोरेन"}, {"Paswan", "पासवान"}, {"Manjhi", "मांझी"}},
	femaleSurname: []name{{"Devi", "देवी"}, {"Kumari", "कुमारी"}},
	sourceDistricts: []string{"IN-JH-SAHIBGANJ", "IN-JH-DUMKA", "IN-JH-GUMLA", "IN-JH-RANCHI", "IN-AS-KOKRAJHAR",
		"IN-AS-SONITPUR", "IN-OD-SUNDARGARH", "IN-BR-SITAMARHI", "IN-BR-ARARIA", "IN-BR-KISHANGANJ", "IN-BR-PURNIA",
		"IN-BR-KATIHAR", "IN-BR-GAYA", "IN-BR-MADHUBANI"},
}

// crossing is a border crossing point with the districts on either side.
type crossing struct {
	id          string // as Interception.Point and Incident.BorderPoint record it
	from, to    string // gazetteer codes: the source side, the destination side
	fromCountry string
}

var nepalCrossings = []crossing{
	{"birgunj-raxaul", "NP-P2-PARSA", "IN-BR-EAST_CHAMPARAN", "NP"},
	{"bhairahawa-sunauli", "NP-P5-RUPANDEHI", "IN-UP-MAHARAJGANJ", "NP"},
	{"biratnagar-jogbani", "NP-P1-MORANG", "IN-BR-ARARIA", "NP"},
	{"kakarbhitta-panitanki", "NP-P1-JHAPA", "IN-WB-DARJEELING", "NP"},
	{"nepalgunj-rupaidiha", "NP-P5-BANKE", "IN-UP-BAHRAICH", "NP"},
	{"mahendranagar-banbasa", "NP-P7-KANCHANPUR", "IN-UK-CHAMPAWAT", "NP"},
}

var bangladeshCrossings = []crossing{
	{"benapole-petrapole", "BD-D-JASHORE", "IN-WB-NORTH_24_PARGANAS", "BD"},
	{"satkhira-basirhat", "BD-D-SATKHIRA", "IN-WB-NORTH_24_PARGANAS", "BD"}, // riverine, unofficial
	{"darshana-gede", "BD-D-CHUADANGA", "IN-WB-NADIA", "BD"},
}

// Transit hubs inside India, by gazetteer code (district of the station).
var transitHubs = []string{"IN-WB-DARJEELING", "IN-WB-KOLKATA", "IN-DL", "IN-BR-PURNIA", "IN-JH-RANCHI"}

// Destinations by form of exploitation: metros for sexual exploitation and
// domestic work, kiln and farm states for forced labour, the Gulf and
// South-East Asia beyond.
var destinations = map[string][]string{
	"sexual_exploitation": {"IN-DL", "IN-MH-MUMBAI_CITY", "IN-MH-PUNE", "IN-WB-KOLKATA", "IN-MH-THANE", "AE"},
	"forced_labour":       {"IN-PB", "IN-HR", "IN-TS", "IN-UP", "IN-RJ", "IN-TN", "IN-GJ", "IN-KA", "SA", "QA", "AE", "KW", "MY"},
	"domestic_servitude":  {"IN-DL", "IN-HR-GURUGRAM", "IN-MH-MUMBAI_SUBURBAN", "IN-WB-KOLKATA", "KW", "SA", "OM"},
	"forced_marriage":     {"IN-HR", "IN-RJ", "IN-UP", "IN-PB"},
	"child_labour":        {"IN-DL", "IN-GJ", "IN-RJ", "IN-TN", "IN-MH-MUMBAI_CITY"},
	"forced_begging":      {"IN-DL", "IN-WB-KOLKATA", "IN-MH-MUMBAI_CITY"},
	"forced_criminality":  {"MM", "KH", "LA", "IN-DL"},
	"organ_removal":       {"IN-DL", "IN-TN"},
	"other":               {"IN-DL", "IN-MH-MUMBAI_CITY"},
}

// form is a form of exploitation with its share of cases and its victims'
// profile. The shares are plausible for South Asian case loads (forced
// labour and sexual exploitation lead, in the proportions Indian and Nepali
// official statistics broadly report); they are not a statistic.
type form struct {
	code      string
	family    string // the destinations key
	weight    int    // per 1000 cases
	female    int    // per cent of victims who are female
	childPct  int    // per cent of victims who are children
	platforms bool   // often recruited online
}

var forms = []form{
	{"sexual_exploitation", "sexual_exploitation", 300, 96, 45, true},
	{"online_sexual_exploitation", "sexual_exploitation", 30, 90, 60, true},
	{"forced_labour_brick_kiln", "forced_labour", 110, 45, 35, false},
	{"forced_labour_agriculture", "forced_labour", 50, 40, 30, false},
	{"forced_labour_construction", "forced_labour", 50, 20, 20, false},
	{"forced_labour_textile", "forced_labour", 50, 70, 55, false},
	{"forced_labour_hospitality", "forced_labour", 30, 30, 50, false},
	{"forced_labour_manufacturing", "forced_labour", 30, 30, 40, false},
	{"domestic_servitude", "domestic_servitude", 110, 88, 55, true},
	{"child_labour", "child_labour", 80, 35, 100, false},
	{"forced_marriage", "forced_marriage", 40, 99, 40, true},
	{"child_marriage", "forced_marriage", 40, 99, 100, true},
	{"forced_begging", "forced_begging", 20, 50, 80, false},
	{"scam_compound", "forced_criminality", 25, 25, 5, true},
	{"forced_criminality", "forced_criminality", 10, 40, 60, false},
	{"organ_removal", "organ_removal", 2, 40, 5, false},
	{"other", "other", 23, 60, 40, false},
}

var channels = []struct {
	code   string
	weight int
}{{"rescue", 45}, {"interception", 20}, {"helpline", 10}, {"referral", 12}, {"missing_report", 8}, {"self_referral", 5}}

var platforms = []struct {
	code   string
	weight int
}{{"facebook", 35}, {"whatsapp", 25}, {"imo", 12}, {"tiktok", 12}, {"instagram", 6}, {"telegram", 4}, {"job_site", 4}, {"dating_app", 2}}
