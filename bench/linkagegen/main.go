// Command linkagegen writes a synthetic labelled linkage data set as CSV,
// for measuring `atip link` and `atip dedupe` end to end:
//
//	go run ./bench/linkagegen -left 1000000 -right 200000 -dir /tmp/linkage
//	/usr/bin/time -v atip link --left /tmp/linkage/left.csv --right /tmp/linkage/right.csv --out /tmp/linkage/pairs.csv
//
// It writes left.csv, right.csv, truth.csv (left_id,right_id of the true
// pairs) and people.csv (left and right together, for dedupe). See package
// synth for what the data look like.
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"atip/internal/linkage"
	"atip/internal/linkage/synth"
)

func main() {
	left := flag.Int("left", 10000, "records in left.csv")
	right := flag.Int("right", 10000, "records in right.csv")
	seed := flag.Uint64("seed", 1, "random seed")
	dir := flag.String("dir", ".", "directory to write to")
	flag.Parse()
	s := synth.Generate(synth.Config{Left: *left, Right: *right, Seed: *seed})
	if err := run(s, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "linkagegen:", err)
		os.Exit(1)
	}
}

func run(s *synth.Set, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeRecords(filepath.Join(dir, "left.csv"), s.Left); err != nil {
		return err
	}
	if err := writeRecords(filepath.Join(dir, "right.csv"), s.Right); err != nil {
		return err
	}
	if err := writeRecords(filepath.Join(dir, "people.csv"), append(append([]linkage.Record(nil), s.Left...), s.Right...)); err != nil {
		return err
	}
	return writeCSV(filepath.Join(dir, "truth.csv"), func(w *csv.Writer) error {
		if err := w.Write([]string{"left_id", "right_id"}); err != nil {
			return err
		}
		for l, r := range s.Truth {
			if err := w.Write([]string{s.Left[l].ID, s.Right[r].ID}); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeRecords(path string, recs []linkage.Record) error {
	return writeCSV(path, func(w *csv.Writer) error {
		if err := w.Write(linkage.Columns); err != nil {
			return err
		}
		for _, r := range recs {
			sex, age, date := "", "", ""
			if r.Sex != 0 {
				sex = string(r.Sex)
			}
			if r.Age >= 0 {
				age = strconv.Itoa(r.Age)
			}
			if !r.RecordedOn.IsZero() {
				date = r.RecordedOn.Format("2006-01-02")
			}
			row := []string{r.ID, r.Name, sex, age, date, r.Guardian, r.Village, r.District, r.State, r.Country, r.Phone}
			if err := w.Write(row); err != nil {
				return err
			}
		}
		return nil
	})
}

func writeCSV(path string, write func(w *csv.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	if err := write(w); err != nil {
		f.Close()
		return err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
