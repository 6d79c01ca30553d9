// Command gen writes synthetic input for timing the real binary:
//
//	go run ./bench/tipsgen/gen -posts 200000 > posts.jsonl
//	go run ./bench/tipsgen/gen -scored 1000000 > scored.jsonl
//	time atip tips score --in posts.jsonl --out scored-out.jsonl
//	time atip tips networks --in scored.jsonl --out networks.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"atip/bench/tipsgen"
)

func main() {
	posts := flag.Int("posts", 0, "write this many posts (input of tips score)")
	scored := flag.Int("scored", 0, "write this many scored posts (input of tips networks)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	var err error
	switch {
	case *posts > 0 && *scored == 0:
		err = tipsgen.WritePosts(w, *posts, *seed)
	case *scored > 0 && *posts == 0:
		err = tipsgen.WriteScored(w, *scored, *seed)
	default:
		fmt.Fprintln(os.Stderr, "usage: gen -posts N | -scored N [-seed S]")
		os.Exit(2)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
