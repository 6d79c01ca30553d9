package synth

// w is one word as written in Latin and in its region's own script.
type w struct{ latin, native string }

// region holds what the generator draws people of one area from. Names
// are common ones of each community, as they appear in registers; districts
// are real source districts of trafficking named in reports.
type region struct {
	name     string
	country  string
	state    string
	states   []string // gazetteer codes of the states its people come from, for large data sets
	script   string   // "deva" or "beng": the script its records are written in
	pNative  float64
	bengaliO bool // Bengali-speaking: a written o as often as a
	female   []w
	male     []w
	family   []w // family names, or the father's family name
	femWeak  []w // words used instead of a woman's family name
	maleWeak []w
	malePre  []w // prefixes of men's names (Md.)
	femPre   []w
	district []w
	vStem    []w // village name stems
	vSuffix  []w // village name endings
	fParts   pieces
	mParts   pieces
}

var regions = []*region{
	{
		name: "hindi-belt", country: "IN", state: "Bihar", states: []string{"IN-BR", "IN-JH", "IN-UP"}, script: "deva", pNative: 0.25, fParts: devaFemale, mParts: devaMale,
		female: []w{{"Puja", "पूजा"}, {"Sunita", "सुनीता"}, {"Rina", "रीना"}, {"Anita", "अनीता"}, {"Priyanka", "प्रियंका"},
			{"Kajal", "काजल"}, {"Khushboo", "खुशबू"}, {"Rani", "रानी"}, {"Neha", "नेहा"}, {"Pinki", "पिंकी"}, {"Sonam", "सोनम"},
			{"Laxmi", "लक्ष्मी"}, {"Savita", "सविता"}, {"Kiran", "किरण"}, {"Rekha", "रेखा"}, {"Suman", "सुमन"}, {"Anjali", "अंजलि"},
			{"Nisha", "निशा"}, {"Sarita", "सरिता"}, {"Guddi", "गुड्डी"}, {"Babita", "बबीता"}, {"Manisha", "मनीषा"}, {"Mamta", "ममता"},
			{"Rinku", "रिंकू"}, {"Kumkum", "कुमकुम"}, {"Sapna", "सपना"}, {"Shabnam", "शबनम"}, {"Ruksana", "रुखसाना"},
			{"Nazia", "नाज़िया"}, {"Chandni", "चाँदनी"}, {"Sushma", "सुषमा"}, {"Radha", "राधा"}, {"Jyoti", "ज्योति"}},
		male: []w{{"Ramesh", "रमेश"}, {"Suresh", "सुरेश"}, {"Rajesh", "राजेश"}, {"Manoj", "मनोज"}, {"Sunil", "सुनील"},
			{"Vijay", "विजय"}, {"Ajay", "अजय"}, {"Santosh", "संतोष"}, {"Dinesh", "दिनेश"}, {"Mukesh", "मुकेश"}, {"Ram", "राम"},
			{"Shyam", "श्याम"}, {"Mohan", "मोहन"}, {"Sohan", "सोहन"}, {"Birendra", "बीरेंद्र"}, {"Dharmendra", "धर्मेंद्र"},
			{"Umesh", "उमेश"}, {"Ganesh", "गणेश"}, {"Lalan", "ललन"}, {"Bablu", "बबलू"}, {"Raju", "राजू"}, {"Pappu", "पप्पू"},
			{"Sanjay", "संजय"}, {"Arvind", "अरविंद"}, {"Salim", "सलीम"}, {"Irfan", "इरफ़ान"}, {"Jitendra", "जितेंद्र"}},
		family: []w{{"Yadav", "यादव"}, {"Sah", "साह"}, {"Mandal", "मंडल"}, {"Paswan", "पासवान"}, {"Ram", "राम"},
			{"Mahto", "महतो"}, {"Singh", "सिंह"}, {"Sharma", "शर्मा"}, {"Mishra", "मिश्र"}, {"Jha", "झा"}, {"Thakur", "ठाकुर"},
			{"Manjhi", "मांझी"}, {"Chaudhary", "चौधरी"}, {"Ansari", "अंसारी"}, {"Rajbhar", "राजभर"}, {"Mukhiya", "मुखिया"}},
		femWeak:  []w{{"Kumari", "कुमारी"}, {"Devi", "देवी"}, {"Khatoon", "ख़ातून"}},
		maleWeak: []w{{"Kumar", "कुमार"}},
		femPre:   []w{{"Smt.", "श्रीमती"}, {"Km.", "कु."}},
		district: []w{{"Sitamarhi", "सीतामढ़ी"}, {"Muzaffarpur", "मुज़फ़्फ़रपुर"}, {"Madhubani", "मधुबनी"}, {"Araria", "अररिया"},
			{"Purnia", "पूर्णिया"}, {"Kishanganj", "किशनगंज"}, {"East Champaran", "पूर्वी चंपारण"}, {"Supaul", "सुपौल"}},
		vStem: []w{{"Ram", "राम"}, {"Sital", "शीतल"}, {"Madho", "माधो"}, {"Bishun", "बिशुन"}, {"Hari", "हरि"}, {"Chand", "चाँद"},
			{"Kishan", "किशन"}, {"Shiv", "शिव"}, {"Durga", "दुर्गा"}, {"Mohan", "मोहन"}, {"Gopal", "गोपाल"}, {"Belwa", "बेलवा"},
			{"Mahuwa", "महुआ"}, {"Parsa", "परसा"}, {"Sonbarsa", "सोनबरसा"}, {"Dumra", "डुमरा"}},
		vSuffix: []w{{"pur", "पुर"}, {"ganj", "गंज"}, {"nagar", "नगर"}, {"tola", "टोला"}, {"", ""}, {"pur", "पुर"}},
	},
	{
		name: "bengali-hindu", country: "IN", state: "West Bengal", states: []string{"IN-WB", "IN-TR"}, script: "beng", pNative: 0.3, bengaliO: true,
		fParts: bengFemale, mParts: bengMale,
		female: []w{{"Rina", "রিনা"}, {"Puja", "পূজা"}, {"Moumita", "মৌমিতা"}, {"Sumana", "সুমনা"}, {"Mitali", "মিতালী"},
			{"Tumpa", "টুম্পা"}, {"Priya", "প্রিয়া"}, {"Shampa", "শম্পা"}, {"Rupa", "রূপা"}, {"Mousumi", "মৌসুমী"}, {"Jhuma", "ঝুমা"},
			{"Soma", "সোমা"}, {"Tanusree", "তনুশ্রী"}, {"Sathi", "সাথী"}, {"Payel", "পায়েল"}, {"Ankita", "অঙ্কিতা"}, {"Rakhi", "রাখি"},
			{"Laxmi", "লক্ষ্মী"}, {"Sarmistha", "শর্মিষ্ঠা"}, {"Bijoya", "বিজয়া"}, {"Mampi", "মাম্পি"}, {"Sonali", "সোনালী"}},
		male: []w{{"Subrata", "সুব্রত"}, {"Debashis", "দেবাশিস"}, {"Tapan", "তপন"}, {"Swapan", "স্বপন"}, {"Gopal", "গোপাল"},
			{"Bikash", "বিকাশ"}, {"Sujit", "সুজিত"}, {"Prasenjit", "প্রসেনজিৎ"}, {"Amal", "অমল"}, {"Kamal", "কমল"},
			{"Nikhil", "নিখিল"}, {"Haradhan", "হরধন"}, {"Sukumar", "সুকুমার"}, {"Biswajit", "বিশ্বজিৎ"}, {"Shyamal", "শ্যামল"},
			{"Nitai", "নিতাই"}, {"Gour", "গৌর"}},
		family: []w{{"Das", "দাস"}, {"Mondal", "মণ্ডল"}, {"Sarkar", "সরকার"}, {"Biswas", "বিশ্বাস"}, {"Ghosh", "ঘোষ"},
			{"Roy", "রায়"}, {"Halder", "হালদার"}, {"Pal", "পাল"}, {"Sardar", "সরদার"}, {"Naskar", "নস্কর"}, {"Bag", "বাগ"},
			{"Mistri", "মিস্ত্রি"}, {"Gayen", "গায়েন"}, {"Mallick", "মল্লিক"}, {"Barman", "বর্মন"}},
		femWeak: []w{{"Kumari", "কুমারী"}, {"Debi", "দেবী"}},
		femPre:  []w{{"Smt.", "শ্রীমতী"}},
		district: []w{{"South 24 Parganas", "দক্ষিণ ২৪ পরগনা"}, {"North 24 Parganas", "উত্তর ২৪ পরগনা"}, {"Murshidabad", "মুর্শিদাবাদ"},
			{"Nadia", "নদিয়া"}, {"Malda", "মালদা"}, {"Jalpaiguri", "জলপাইগুড়ি"}, {"Cooch Behar", "কোচবিহার"}},
		vStem: []w{{"Krishna", "কৃষ্ণ"}, {"Gopal", "গোপাল"}, {"Ram", "রাম"}, {"Hari", "হরি"}, {"Kali", "কালী"}, {"Sona", "সোনা"},
			{"Chandra", "চন্দ্র"}, {"Madhab", "মাধব"}, {"Shib", "শিব"}, {"Basanta", "বসন্ত"}, {"Kamar", "কামার"}},
		vSuffix: []w{{"pur", "পুর"}, {"nagar", "নগর"}, {"para", "পাড়া"}, {"ganj", "গঞ্জ"}, {"danga", "ডাঙা"}, {"hati", "হাটি"}},
	},
	{
		name: "bengali-muslim", country: "BD", state: "Khulna", states: []string{"BD-D", "BD-A", "BD-C", "BD-E", "BD-F", "BD-B", "BD-H", "BD-G"}, script: "beng", pNative: 0.3, bengaliO: true,
		fParts: muslimFemale, mParts: muslimMale,
		female: []w{{"Sumaiya", "সুমাইয়া"}, {"Fatema", "ফাতেমা"}, {"Rahima", "রহিমা"}, {"Nasrin", "নাসরিন"}, {"Shirin", "শিরিন"},
			{"Taslima", "তাসলিমা"}, {"Rokeya", "রোকেয়া"}, {"Salma", "সালমা"}, {"Nazma", "নাজমা"}, {"Rubina", "রুবিনা"},
			{"Sharmin", "শারমিন"}, {"Jesmin", "জেসমিন"}, {"Morsheda", "মোর্শেদা"}, {"Hasina", "হাসিনা"}, {"Kulsum", "কুলসুম"},
			{"Amena", "আমেনা"}, {"Parvin", "পারভীন"}, {"Shapla", "শাপলা"}, {"Mim", "মিম"}, {"Tania", "তানিয়া"}, {"Ayesha", "আয়েশা"}},
		male: []w{{"Rahim", "রহিম"}, {"Karim", "করিম"}, {"Jamal", "জামাল"}, {"Kamal", "কামাল"}, {"Rafiq", "রফিক"},
			{"Shafiq", "শফিক"}, {"Alamgir", "আলমগীর"}, {"Jahangir", "জাহাঙ্গীর"}, {"Habib", "হাবিব"}, {"Rashid", "রশিদ"},
			{"Nurul", "নুরুল"}, {"Abdul", "আব্দুল"}, {"Mizanur", "মিজানুর"}, {"Saiful", "সাইফুল"}, {"Anwar", "আনোয়ার"},
			{"Jakir", "জাকির"}, {"Monir", "মনির"}},
		family: []w{{"Islam", "ইসলাম"}, {"Hossain", "হোসেন"}, {"Uddin", "উদ্দিন"}, {"Mia", "মিয়া"}, {"Sheikh", "শেখ"},
			{"Molla", "মোল্লা"}, {"Gazi", "গাজী"}, {"Howlader", "হাওলাদার"}, {"Khan", "খান"}, {"Ali", "আলী"},
			{"Rahman", "রহমান"}, {"Haque", "হক"}, {"Sarder", "সরদার"}},
		femWeak:  []w{{"Khatun", "খাতুন"}, {"Begum", "বেগম"}, {"Akter", "আক্তার"}, {"Bibi", "বিবি"}},
		malePre:  []w{{"Md.", "মোঃ"}, {"Mohammad", "মোহাম্মদ"}},
		femPre:   []w{{"Mst.", "মোছাঃ"}},
		district: []w{{"Jashore", "যশোর"}, {"Satkhira", "সাতক্ষীরা"}, {"Khulna", "খুলনা"}, {"Bagerhat", "বাগেরহাট"}, {"Narail", "নড়াইল"}, {"Jhenaidah", "ঝিনাইদহ"}, {"Chuadanga", "চুয়াডাঙ্গা"}},
		vStem: []w{{"Char", "চর"}, {"Kazi", "কাজী"}, {"Hazi", "হাজী"}, {"Nur", "নূর"}, {"Kamal", "কামাল"}, {"Shah", "শাহ"},
			{"Khan", "খান"}, {"Miah", "মিয়া"}, {"Bara", "বড়"}, {"Chhota", "ছোট"}, {"Kalia", "কালিয়া"}},
		vSuffix: []w{{"para", "পাড়া"}, {"pur", "পুর"}, {"ganj", "গঞ্জ"}, {"danga", "ডাঙ্গা"}, {"hat", "হাট"}, {"bari", "বাড়ি"}},
	},
	{
		name: "nepali", country: "NP", state: "Bagmati", states: []string{"NP-P3", "NP-P2", "NP-P1", "NP-P4", "NP-P5", "NP-P6", "NP-P7"}, script: "deva", pNative: 0.3, fParts: devaFemale, mParts: devaMale,
		female: []w{{"Sita", "सीता"}, {"Gita", "गीता"}, {"Maya", "माया"}, {"Sunita", "सुनीता"}, {"Kamala", "कमला"},
			{"Laxmi", "लक्ष्मी"}, {"Sarita", "सरिता"}, {"Anita", "अनिता"}, {"Sabina", "सबिना"}, {"Sushila", "सुशीला"},
			{"Mina", "मीना"}, {"Bimala", "बिमला"}, {"Rita", "रिता"}, {"Pabitra", "पवित्रा"}, {"Dolma", "डोल्मा"},
			{"Pasang", "पासाङ"}, {"Phulmaya", "फूलमाया"}, {"Januka", "जनुका"}, {"Asmita", "अस्मिता"}, {"Srijana", "सृजना"},
			{"Radhika", "राधिका"}, {"Tulasi", "तुलसी"}, {"Manju", "मन्जु"}, {"Nirmala", "निर्मला"}, {"Chhiring", "छिरिङ"}},
		male: []w{{"Ram", "राम"}, {"Hari", "हरि"}, {"Krishna", "कृष्ण"}, {"Bishnu", "विष्णु"}, {"Dil", "दिल"}, {"Man", "मन"},
			{"Tek", "टेक"}, {"Dhan", "धन"}, {"Pemba", "पेम्बा"}, {"Nima", "निमा"}, {"Lakpa", "लाक्पा"}, {"Ramesh", "रमेश"},
			{"Gopal", "गोपाल"}, {"Shiva", "शिव"}, {"Bir", "बीर"}, {"Kul", "कुल"}, {"Mingmar", "मिङमार"}},
		family: []w{{"Tamang", "तामाङ"}, {"Gurung", "गुरुङ"}, {"Magar", "मगर"}, {"Tharu", "थारु"}, {"Rai", "राई"},
			{"Limbu", "लिम्बु"}, {"Thapa", "थापा"}, {"Shrestha", "श्रेष्ठ"}, {"Chaudhary", "चौधरी"}, {"Lama", "लामा"},
			{"Sherpa", "शेर्पा"}, {"Sunuwar", "सुनुवार"}, {"Nepali", "नेपाली"}, {"Pariyar", "परियार"}, {"Bhandari", "भण्डारी"},
			{"Adhikari", "अधिकारी"}, {"Karki", "कार्की"}, {"Khadka", "खड्का"}, {"Dangol", "डंगोल"}},
		femWeak:  []w{{"Kumari", "कुमारी"}},
		maleWeak: []w{{"Bahadur", "बहादुर"}},
		district: []w{{"Sindhupalchok", "सिन्धुपाल्चोक"}, {"Makwanpur", "मकवानपुर"}, {"Nuwakot", "नुवाकोट"}, {"Dhading", "धादिङ"},
			{"Kavrepalanchok", "काभ्रेपलाञ्चोक"}, {"Dolakha", "दोलखा"}, {"Rautahat", "रौतहट"}, {"Sarlahi", "सर्लाही"},
			{"Bardiya", "बर्दिया"}, {"Kailali", "कैलाली"}},
		vStem: []w{{"Ban", "बन"}, {"Deu", "देउ"}, {"Thok", "थोक"}, {"Sipa", "सिपा"}, {"Bhotang", "भोटाङ"}, {"Hele", "हेले"},
			{"Chau", "चौ"}, {"Gyal", "ग्याल"}, {"Kalika", "कालिका"}, {"Bhim", "भीम"}, {"Indra", "इन्द्र"}, {"Sindhu", "सिन्धु"}},
		vSuffix: []w{{"gaun", "गाउँ"}, {"tole", "टोल"}, {"pur", "पुर"}, {"besi", "बेसी"}, {"kot", "कोट"}, {"danda", "डाँडा"}},
	},
	{
		name: "assamese", country: "IN", state: "Assam", states: []string{"IN-AS"}, script: "beng", pNative: 0.25, bengaliO: true,
		fParts: bengFemale, mParts: bengMale,
		female: []w{{"Jonali", "জোনালী"}, {"Anjali", "অঞ্জলি"}, {"Rupali", "ৰূপালী"}, {"Nirmali", "নিৰ্মলী"}, {"Bobita", "ববিতা"},
			{"Junu", "জুনু"}, {"Rinku", "ৰিংকু"}, {"Puja", "পূজা"}, {"Dipali", "দীপালী"}, {"Gitanjali", "গীতাঞ্জলি"},
			{"Kabita", "কবিতা"}, {"Mamoni", "মামণি"}, {"Pinky", "পিংকী"}, {"Lakhimi", "লখিমী"}, {"Rashmi", "ৰশ্মি"}},
		male: []w{{"Pranjal", "প্ৰাঞ্জল"}, {"Rupjyoti", "ৰূপজ্যোতি"}, {"Dipankar", "দীপংকৰ"}, {"Bhaskar", "ভাস্কৰ"},
			{"Hemanta", "হেমন্ত"}, {"Jitu", "জিতু"}, {"Babul", "বাবুল"}, {"Dhruba", "ধ্ৰুৱ"}, {"Mridul", "মৃদুল"}, {"Biren", "বীৰেন"}},
		family: []w{{"Bora", "বৰা"}, {"Das", "দাস"}, {"Kalita", "কলিতা"}, {"Deka", "ডেকা"}, {"Saikia", "শইকীয়া"},
			{"Gogoi", "গগৈ"}, {"Baruah", "বৰুৱা"}, {"Nath", "নাথ"}, {"Hazarika", "হাজৰিকা"}, {"Sarma", "শৰ্মা"}, {"Mech", "মেচ"},
			{"Basumatary", "বসুমতাৰী"}, {"Munda", "মুণ্ডা"}, {"Oraon", "ওৰাওঁ"}, {"Tanti", "তাঁতী"}},
		femWeak: []w{{"Devi", "দেৱী"}},
		district: []w{{"Sonitpur", "শোণিতপুৰ"}, {"Kokrajhar", "কোকৰাঝাৰ"}, {"Dhubri", "ধুবুৰী"}, {"Barpeta", "বৰপেটা"},
			{"Udalguri", "ওদালগুৰি"}, {"Lakhimpur", "লখিমপুৰ"}, {"Tinsukia", "তিনিচুকীয়া"}},
		vStem: []w{{"Bar", "বৰ"}, {"Kala", "কলা"}, {"Dhekia", "ঢেকীয়া"}, {"Rang", "ৰং"}, {"Majuli", "মাজুলী"}, {"Hati", "হাতী"},
			{"Bamun", "বামুণ"}, {"Sonari", "চোণাৰী"}, {"Kachu", "কচু"}},
		vSuffix: []w{{"gaon", "গাঁও"}, {"pur", "পুৰ"}, {"bari", "বাৰী"}, {"pathar", "পথাৰ"}, {"guri", "গুৰি"}},
	},
}
