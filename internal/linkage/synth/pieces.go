package synth

import "strings"

// Given names are drawn 40% of the time from each region's list of common
// names and otherwise composed from a first and a last part, the way many
// South Asian names are built (Sun+ita, Raj+endra, Mit+ali, Rah+im). The
// composed names are plausible rather than attested; what they give the
// benchmark is a realistic spread: a register of thousands of girls does
// not hold only thirty names.
type pieces struct{ first, last []w }

var devaFemale = pieces{
	first: []w{{"Sun", "सुन"}, {"Man", "मन"}, {"Sar", "सर"}, {"Kal", "कल"}, {"Sav", "सव"}, {"Ran", "रन"}, {"Kir", "किर"},
		{"Shar", "शर"}, {"Bim", "बिम"}, {"Sush", "सुश"}, {"Anj", "अंज"}, {"Pun", "पुन"}, {"Mal", "मल"}, {"Rek", "रेक"},
		{"Suj", "सुज"}, {"Har", "हर"}, {"Nam", "नम"}, {"Jam", "जम"}, {"Pram", "प्रम"}, {"Ur", "उर"}, {"Gir", "गिर"}, {"Lal", "लल"}},
	last: []w{{"ita", "िता"}, {"ina", "िना"}, {"ika", "िका"}, {"isha", "िशा"}, {"ana", "ना"}, {"mati", "मती"}, {"lata", "लता"},
		{"wati", "वती"}, {"rani", "रानी"}, {"ali", "ली"}, {"pana", "पना"}, {"esha", "ेशा"}, {"ila", "िला"}, {"mila", "मिला"}},
}

var devaMale = pieces{
	first: []w{{"Sur", "सुर"}, {"Ram", "राम"}, {"Raj", "राज"}, {"Dhan", "धन"}, {"Dil", "दिल"}, {"Man", "मन"}, {"Nar", "नर"},
		{"Har", "हर"}, {"Bir", "बीर"}, {"Shiv", "शिव"}, {"Kam", "कम"}, {"Jag", "जग"}, {"Dev", "देव"}, {"Gan", "गण"},
		{"Lal", "लाल"}, {"Mah", "मह"}, {"Ved", "वेद"}, {"Yog", "योग"}, {"Prem", "प्रेम"}, {"Tek", "टेक"}},
	last: []w{{"esh", "ेश"}, {"endra", "ेन्द्र"}, {"pal", "पाल"}, {"deep", "दीप"}, {"nath", "नाथ"}, {"raj", "राज"},
		{"lal", "लाल"}, {"jit", "जीत"}, {"kant", "कान्त"}, {"chandra", "चन्द्र"}, {"shankar", "शंकर"}, {"prasad", "प्रसाद"}, {"u", "ु"}},
}

var bengFemale = pieces{
	first: []w{{"Sun", "সুন"}, {"Mit", "মিত"}, {"Tan", "তন"}, {"Ran", "রন"}, {"Som", "সোম"}, {"Shar", "শর"}, {"Mal", "মল"},
		{"Ank", "অঙ্ক"}, {"Rup", "রূপ"}, {"Sum", "সুম"}, {"Mou", "মৌ"}, {"Ap", "অপ"}, {"Bip", "বিপ"}, {"Sh", "শ"}, {"Put", "পুত"},
		{"Jay", "জয়"}, {"Dip", "দীপ"}, {"Kak", "কাক"}, {"Pap", "পাপ"}, {"Sonal", "সোনাল"}},
	last: []w{{"ita", "িতা"}, {"ali", "ালী"}, {"ina", "িনা"}, {"ika", "িকা"}, {"ushree", "ুশ্রী"}, {"mita", "মিতা"},
		{"ana", "না"}, {"ima", "িমা"}, {"oni", "োনী"}, {"pa", "পা"}, {"arna", "র্ণা"}, {"ti", "তি"}},
}

var bengMale = pieces{
	first: []w{{"Deb", "দেব"}, {"Tap", "তপ"}, {"Swap", "স্বপ"}, {"Bik", "বিক"}, {"Suj", "সুজ"}, {"Am", "অম"}, {"Kam", "কম"},
		{"Nik", "নিক"}, {"Bisw", "বিশ্ব"}, {"Ash", "অশ"}, {"Pal", "পল"}, {"Sud", "সুদ"}, {"Rat", "রত"}, {"Gob", "গোব"},
		{"Prab", "প্রব"}, {"Sam", "সম"}, {"Ut", "উৎ"}, {"Haradh", "হরধ"}},
	last: []w{{"an", "ন"}, {"ash", "াশ"}, {"it", "িত"}, {"ajit", "জিৎ"}, {"ashis", "াশিস"}, {"endu", "েন্দু"}, {"ul", "ুল"},
		{"esh", "েশ"}, {"al", "ল"}, {"inda", "িন্দ"}, {"ir", "ীর"}},
}

var muslimFemale = pieces{
	first: []w{{"Ras", "রাশ"}, {"Naz", "নাজ"}, {"Shir", "শির"}, {"Tas", "তাস"}, {"Rok", "রোক"}, {"Sal", "সাল"}, {"Mor", "মোর"},
		{"Has", "হাস"}, {"Kul", "কুল"}, {"Par", "পার"}, {"Jes", "জেস"}, {"Far", "ফার"}, {"Mah", "মাহ"}, {"Nas", "নাস"},
		{"Rub", "রুব"}, {"Sab", "সাব"}, {"Lab", "লাব"}, {"Mun", "মুন"}, {"Hal", "হাল"}, {"Ark", "আর্ক"}},
	last: []w{{"ima", "িমা"}, {"ina", "িনা"}, {"min", "মিন"}, {"lima", "লিমা"}, {"eya", "েয়া"}, {"ma", "মা"}, {"ia", "িয়া"},
		{"ana", "ানা"}, {"een", "ীন"}, {"jida", "জিদা"}, {"nur", "নূর"}, {"ifa", "িফা"}},
}

var muslimMale = pieces{
	first: []w{{"Rah", "রহ"}, {"Kar", "কর"}, {"Jam", "জাম"}, {"Raf", "রফ"}, {"Shaf", "শফ"}, {"Hab", "হাব"}, {"Mon", "মন"},
		{"Saif", "সাইফ"}, {"Miz", "মিজ"}, {"Jah", "জাহ"}, {"Nur", "নুর"}, {"Ras", "রাশ"}, {"Ar", "আর"}, {"Sak", "সাক"},
		{"Hel", "হেল"}, {"Mas", "মাস"}, {"Ham", "হাম"}, {"Sha", "শা"}},
	last: []w{{"im", "িম"}, {"ul", "ুল"}, {"ir", "ির"}, {"iq", "িক"}, {"ib", "িব"}, {"al", "াল"}, {"an", "ান"}, {"ur", "ুর"},
		{"uddin", "উদ্দিন"}, {"ed", "েদ"}, {"id", "িদ"}},
}

// compose joins two parts into a given name in both spellings. Assamese
// writes র as ৰ.
func compose(a, b w, assamese bool) w {
	n := a.native + b.native
	if assamese {
		n = strings.ReplaceAll(n, "র", "ৰ")
	}
	return w{a.latin + b.latin, n}
}
