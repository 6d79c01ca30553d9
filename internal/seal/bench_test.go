package seal

import "testing"

// BenchmarkOpenRecord is the cost of showing one record's protected fields:
// unwrap its data key and open five fields of typical size.
func BenchmarkOpenRecord(b *testing.B) {
	k := ring(b, keyA)
	d, wrapped, _ := k.NewDataKey(rec1)
	fields := []string{"name", "aliases", "phone", "address", "statement"}
	cts := make([][]byte, len(fields))
	for i, f := range fields {
		cts[i] = d.SealString(f, "a value of about forty bytes, like a name")
	}
	b.ReportAllocs()
	for b.Loop() {
		d, err := k.OpenDataKey(rec1, wrapped)
		if err != nil {
			b.Fatal(err)
		}
		for i, f := range fields {
			if _, err := d.Open(f, cts[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
