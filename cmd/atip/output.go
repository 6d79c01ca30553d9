package main

import (
	"bufio"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
)

// writeFileAtomically gives write a buffered temporary file next to path and
// renames it to path only when write succeeded and the data is on disk: a
// failure never leaves a partial file behind, and never destroys an older
// one. The path "-" writes to standard output instead.
func writeFileAtomically(env *cmdEnv, path string, write func(io.Writer) error) error {
	return writeFileAtomicallyMode(env, path, 0o644, write)
}

// writeFileAtomicallyMode is writeFileAtomically with the file's permissions:
// 0600 for files that may hold personal data.
func writeFileAtomicallyMode(env *cmdEnv, path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	if path == "-" {
		bw := bufio.NewWriterSize(env.stdout, 1<<16)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// writeCSVAtomically is writeFileAtomically for CSV output.
func writeCSVAtomically(env *cmdEnv, path string, write func(w *csv.Writer) error) error {
	return writeFileAtomically(env, path, func(out io.Writer) error {
		w := csv.NewWriter(out)
		if err := write(w); err != nil {
			return err
		}
		w.Flush()
		return w.Error()
	})
}
