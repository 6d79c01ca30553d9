package sop

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Span is a length of time as laws state it: hours are elapsed time, while
// days and months are calendar days and months in the deadline's
// jurisdiction. "Within 15 days" from 10:00 on 1 March is 10:00 on 16 March
// local time whatever the offset, and "4 months" from 31 October is the end
// of February, not 3 March.
type Span struct {
	Months  int
	Days    int
	Elapsed time.Duration
}

// ParseSpan reads "90min", "24h", "15d", "2w", "4mo" or "1y", or several
// joined by "+" ("1d+12h").
func ParseSpan(s string) (Span, error) {
	var sp Span
	if strings.TrimSpace(s) == "" {
		return sp, fmt.Errorf("empty length of time")
	}
	for part := range strings.SplitSeq(s, "+") {
		part = strings.TrimSpace(part)
		i := 0
		for i < len(part) && part[i] >= '0' && part[i] <= '9' {
			i++
		}
		n, err := strconv.Atoi(part[:i])
		if err != nil || n > 100000 {
			return Span{}, fmt.Errorf("%q: want a whole number followed by min, h, d, w, mo or y", s)
		}
		switch part[i:] {
		case "min":
			sp.Elapsed += time.Duration(n) * time.Minute
		case "h":
			sp.Elapsed += time.Duration(n) * time.Hour
		case "d":
			sp.Days += n
		case "w":
			sp.Days += 7 * n
		case "mo":
			sp.Months += n
		case "y":
			sp.Months += 12 * n
		default:
			return Span{}, fmt.Errorf("%q: unit must be min, h, d, w, mo or y", s)
		}
	}
	return sp, nil
}

// String writes the span back in ParseSpan's form.
func (s Span) String() string {
	var parts []string
	if s.Months > 0 {
		parts = append(parts, strconv.Itoa(s.Months)+"mo")
	}
	if s.Days > 0 {
		parts = append(parts, strconv.Itoa(s.Days)+"d")
	}
	if m := int(s.Elapsed / time.Minute); m > 0 {
		if m%60 == 0 {
			parts = append(parts, strconv.Itoa(m/60)+"h")
		} else {
			parts = append(parts, strconv.Itoa(m)+"min")
		}
	}
	if len(parts) == 0 {
		return "0h"
	}
	return strings.Join(parts, "+")
}

// AddTo returns t plus the span, the calendar part counted in loc. A month
// that lacks the day (31 October + 4 months) ends at the last day of the
// month: a deadline never moves into the month after the one the law names.
func (s Span) AddTo(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	if s.Months != 0 {
		y, m, d := l.Date()
		first := time.Date(y, m+time.Month(s.Months), 1, l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), loc)
		last := first.AddDate(0, 1, -1).Day()
		l = time.Date(first.Year(), first.Month(), min(d, last), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), loc)
	}
	if s.Days != 0 {
		l = l.AddDate(0, 0, s.Days)
	}
	return l.Add(s.Elapsed)
}
