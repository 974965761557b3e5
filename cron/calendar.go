package cron

import "math/bits"

// Wall-clock arithmetic on the proleptic Gregorian calendar, the one package
// time uses for every year. A wall time is counted in seconds from
// 1970-01-01 00:00:00 as if it were UTC; subtracting the UTC offset in effect
// gives the Unix time.

const secondsPerDay = 24 * 60 * 60

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

func mod(a, b int64) int64 {
	r := a % b
	if r < 0 {
		r += b
	}
	return r
}

// Day numbers are shifted by eraShift 400-year eras (146097 days each) so
// that, within the fast path's range, all arithmetic is on non-negative
// numbers and the divisions by constants compile to multiplications.
const eraShift = 100000

// daysFromCivil returns the day number (days since 1970-01-01) of y-m-d.
// Algorithm from Howard Hinnant, "chrono-Compatible Low-Level Date
// Algorithms": years start in March so the leap day comes last.
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	ys := uint64(y + 400*eraShift)
	era := ys / 400
	yoe := ys - era*400
	mp := uint64(m+9) % 12
	doy := (153*mp+2)/5 + uint64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era*146097+doe) - 146097*eraShift - 719468
}

// civil is the inverse of daysFromCivil. It uses the Euclidean affine
// functions of Neri and Schneider ("Euclidean affine functions and their
// application to calendar algorithms", 2022), as package time does: counting
// from March 1st, a century, the year in it, and the day in that year each
// come from one multiplication.
func civil(days int64) (y int64, m, d int) {
	n := 4*uint64(days+719468+146097*eraShift) + 3
	century := n / 146097
	hi, lo := bits.Mul32(2939745, uint32(n%146097)|3)
	yday := lo / 2939745 / 4
	md := 2141*yday + 197913
	m, d = int(md>>16), 1+int(md&0xFFFF/2141)
	y = int64(century*100+uint64(hi)) - 400*eraShift
	if m > 12 { // January and February end the March-based year
		m -= 12
		y++
	}
	return y, m, d
}

// weekday returns the weekday (0 = Sunday) of a day number; 1970-01-01 was a
// Thursday.
func weekday(days int64) int { return int(mod(days+4, 7)) }

func daysIn(y int64, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// monthDays[n] has bits 1..n set: the days of an n-day month.
var monthDays = [32]uint64{28: 1<<29 - 2, 29: 1<<30 - 2, 30: 1<<31 - 2, 31: 1<<32 - 2}
