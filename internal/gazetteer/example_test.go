package gazetteer_test

import (
	"fmt"

	"atip/internal/gazetteer"
)

func ExampleMatch() {
	for _, name := range []string{"24 Parganas South", "Sindhupalchowk", "Chittagong", "सीतामढ़ी"} {
		for _, p := range gazetteer.Match(name, "") {
			fmt.Println(name, "→", p.Code)
		}
	}
	// Output:
	// 24 Parganas South → IN-WB-SOUTH_24_PARGANAS
	// Sindhupalchowk → NP-P3-SINDHUPALCHOK
	// Chittagong → BD-B
	// Chittagong → BD-B-CHATTOGRAM
	// सीतामढ़ी → IN-BR-SITAMARHI
}

func ExampleResolve() {
	// The fields of a record, as a clerk typed them.
	p := gazetteer.Resolve("India", "Bihar", "Sitamadhi")
	for _, q := range gazetteer.Path(p.Code) {
		fmt.Printf("%s (%s)\n", q.Name, q.Code)
	}
	// Output:
	// India (IN)
	// Bihar (IN-BR)
	// Sitamarhi (IN-BR-SITAMARHI)
}

func ExampleKey() {
	fmt.Println(gazetteer.Key("South 24 Parganas"))
	fmt.Println(gazetteer.Key("Dakshin 24 Pargana"))
	fmt.Println(gazetteer.Key("24 Parganas (S)"))
	// Output:
	// south24pargana
	// south24pargana
	// south24pargana
}
