package redact

import (
	"fmt"
	"reflect"

	"atip"
	"atip/internal/policy"
)

// Record structs declare the class of each field with a struct tag, and
// Apply blanks every field the viewer may not see before the record reaches
// a template, an encoder or an export:
//
//	type Person struct {
//		ID       string    `class:"reference"`
//		AgeBand  string    `class:"reference"`
//		Name     string    `class:"identity"`
//		Phone    string    `class:"contact"`
//		Village  string    `class:"location"`
//		Journey  []Leg     // untagged struct fields are walked: Leg tags its own fields
//	}
//
//	redact.Apply(&p, view.Shown)
//
// It fails closed: an untagged field that is not a struct is blanked unless
// the viewer sees every class, so a field someone forgot to classify leaks to
// nobody. Classified, run from a test over every record type, turns that
// forgetting into a failing test.

// Apply blanks, in the struct ptr points to, every exported field whose class
// is not in shown. It returns an error for a tag naming no known class (a
// programming mistake, reported rather than guessed at).
func Apply(ptr any, shown policy.ClassSet) error {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("redact: Apply needs a pointer to a struct, got %T", ptr)
	}
	return apply(v.Elem(), shown)
}

func apply(v reflect.Value, shown policy.ClassSet) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		fv := v.Field(i)
		if tag, ok := f.Tag.Lookup("class"); ok {
			c := atip.FieldClass(tag)
			if !c.Valid() {
				return fmt.Errorf("redact: %s.%s: unknown class %q", t.Name(), f.Name, tag)
			}
			if !shown.Has(c) {
				fv.SetZero()
				continue
			}
		} else if !walkable(f.Type) {
			if shown != policy.SetAll {
				fv.SetZero()
			}
			continue
		}
		if err := walk(fv, shown); err != nil {
			return err
		}
	}
	return nil
}

// walkable reports whether a type holds structs whose fields classify
// themselves.
func walkable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return t.Elem().Kind() == reflect.Struct
	}
	return false
}

func walk(v reflect.Value, shown policy.ClassSet) error {
	switch v.Kind() {
	case reflect.Struct:
		return apply(v, shown)
	case reflect.Pointer:
		if !v.IsNil() && v.Elem().Kind() == reflect.Struct {
			return apply(v.Elem(), shown)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if e := v.Index(i); e.Kind() == reflect.Struct {
				if err := apply(e, shown); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Classified checks that every exported field of the struct type of v (and of
// the structs it holds) carries a valid class tag, or is a struct that does.
// Call it in a test for every record type.
func Classified(v any) error {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return fmt.Errorf("redact: Classified needs a struct, got %T", v)
	}
	return classified(t, map[reflect.Type]bool{})
}

func classified(t reflect.Type, seen map[reflect.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if tag, ok := f.Tag.Lookup("class"); ok {
			if !atip.FieldClass(tag).Valid() {
				return fmt.Errorf("redact: %s.%s: unknown class %q", t.Name(), f.Name, tag)
			}
			if !walkable(f.Type) {
				continue
			}
		} else if !walkable(f.Type) {
			return fmt.Errorf("redact: %s.%s has no class tag", t.Name(), f.Name)
		}
		et := f.Type
		if et.Kind() != reflect.Struct {
			et = et.Elem()
		}
		if err := classified(et, seen); err != nil {
			return err
		}
	}
	return nil
}
