package names

import (
	"math"
	"time"
)

// BirthYear estimates the year of birth of someone recorded as age years
// old on the given date, as a fractional year (1998.4 is May 1998) and a
// standard deviation in years.
//
// An age in whole years puts the birthday anywhere in a twelve-month
// window (a standard deviation of about 0.3 year). Ages in these records
// are often estimates — by a police officer looking at a rescued girl, by a
// family who never registered the birth — and estimates are worse for older
// people and cluster on round numbers, so the spread grows with age and is
// wider again for ages that are multiples of five.
func BirthYear(age int, recorded time.Time) (year, sd float64) {
	ry := float64(recorded.Year()) + float64(recorded.YearDay()-1)/365.25
	year = ry - float64(age) - 0.5
	sd = 0.3 + 0.04*float64(age)
	if age >= 15 && age%5 == 0 {
		sd += 1
	}
	return year, sd
}

// AgreeBirthYears tells how well two birth-year estimates agree: the gap
// between them in units of their combined uncertainty (0 for the same
// estimate; above 3 means they almost surely differ).
func AgreeBirthYears(y1, sd1, y2, sd2 float64) float64 {
	return math.Abs(y1-y2) / math.Sqrt(sd1*sd1+sd2*sd2)
}
