package importer

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkCSV10k reads and converts a 10,000-row register, the dry run an
// admin waits for.
func BenchmarkCSV10k(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("Sl No,Date of Rescue,District,Type of Trafficking,Name of Victim,Sex,Age,Nationality,Mobile No,Home District\n")
	for i := range 10_000 {
		fmt.Fprintf(&buf, "%d,%02d/03/2024,Sitamarhi,CSEC,Synthetic Person %d,F,%d,NP,98410%05d,Sindhupalchok\n", i, 1+i%28, i, 12+i%10, i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		tab, err := ReadCSV(bytes.NewReader(data), DefaultLimits)
		if err != nil {
			b.Fatal(err)
		}
		_, m := Suggest(tab.Header)
		rows, rep := Convert(tab, m, Options{Now: now})
		if !rep.OK() || len(rows) != 10_000 {
			b.Fatal(rep)
		}
	}
}
